import { ValueError } from '@recurrent/core';
import { initialQpm, validateNoteSequence, type NoteSequence } from '../note-sequence.js';

export interface WriteAbcOptions {
  /** T: field (default: the sequence's title, else 'Untitled'). */
  title?: string;
  /** X: reference number (default 1). */
  referenceNumber?: number;
  /** Bars per line of music (default 4). */
  barsPerLine?: number;
}

const LETTERS = ['C', 'C', 'D', 'D', 'E', 'F', 'F', 'G', 'G', 'A', 'A', 'B'];
const SHARP = [false, true, false, true, false, false, true, false, true, false, true, false];

/** Letter and octave marks of a MIDI pitch (60 → 'C', 72 → 'c', 84 → "c'", 48 → 'C,'); the accidental apart. */
function spell(pitch: number): { letter: string; sharp: boolean; octave: number } {
  const pc = pitch % 12;
  const octave = Math.floor(pitch / 12) - 1;
  const base = LETTERS[pc]!;
  const letter = octave >= 5 ? base.toLowerCase() + "'".repeat(octave - 5) : base + ','.repeat(4 - octave);
  return { letter, sharp: SHARP[pc]!, octave };
}

/** Lengths abcjs can write as one note: 2^k or dotted 3·2^k units. */
function isRepresentable(n: number): boolean {
  let m = n;
  while (m % 2 === 0) m /= 2;
  return m === 1 || m === 3;
}

/** A length in units as the fewest representable lengths, longest first (10 → 8 + 2, 11 → 8 + 3). */
function representableLengths(length: number): number[] {
  const out: number[] = [];
  let left = length;
  while (left > 0) {
    let take = left;
    while (!isRepresentable(take)) take--;
    out.push(take);
    left -= take;
  }
  return out;
}

/**
 * A monophonic quantised NoteSequence as one ABC tune (for primers and round trips): `L:` is one quantisation step
 * (stepsPerQuarter 1, 2, 4, 8 or 16 → L:1/4 … 1/64), `M:` from the first time signature (4/4 when none), `Q:` from
 * the first tempo, `K:C` with every accidental written out (every sharp, and naturals after a sharp in the same
 * bar), rests between notes, notes split at bar lines and into lengths abcjs can write (2^k or dotted), and tied.
 * ValueError when the sequence is not quantised, notes overlap (more than one voice), or the bar is not a whole
 * number of steps.
 */
export function noteSequenceToAbc(seq: NoteSequence, options: WriteAbcOptions = {}): string {
  validateNoteSequence(seq, 'noteSequenceToAbc: sequence');
  const spq = seq.stepsPerQuarter;
  if (spq === undefined)
    throw new ValueError('noteSequenceToAbc: the sequence is not quantised; call quantizeNoteSequence first');
  if (![1, 2, 4, 8, 16].includes(spq))
    throw new ValueError(`noteSequenceToAbc: stepsPerQuarter must be 1, 2, 4, 8 or 16, got ${spq}`);
  const ts = seq.timeSignatures[0] ?? { time: 0, numerator: 4, denominator: 4 };
  const barSteps = (ts.numerator * 4 * spq) / ts.denominator;
  if (!Number.isInteger(barSteps)) {
    throw new ValueError(
      `noteSequenceToAbc: a ${ts.numerator}/${ts.denominator} bar is ${barSteps} steps at ${spq} steps per quarter ` +
        '(must be whole)',
    );
  }
  const barsPerLine = options.barsPerLine ?? 4;
  const bars: string[][] = [[]];
  // Letters (with octave marks) written sharp in this bar. Every sharp is written out ('^', even when one is in
  // force) and a natural after a sharp of its letter gets '=': abcjs does not count the accidental of a note that
  // continues a tie from the previous bar, so the shortest spelling would be misread after a tie.
  let sharpened = new Set<string>();
  let cursor = 0;
  /** Fill steps from..to with tokens, starting a bar at every bar line; `last` is false for a segment tied onwards. */
  const place = (from: number, to: number, token: (length: number, last: boolean) => string): void => {
    for (let at = from; at < to; ) {
      if (at > 0 && at % barSteps === 0) {
        bars.push([]);
        sharpened = new Set();
      }
      const end = Math.min(to, (Math.floor(at / barSteps) + 1) * barSteps);
      const pieces = representableLengths(end - at);
      pieces.forEach((length, k) => {
        bars[bars.length - 1]!.push(token(length, end === to && k === pieces.length - 1));
      });
      at = end;
    }
    cursor = to;
  };
  const lengthSuffix = (n: number): string => (n === 1 ? '' : String(n));
  for (const [i, n] of seq.notes.entries()) {
    const start = n.quantizedStartStep ?? 0;
    const end = n.quantizedEndStep ?? start + 1;
    if (start < cursor) {
      throw new ValueError(
        `noteSequenceToAbc: note ${i} (pitch ${n.pitch}) starts at step ${start} ` +
          `before the previous note ends at step ${cursor}; ` +
          'only one voice can be written',
      );
    }
    if (start > cursor) place(cursor, start, (length) => `z${lengthSuffix(length)}`);
    const { letter, sharp } = spell(n.pitch);
    place(start, end, (length, last) => {
      const mark = sharp ? '^' : sharpened.has(letter) ? '=' : '';
      if (sharp) sharpened.add(letter);
      return `${mark}${letter}${lengthSuffix(length)}${last ? '' : '-'}`;
    });
  }
  const title = options.title ?? seq.title ?? 'Untitled';
  const lines = [
    `X:${options.referenceNumber ?? 1}`,
    `T:${title.replace(/\n/g, ' ')}`,
    `M:${ts.numerator}/${ts.denominator}`,
    `L:1/${4 * spq}`,
    `Q:1/4=${Math.round(initialQpm(seq))}`,
    'K:C',
  ];
  const body: string[] = [];
  for (let b = 0; b < bars.length; b += barsPerLine) {
    const group = bars.slice(b, b + barsPerLine).map((bar) => bar.join(' '));
    const last = b + barsPerLine >= bars.length;
    body.push(`${group.join(' | ')}${last ? ' |]' : ' |'}`);
  }
  return `${lines.join('\n')}\n${body.join('\n')}\n`;
}
