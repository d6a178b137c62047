'use client';
import { linkWeights, type Focus } from '../lib/alignment-view';
import { alignmentShade, percent, probabilityShade } from '../lib/display';

/**
 * One sentence as a row of words. Hovering or focusing a word focuses it; the other sentence's words are underlined
 * by their attention to it. Target words are also shaded by the model's probability of them.
 */
export function AlignedWords({
  side,
  label,
  words,
  attention,
  probabilities,
  focus,
  onFocus,
}: {
  side: Focus['side'];
  label: string;
  words: readonly string[];
  attention: readonly (readonly number[])[];
  /** Target side only: each word's probability. */
  probabilities?: readonly number[];
  focus: Focus | null;
  onFocus: (focus: Focus | null) => void;
}) {
  const links = linkWeights(attention, focus, side);
  return (
    <ol className={`aligned-words aligned-${side}`} aria-label={label}>
      {words.map((w, i) => {
        const p = probabilities?.[i];
        const focused = focus?.side === side && focus.index === i;
        const title = [
          p !== undefined ? `p = ${p.toFixed(3)}` : '',
          links ? `attention ${(links[i] ?? 0).toFixed(2)} of the strongest` : '',
        ]
          .filter(Boolean)
          .join(' · ');
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: a word's position is its identity (words repeat)
          <li key={i}>
            <button
              type="button"
              className={focused ? 'word focused' : 'word'}
              style={{
                background: p !== undefined ? probabilityShade(p) : undefined,
                boxShadow: links ? alignmentShade(links[i] ?? 0) : undefined,
              }}
              data-link={links ? (links[i] ?? 0).toFixed(3) : undefined}
              title={title || undefined}
              onMouseEnter={() => onFocus({ side, index: i })}
              onMouseLeave={() => onFocus(null)}
              onFocus={() => onFocus({ side, index: i })}
              onBlur={() => onFocus(null)}
            >
              {w}
              {p !== undefined && <small>{percent(p)}</small>}
            </button>
          </li>
        );
      })}
    </ol>
  );
}
