'use client';
import type { Decoding } from '../lib/protocol';

const BEAM_SIZES = [2, 3, 4, 5, 8];

/** Greedy or beam search, the beam's width and its length-penalty α, and the subword toggle. */
export function DecodingControls({
  decoding,
  onDecoding,
  pieces,
  onPieces,
}: {
  decoding: Decoding;
  onDecoding: (d: Decoding) => void;
  pieces: boolean;
  onPieces: (show: boolean) => void;
}) {
  const beam = decoding.method === 'beam';
  const method = (m: Decoding['method']) => () => onDecoding({ ...decoding, method: m });
  return (
    <fieldset className="decoding controls">
      <legend>Decoding</legend>
      <label>
        <input type="radio" name="method" checked={!beam} onChange={method('greedy')} /> Greedy
      </label>
      <label>
        <input type="radio" name="method" checked={beam} onChange={method('beam')} /> Beam search
      </label>
      <label>
        Beam size{' '}
        <select
          value={decoding.beamSize}
          disabled={!beam}
          onChange={(e) => onDecoding({ ...decoding, beamSize: Number(e.target.value) })}
        >
          {BEAM_SIZES.map((b) => (
            <option key={b} value={b}>
              {b}
            </option>
          ))}
        </select>
      </label>
      <label className="alpha">
        Length penalty α{' '}
        <input
          type="range"
          min={0}
          max={2}
          step={0.1}
          value={decoding.alpha}
          disabled={!beam}
          onChange={(e) => onDecoding({ ...decoding, alpha: Number(e.target.value) })}
        />
        <output>{decoding.alpha.toFixed(1)}</output>
      </label>
      <label>
        <input type="checkbox" checked={pieces} onChange={(e) => onPieces(e.target.checked)} /> Show subword pieces
      </label>
    </fieldset>
  );
}
