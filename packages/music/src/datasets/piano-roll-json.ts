import { FormatError, ValueError } from '@recurrent/core';
import { rollFromPitchLists, type PianoRoll } from '../roll/piano-roll.js';

export const SPLITS = ['train', 'valid', 'test'] as const;
export type Split = (typeof SPLITS)[number];

/** A benchmark's pieces per split. */
export type PianoRollSplits = Record<Split, PianoRoll[]>;

/**
 * The JSON layout of the Boulanger-Lewandowski piano-roll datasets —
 * `{"train": [...], "valid": [...], "test": [...]}`,
 * split → pieces → frames → MIDI pitches — as rolls. FormatError naming `source` and the path of the first bad
 * entry (`test[3][17]: 130 is not a piano MIDI pitch …`), or a missing/ill-typed split.
 */
export function parsePianoRollSplits(json: unknown, source: string): PianoRollSplits {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new FormatError(
      `${source}: expected a JSON object with train, valid and test, ` +
        `got ${Array.isArray(json) ? 'an array' : typeof json}`,
    );
  }
  const obj = json as Record<string, unknown>;
  const out = {} as PianoRollSplits;
  for (const split of SPLITS) {
    const pieces = obj[split];
    if (!Array.isArray(pieces))
      throw new FormatError(
        `${source}: "${split}" must be a list of pieces, got ${pieces === undefined ? 'nothing' : typeof pieces}`,
      );
    out[split] = pieces.map((piece, i) => {
      try {
        return rollFromPitchLists(piece as number[][], `${split}[${i}]`);
      } catch (e) {
        if (e instanceof ValueError) throw new FormatError(`${source}: ${e.message}`);
        throw e;
      }
    });
  }
  return out;
}

/** Frames in a list of rolls. */
export function totalFrames(rolls: readonly PianoRoll[]): number {
  return rolls.reduce((s, r) => s + r.frames, 0);
}
