import type { KeyMode } from '../note-sequence.js';

const PITCH_CLASS: Record<string, number> = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9, B: 11 };

/** 'F#' → 6, 'Bb' → 10, 'Cb' → 11; null for anything else. */
export function pitchClassOfName(name: string): number | null {
  const m = /^([A-Ga-g])([#b]?)$/.exec(name.trim());
  if (!m) return null;
  const base = PITCH_CLASS[m[1]!.toUpperCase()]!;
  return (base + (m[2] === '#' ? 1 : m[2] === 'b' ? -1 : 0) + 12) % 12;
}

// The conventional spelling of each tonic, as in a key signature with at most 6 sharps or flats.
const MAJOR_NAMES = ['C', 'Db', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'Ab', 'A', 'Bb', 'B'];
const MINOR_NAMES = ['C', 'C#', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'G#', 'A', 'Bb', 'B'];

/** Spelling of a tonic pitch class for a key of the given mode: (1, 'major') → 'Db', (1, 'minor') → 'C#'. */
export function tonicName(key: number, mode: KeyMode): string {
  return (mode === 'major' ? MAJOR_NAMES : MINOR_NAMES)[key]!;
}

/** Sharps (> 0) or flats (< 0) of a key signature, −6..6. */
export function keySignatureAccidentals(key: number, mode: KeyMode): number {
  const major = mode === 'major' ? key : (key + 3) % 12;
  const sharps = (major * 7) % 12; // fifths from C
  return sharps > 6 ? sharps - 12 : sharps;
}
