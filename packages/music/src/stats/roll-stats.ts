import { ValueError } from '@recurrent/core';
import { LOWEST_PIANO_PITCH, PIANO_KEYS } from '../pitch.js';
import { validatePianoRoll, type PianoRoll } from '../roll/piano-roll.js';
import { estimateKey, scalePitchClasses, type KeyEstimate } from './key.js';

/** Frames each pitch class sounds in (a note held for 3 frames counts 3). */
export function pitchClassHistogram(roll: PianoRoll): Float64Array {
  const h = new Float64Array(12);
  for (let f = 0; f < roll.frames; f++) {
    for (let k = 0; k < PIANO_KEYS; k++) if (roll.keys[f * PIANO_KEYS + k]) h[(LOWEST_PIANO_PITCH + k) % 12]!++;
  }
  return h;
}

/** Share of sounding note-frames whose pitch class is in the scale of `key` (estimated from the roll when absent). */
export function inKeyShare(roll: PianoRoll, key?: Pick<KeyEstimate, 'key' | 'mode'>): number {
  const h = pitchClassHistogram(roll);
  const total = h.reduce((s, v) => s + v, 0);
  if (total === 0) throw new ValueError('inKeyShare: the roll has no notes');
  const k = key ?? estimateKey(h);
  const scale = scalePitchClasses(k.key, k.mode);
  let inside = 0;
  for (const pc of scale) inside += h[pc]!;
  return inside / total;
}

export interface RollStatistics {
  pieces: number;
  frames: number;
  /** Mean sounding keys per frame, over all frames (silent ones included). */
  notesPerFrame: number;
  /** Mean sounding keys per frame over frames with at least one. */
  notesPerSoundingFrame: number;
  /** Share of frames with no key down. */
  silentFrames: number;
  /** Most keys down in one frame. */
  maxNotesPerFrame: number;
  /** Lowest and highest MIDI pitch that sounds (null when nothing does). */
  lowestPitch: number | null;
  highestPitch: number | null;
  /** Mean over sounding note-frames of (highest − lowest pitch of the piece): the typical span a piece uses. */
  meanPieceRange: number;
  /**
   * Share of note-frames in the key of their own piece (each piece's key estimated by Krumhansl–Schmuckler),
   * over all pieces with notes.
   */
  inKeyShare: number;
  /** How often each key (e.g. 'C major') was estimated, by pieces. */
  keys: Record<string, number>;
}

const NAMES = ['C', 'C#', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'Ab', 'A', 'Bb', 'B'];

/**
 * Musical statistics of rolls (training pieces or samples) to compare the two: density, range, silence, and how
 * tonal they are (share of notes in the estimated key of their piece).
 */
export function rollStatistics(rolls: readonly PianoRoll[]): RollStatistics {
  let frames = 0;
  let notes = 0;
  let sounding = 0;
  let maxNotes = 0;
  let lowest = Infinity;
  let highest = -Infinity;
  let rangeWeighted = 0;
  let inKey = 0;
  let keyed = 0;
  const keys: Record<string, number> = {};
  rolls.forEach((roll, i) => {
    validatePianoRoll(roll, `rollStatistics: roll ${i}`);
    let lo = Infinity;
    let hi = -Infinity;
    let pieceNotes = 0;
    for (let f = 0; f < roll.frames; f++) {
      let n = 0;
      for (let k = 0; k < PIANO_KEYS; k++) {
        if (!roll.keys[f * PIANO_KEYS + k]) continue;
        n++;
        lo = Math.min(lo, k);
        hi = Math.max(hi, k);
      }
      notes += n;
      pieceNotes += n;
      if (n > 0) sounding++;
      maxNotes = Math.max(maxNotes, n);
    }
    frames += roll.frames;
    if (pieceNotes === 0) return;
    lowest = Math.min(lowest, lo);
    highest = Math.max(highest, hi);
    rangeWeighted += (hi - lo) * pieceNotes;
    const h = pitchClassHistogram(roll);
    const key = estimateKey(h);
    const scale = scalePitchClasses(key.key, key.mode);
    for (const pc of scale) inKey += h[pc]!;
    keyed += pieceNotes;
    const name = `${NAMES[key.key]} ${key.mode}`;
    keys[name] = (keys[name] ?? 0) + 1;
  });
  return {
    pieces: rolls.length,
    frames,
    notesPerFrame: frames === 0 ? 0 : notes / frames,
    notesPerSoundingFrame: sounding === 0 ? 0 : notes / sounding,
    silentFrames: frames === 0 ? 0 : (frames - sounding) / frames,
    maxNotesPerFrame: maxNotes,
    lowestPitch: notes === 0 ? null : LOWEST_PIANO_PITCH + lowest,
    highestPitch: notes === 0 ? null : LOWEST_PIANO_PITCH + highest,
    meanPieceRange: keyed === 0 ? 0 : rangeWeighted / keyed,
    inKeyShare: keyed === 0 ? 0 : inKey / keyed,
    keys,
  };
}
