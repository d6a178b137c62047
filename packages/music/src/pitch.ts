/** MIDI pitch of the lowest piano key (A0); key k of an 88-key roll is MIDI pitch 21 + k. */
export const LOWEST_PIANO_PITCH = 21;
/** MIDI pitch of the highest piano key (C8). */
export const HIGHEST_PIANO_PITCH = 108;
/** Keys of a piano roll. */
export const PIANO_KEYS = 88;

const NAMES = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'];

/** Scientific pitch name of a MIDI pitch: 60 → 'C4', 61 → 'C#4'. */
export function pitchName(pitch: number): string {
  return `${NAMES[((pitch % 12) + 12) % 12]}${Math.floor(pitch / 12) - 1}`;
}

/** Whether a MIDI pitch is on the 88-key piano (21..108). */
export function isPianoPitch(pitch: number): boolean {
  return Number.isInteger(pitch) && pitch >= LOWEST_PIANO_PITCH && pitch <= HIGHEST_PIANO_PITCH;
}
