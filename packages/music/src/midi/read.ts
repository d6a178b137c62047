import { FormatError } from '@recurrent/core';
import {
  DEFAULT_QPM,
  sortNotes,
  type KeySignature,
  type Note,
  type NoteSequence,
  type Tempo,
  type TimeSignature,
} from '../note-sequence.js';
import { checkMidiStructure } from './structure.js';
import { pitchClassOfName } from './key-names.js';
import { ToneMidi, type ToneMidiFile } from './tonejs.js';

export interface ReadMidiOptions {
  /** Name of the file for error messages (default 'MIDI data'). */
  source?: string;
  /** Also quantise: every note gets start/end steps on this grid, computed from its ticks (exact). */
  stepsPerQuarter?: number;
}

function parse(bytes: Uint8Array, source: string): ToneMidiFile {
  try {
    return new ToneMidi(bytes);
  } catch (e) {
    // midi-file throws strings for some problems; never let a raw exception out.
    throw new FormatError(`${source}: not a valid MIDI file: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Sort by time and drop events that repeat the value in force (format-1 files often repeat them in every track). */
function dedupe<T extends { time: number }>(events: T[], same: (a: T, b: T) => boolean): T[] {
  const sorted = events.slice().sort((a, b) => a.time - b.time);
  return sorted.filter((e, i) => i === 0 || !same(e, sorted[i - 1]!));
}

/**
 * A Standard MIDI File as a NoteSequence, read by @tonejs/midi after `checkMidiStructure` has walked every chunk and
 * event, so a truncated, mislabelled or absurd file is a FormatError naming `source` and the problem. Every track's
 * notes keep their track index as `instrument`, its program, and `isDrum` for channel 10; zero-length notes are
 * dropped. Velocities are MIDI 1..127. Tempos, time signatures and key signatures come from the header
 * (a key signature byte outside −7..7 is left out).
 */
export function midiToNoteSequence(data: Uint8Array | ArrayBuffer, options: ReadMidiOptions = {}): NoteSequence {
  const source = options.source ?? 'MIDI data';
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  const header = checkMidiStructure(bytes, source);
  const midi = parse(bytes, source);
  const ppq = header.ticksPerQuarter;
  const spq = options.stepsPerQuarter;
  const notes: Note[] = [];
  midi.tracks.forEach((track, instrument) => {
    for (const n of track.notes) {
      if (!(n.durationTicks > 0)) continue;
      if (
        !Number.isInteger(n.midi) ||
        n.midi < 0 ||
        n.midi > 127 ||
        !Number.isFinite(n.time) ||
        !Number.isFinite(n.duration)
      ) {
        throw new FormatError(
          `${source}: track ${instrument} has a note with pitch ${n.midi} at ${n.time} s lasting ${n.duration} s`,
        );
      }
      const note: Note = {
        pitch: n.midi,
        velocity: Math.min(127, Math.max(1, Math.round(n.velocity * 127))),
        startTime: n.time,
        endTime: n.time + n.duration,
        program: track.instrument.number,
        instrument,
        isDrum: track.channel === 9,
      };
      if (spq !== undefined) {
        note.quantizedStartStep = Math.round((n.ticks * spq) / ppq);
        note.quantizedEndStep = Math.max(
          note.quantizedStartStep + 1,
          Math.round(((n.ticks + n.durationTicks) * spq) / ppq),
        );
      }
      notes.push(note);
    }
  });
  sortNotes(notes);
  const time = (ticks: number): number => midi.header.ticksToSeconds(ticks);
  const tempos: Tempo[] = dedupe(
    midi.header.tempos.map((t) => ({ time: time(t.ticks), qpm: t.bpm })),
    (a, b) => a.qpm === b.qpm,
  );
  if (tempos.length === 0 || tempos[0]!.time > 0) tempos.unshift({ time: 0, qpm: DEFAULT_QPM });
  const timeSignatures: TimeSignature[] = dedupe(
    midi.header.timeSignatures.map((t) => ({
      time: time(t.ticks),
      numerator: t.timeSignature[0] ?? 4,
      denominator: t.timeSignature[1] ?? 4,
    })),
    (a, b) => a.numerator === b.numerator && a.denominator === b.denominator,
  );
  const keySignatures: KeySignature[] = [];
  for (const k of midi.header.keySignatures) {
    // A sharps/flats byte outside −7..7 (e.g. from @tonejs/midi's own writer, see write.ts) names no key: such a
    // key signature is left out rather than failing a file whose notes are fine.
    const named = typeof k.key === 'string' ? pitchClassOfName(k.key) : null;
    if (named === null) continue;
    // @tonejs/midi names the key signature by its major key; a minor key's tonic is three semitones below.
    const mode = k.scale === 'minor' ? 'minor' : 'major';
    keySignatures.push({ time: time(k.ticks), key: mode === 'minor' ? (named + 9) % 12 : named, mode });
  }
  const lastEnd = notes.reduce((m, n) => Math.max(m, n.endTime), 0);
  const seq: NoteSequence = {
    notes,
    tempos,
    timeSignatures,
    keySignatures: dedupe(keySignatures, (a, b) => a.key === b.key && a.mode === b.mode),
    totalTime: Math.max(lastEnd, Number.isFinite(midi.duration) ? midi.duration : 0),
  };
  const title = midi.header.name || midi.tracks.find((t) => t.name)?.name;
  if (title) seq.title = title;
  if (spq !== undefined) {
    seq.stepsPerQuarter = spq;
    seq.totalQuantizedSteps = notes.reduce((m, n) => Math.max(m, n.quantizedEndStep ?? 0), 0);
  }
  return seq;
}
