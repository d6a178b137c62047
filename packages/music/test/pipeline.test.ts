import { describe, expect, it } from 'vitest';
import MidiParser from 'midi-parser-js';
import {
  abcToNoteSequence,
  generateRoll,
  midiToNoteSequence,
  noteSequenceToMidi,
  noteSequenceToRoll,
  PianoRollRNN,
  rollStatistics,
  rollToNoteSequence,
  RnnNade,
  sliceRoll,
  splitAbcTunes,
} from '../src/index.js';
import { readIrishAbc } from '../src/node.js';
import { readData } from './helpers.js';

describe('primer file → roll → model → roll → .mid (what `generate` will do)', () => {
  it('a Nottingham MIDI primer and an ABC primer continue into a MIDI file another parser reads', () => {
    const midiPrimer = midiToNoteSequence(readData('nottingham-midi', 'MIDI', 'jigs1.mid'), { stepsPerQuarter: 2 });
    const abcPrimer = abcToNoteSequence(splitAbcTunes(readIrishAbc())[0]!, { stepsPerQuarter: 2 });
    for (const [model, primerSeq] of [
      [new PianoRollRNN({ hiddenSize: 16, seed: 1 }), midiPrimer],
      [new RnnNade({ hiddenSize: 16, nadeHiddenSize: 8, seed: 1 }), abcPrimer],
    ] as const) {
      const primer = sliceRoll(noteSequenceToRoll(primerSeq, { stepsPerQuarter: 2 }, { outOfRange: 'drop' }), 0, 16);
      const out = generateRoll(model, { primer, steps: 16, temperature: 1, seed: 0 });
      expect(out.roll.frames).toBe(32);
      const seq = rollToNoteSequence(out.roll, { stepsPerQuarter: 2 }, { qpm: 120 });
      const bytes = noteSequenceToMidi(seq);
      const parsed = MidiParser.parse(bytes) as { track: { event: { type: number }[] }[] };
      const noteOns = parsed.track.flatMap((t) => t.event).filter((e) => e.type === 9).length;
      expect(noteOns).toBe(seq.notes.length);
      expect(midiToNoteSequence(bytes).notes.length).toBe(seq.notes.length);
      // the statistics apply to samples as to data
      expect(rollStatistics([out.roll]).frames).toBe(32);
    }
  });
});
