import { ValueError } from '@recurrent/core';
import { secondsToQuarters, validateNoteSequence, type NoteSequence } from '../note-sequence.js';
import { checkMidiStructure } from './structure.js';
import { keySignatureAccidentals } from './key-names.js';
import { ToneMidi } from './tonejs.js';

export interface WriteMidiOptions {
  /** Sequence name written in the header track (default: the sequence's title). */
  name?: string;
}

/** @tonejs/midi names key signatures by their major key, in this order (index = sharps + 7). */
const SIGNATURE_KEYS = ['Cb', 'Gb', 'Db', 'Ab', 'Eb', 'Bb', 'F', 'C', 'G', 'D', 'A', 'E', 'B', 'F#', 'C#'];

/**
 * @tonejs/midi 2.0.28 writes a key signature's sharps/flats byte as (index in its key list + 7), i.e. sharps + 14:
 * walk the written file's meta events and put the standard −7..7 value back, so other MIDI software reads the key
 * (@tonejs/midi's own reader, which adds 7 to the standard value, then reads it correctly too).
 */
function fixKeySignatureBytes(bytes: Uint8Array): void {
  checkMidiStructure(bytes, 'written MIDI', (type, at, length) => {
    if (type !== 0x59 || length !== 2) return;
    const written = (bytes[at]! << 24) >> 24;
    bytes[at] = (written - 14) & 0xff;
  });
}

/**
 * A NoteSequence as a Standard MIDI File (format 1, written by @tonejs/midi, 480 ticks per quarter note): one track
 * per `instrument` with its program (drums on channel 10), the tempo map, time signatures and key signatures in the
 * header track. Times go through the tempo map to ticks. The sequence is validated first.
 */
export function noteSequenceToMidi(seq: NoteSequence, options: WriteMidiOptions = {}): Uint8Array {
  validateNoteSequence(seq, 'noteSequenceToMidi: sequence');
  const midi = new ToneMidi();
  const ppq = midi.header.ppq;
  const ticks = (seconds: number): number => Math.round(secondsToQuarters(seq, seconds) * ppq);
  const name = options.name ?? seq.title;
  if (name) midi.header.name = name;
  midi.header.tempos = seq.tempos.map((t) => ({ ticks: ticks(t.time), bpm: t.qpm }));
  midi.header.timeSignatures = seq.timeSignatures.map((t) => ({
    ticks: ticks(t.time),
    timeSignature: [t.numerator, t.denominator],
  }));
  midi.header.keySignatures = seq.keySignatures.map((k) => ({
    ticks: ticks(k.time),
    key: SIGNATURE_KEYS[keySignatureAccidentals(k.key, k.mode) + 7]!,
    scale: k.mode,
  }));
  midi.header.update();
  const instruments = [...new Set(seq.notes.map((n) => n.instrument))].sort((a, b) => a - b);
  let channel = 0;
  for (const instrument of instruments) {
    const notes = seq.notes.filter((n) => n.instrument === instrument);
    const track = midi.addTrack();
    const drum = notes.some((n) => n.isDrum);
    if (drum && !notes.every((n) => n.isDrum)) {
      throw new ValueError(
        `noteSequenceToMidi: instrument ${instrument} mixes drum and pitched notes; give them separate instruments`,
      );
    }
    if (drum) track.channel = 9;
    else {
      if (channel === 9) channel++;
      if (channel > 15)
        throw new ValueError(
          `noteSequenceToMidi: more than 15 pitched instruments (${instruments.length}) do not fit MIDI's channels`,
        );
      track.channel = channel++;
    }
    const program = notes[0]?.program ?? 0;
    if (notes.some((n) => n.program !== program)) {
      throw new ValueError(
        `noteSequenceToMidi: instrument ${instrument} has notes with different programs; a MIDI track has one`,
      );
    }
    track.instrument.number = program;
    for (const n of notes) {
      const start = ticks(n.startTime);
      track.addNote({
        midi: n.pitch,
        ticks: start,
        durationTicks: Math.max(1, ticks(n.endTime) - start),
        velocity: n.velocity / 127,
      });
    }
  }
  const bytes = midi.toArray();
  fixKeySignatureBytes(bytes);
  return bytes;
}
