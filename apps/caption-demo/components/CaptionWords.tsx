'use client';
import type { CaptionView } from '../lib/protocol';

/** The caption word by word (each with its probability); hovering or focusing a word selects its attention map. */
export function CaptionWords({
  caption,
  shown,
  selected,
  onSelect,
}: {
  caption: CaptionView;
  /** Words revealed so far (the caption appears word by word). */
  shown: number;
  selected: number | null;
  onSelect: (index: number | null) => void;
}) {
  return (
    <section className="caption-words" aria-label="Caption">
      {caption.words.slice(0, shown).map((w, i) => (
        <button
          // biome-ignore lint/suspicious/noArrayIndexKey: a caption's words are positions
          key={i}
          type="button"
          className={i === selected ? 'caption-word selected' : 'caption-word'}
          onMouseEnter={() => onSelect(i)}
          onFocus={() => onSelect(i)}
          onClick={() => onSelect(i)}
          title={`p = ${(caption.probabilities[i] ?? 0).toFixed(3)}`}
        >
          {w}
          <small>{((caption.probabilities[i] ?? 0) * 100).toFixed(0)}%</small>
        </button>
      ))}
    </section>
  );
}

/** The beam's n best captions with their scores. */
export function NBest({ captions }: { captions: readonly CaptionView[] }) {
  if (captions.length < 2) return null;
  return (
    <ol className="n-best" aria-label="Beam n-best">
      {captions.map((c, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: ranks
        <li key={i}>
          {c.words.join(' ')} <small>(log p {c.logProb.toFixed(2)})</small>
        </li>
      ))}
    </ol>
  );
}
