'use client';
import type { RollLike } from '../lib/roll-geometry';
import { cLabel, frameWidth, pitchRange, rollNotes } from '../lib/roll-geometry';

export interface PianoRollProps {
  roll: RollLike;
  /** Frames at the start that are the primer (drawn apart from the continuation). */
  primerFrames: number;
  /** [generated frames × 88]: each key's probability from the model, drawn as heat under the notes. */
  probabilities?: Float32Array | null;
  /** Frame under the play cursor (null: no cursor). */
  cursor?: number | null;
  ariaLabel: string;
  width?: number;
  keyHeight?: number;
}

const KEYS = 88;
const LEFT = 34;
const TOP = 4;

/**
 * A piano roll: pitch up, time to the right; primer notes in grey, the model's notes in colour, and under them the
 * model's probability of every key in every generated frame (darker = more probable), with a play cursor.
 */
export function PianoRoll(props: PianoRollProps) {
  const { roll, primerFrames, probabilities = null, cursor = null } = props;
  const keyHeight = props.keyHeight ?? 5;
  const { low, high } = pitchRange(roll, probabilities);
  const fw = frameWidth(roll.frames, (props.width ?? 900) - LEFT);
  const rows = high - low + 1;
  const width = LEFT + Math.max(1, roll.frames) * fw;
  const height = TOP + rows * keyHeight + 16;
  const y = (pitch: number) => TOP + (high - pitch) * keyHeight;
  const x = (frame: number) => LEFT + frame * fw;
  const heat: { f: number; pitch: number; p: number }[] = [];
  if (probabilities) {
    const generated = Math.floor(probabilities.length / KEYS);
    for (let g = 0; g < generated; g++)
      for (let k = 0; k < KEYS; k++) {
        const p = probabilities[g * KEYS + k] ?? 0;
        const pitch = 21 + k;
        if (p >= 0.02 && pitch >= low && pitch <= high) heat.push({ f: primerFrames + g, pitch, p });
      }
  }
  const labels: number[] = [];
  for (let p = low; p <= high; p++) if (cLabel(p)) labels.push(p);
  const notes = rollNotes(roll);
  return (
    <figure className="chart piano-roll">
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={props.ariaLabel}
        className="chart-svg piano-roll-svg"
        style={{ maxWidth: width }}
        data-frames={roll.frames}
        data-primer-frames={primerFrames}
      >
        <rect x={LEFT} y={TOP} width={width - LEFT} height={rows * keyHeight} className="roll-background" />
        {labels.map((p) => (
          <g key={p}>
            <line x1={LEFT} x2={width} y1={y(p) + keyHeight} y2={y(p) + keyHeight} className="roll-c-line" />
            <text x={LEFT - 4} y={y(p) + keyHeight} textAnchor="end" className="token-label">
              {cLabel(p)}
            </text>
          </g>
        ))}
        {primerFrames > 0 && (
          <rect x={LEFT} y={TOP} width={primerFrames * fw} height={rows * keyHeight} className="roll-primer-zone" />
        )}
        <g className="roll-heat">
          {heat.map((h) => (
            <rect
              key={`${h.f}:${h.pitch}`}
              x={x(h.f)}
              y={y(h.pitch)}
              width={fw}
              height={keyHeight}
              className="roll-probability"
              fillOpacity={Math.min(1, h.p)}
            />
          ))}
        </g>
        <g className="roll-notes">
          {notes.flatMap((n) => {
            // A note crossing the primer's end is drawn in two parts, each in its own colour.
            const parts: { start: number; end: number; primer: boolean }[] = [];
            const end = n.start + n.length;
            if (n.start < primerFrames) parts.push({ start: n.start, end: Math.min(end, primerFrames), primer: true });
            if (end > primerFrames) parts.push({ start: Math.max(n.start, primerFrames), end, primer: false });
            return parts.map((part) => (
              <rect
                key={`${n.pitch}:${n.start}:${part.primer}`}
                x={x(part.start) + 0.5}
                y={y(n.pitch) + 0.5}
                width={Math.max(1, (part.end - part.start) * fw - 1)}
                height={keyHeight - 1}
                rx={1}
                className={part.primer ? 'roll-note roll-note-primer' : 'roll-note roll-note-generated'}
              />
            ));
          })}
        </g>
        {primerFrames > 0 && primerFrames < roll.frames && (
          <line x1={x(primerFrames)} x2={x(primerFrames)} y1={TOP} y2={TOP + rows * keyHeight} className="roll-seam" />
        )}
        {cursor !== null && (
          <line
            x1={x(cursor)}
            x2={x(cursor)}
            y1={TOP}
            y2={TOP + rows * keyHeight}
            className="roll-cursor"
            data-testid="play-cursor"
          />
        )}
        <text x={LEFT} y={height - 3} className="axis-label">
          {`${roll.frames} frames${primerFrames > 0 ? ` (${primerFrames} primer)` : ''}`}
        </text>
      </svg>
      <figcaption className="roll-legend">
        {primerFrames > 0 && (
          <span>
            <span className="swatch roll-note-primer" aria-hidden="true" /> primer
          </span>
        )}
        <span>
          <span className="swatch roll-note-generated" aria-hidden="true" /> the model&apos;s notes
        </span>
        {probabilities && (
          <span>
            <span className="swatch roll-probability" aria-hidden="true" /> the model&apos;s probability of each key
          </span>
        )}
      </figcaption>
    </figure>
  );
}
