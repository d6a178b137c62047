import { describe, expect, it } from 'vitest';
import { FormatError, ValueError } from '@recurrent/core';
import MidiParser from 'midi-parser-js';
import { midiToNoteSequence, noteSequenceToMidi, validateNoteSequence, type NoteSequence } from '../src/index.js';
import { note, readData, sequence } from './helpers.js';

interface ParsedEvent {
  deltaTime: number;
  type: number;
  metaType?: number;
  channel?: number;
  data?: number | string | number[];
}

/** Notes (pitch, start tick, end tick, channel) and meta events as midi-parser-js, an independent reader, sees them. */
function independentRead(bytes: Uint8Array) {
  const parsed = MidiParser.parse(bytes) as {
    formatType: number;
    tracks: number;
    timeDivision: number;
    track: { event: ParsedEvent[] }[];
  };
  const notes: { pitch: number; start: number; end: number; channel: number; velocity: number }[] = [];
  const metas: { type: number; data: ParsedEvent['data']; tick: number }[] = [];
  for (const track of parsed.track) {
    let tick = 0;
    const open = new Map<number, { start: number; velocity: number }>();
    for (const e of track.event) {
      tick += e.deltaTime;
      if (e.type === 255) metas.push({ type: e.metaType!, data: e.data, tick });
      const d = e.data as number[];
      if (e.type === 9 && d[1]! > 0) open.set(d[0]! * 16 + e.channel!, { start: tick, velocity: d[1]! });
      else if (e.type === 8 || (e.type === 9 && d[1] === 0)) {
        const key = d[0]! * 16 + e.channel!;
        const on = open.get(key);
        if (on) notes.push({ pitch: d[0]!, start: on.start, end: tick, channel: e.channel!, velocity: on.velocity });
        open.delete(key);
      }
    }
  }
  notes.sort((a, b) => a.start - b.start || a.pitch - b.pitch);
  return { parsed, notes, metas };
}

function chordsAndMelody(): NoteSequence {
  const seq = sequence(
    [
      note(60, 0, 0.5, { velocity: 80 }),
      note(64, 0, 0.5, { velocity: 80 }),
      note(72, 0, 0.25, { instrument: 1, program: 40, velocity: 110 }),
      note(74, 0.25, 0.5, { instrument: 1, program: 40, velocity: 110 }),
      note(36, 0.5, 1.5, { instrument: 2, program: 0, isDrum: true }),
      note(65, 0.5, 1, { velocity: 1 }),
    ],
    90,
  );
  seq.timeSignatures = [{ time: 0, numerator: 3, denominator: 4 }];
  seq.keySignatures = [{ time: 0, key: 9, mode: 'minor' }];
  seq.title = 'round trip';
  seq.notes.sort((a, b) => a.startTime - b.startTime || a.pitch - b.pitch);
  return seq;
}

describe('MIDI round trip', () => {
  it('reads back what it writes: notes, programs, drums, tempo, metre, key, title', () => {
    const seq = chordsAndMelody();
    const back = midiToNoteSequence(noteSequenceToMidi(seq), { source: 'round-trip.mid' });
    validateNoteSequence(back);
    expect(back.notes.map((n) => [n.pitch, n.velocity, n.program, n.instrument, !!n.isDrum])).toEqual(
      seq.notes.map((n) => [n.pitch, n.velocity, n.program, n.instrument, !!n.isDrum]),
    );
    back.notes.forEach((n, i) => {
      // ticks are exact; the tempo is stored as whole microseconds per quarter (666,666 µs for 90 qpm)
      expect(n.startTime).toBeCloseTo(seq.notes[i]!.startTime, 5);
      expect(n.endTime).toBeCloseTo(seq.notes[i]!.endTime, 5);
    });
    expect(back.tempos).toEqual([{ time: 0, qpm: expect.closeTo(90, 3) }]);
    expect(back.timeSignatures).toEqual([{ time: 0, numerator: 3, denominator: 4 }]);
    expect(back.keySignatures).toEqual([{ time: 0, key: 9, mode: 'minor' }]);
    expect(back.title).toBe('round trip');
  });

  it('an independent parser (midi-parser-js) reads the same notes, tempo, metre and key from our file', () => {
    const seq = chordsAndMelody();
    seq.keySignatures = [{ time: 0, key: 2, mode: 'major' }]; // D major: 2 sharps
    const bytes = noteSequenceToMidi(seq);
    const { parsed, notes, metas } = independentRead(bytes);
    expect(parsed.formatType).toBe(1);
    expect(parsed.tracks).toBe(4); // header track + 3 instruments
    const ppq = parsed.timeDivision;
    const secondsPerTick = 60 / 90 / ppq;
    expect(notes.map((n) => [n.pitch, n.start * secondsPerTick, n.end * secondsPerTick, n.velocity])).toEqual(
      seq.notes.map((n) => [n.pitch, expect.closeTo(n.startTime, 9), expect.closeTo(n.endTime, 9), n.velocity]),
    );
    expect(notes.find((n) => n.pitch === 36)!.channel).toBe(9);
    const tempo = metas.find((m) => m.type === 0x51)!;
    expect(tempo.data).toBe(Math.floor(60_000_000 / 90));
    const metre = metas.find((m) => m.type === 0x58)!;
    expect((metre.data as number[]).slice(0, 2)).toEqual([3, 2]); // 3 / 2^2
    const key = metas.find((m) => m.type === 0x59)!;
    // midi-parser-js packs the two bytes (sharps, minor) into one number: sharps * 256 + minor.
    expect(key.data).toBe(2 * 256 + 0);
  });

  it("a file with @tonejs/midi's unpatched key byte (sharps + 14) still reads; that key signature is left out", () => {
    const seq = chordsAndMelody();
    seq.keySignatures = [{ time: 0, key: 0, mode: 'major' }];
    const bytes = noteSequenceToMidi(seq);
    const at = bytes.findIndex((b, i) => b === 0xff && bytes[i + 1] === 0x59 && bytes[i + 2] === 2);
    expect(bytes[at + 3]).toBe(0); // ours: C major, no sharps
    bytes[at + 3] = 14; // what @tonejs/midi 2.0.28 writes for C major
    const back = midiToNoteSequence(bytes);
    expect(back.keySignatures).toEqual([]);
    expect(back.notes.length).toBe(seq.notes.length);
  });

  it('reads a real Nottingham file (format 1, melody + chords, 6/8, A major)', () => {
    const seq = midiToNoteSequence(readData('nottingham-midi', 'MIDI', 'jigs1.mid'), {
      source: 'jigs1.mid',
      stepsPerQuarter: 4,
    });
    validateNoteSequence(seq);
    expect(new Set(seq.notes.map((n) => n.instrument))).toEqual(new Set([0, 1]));
    expect(seq.notes.length).toBe(171 + 128);
    expect(seq.timeSignatures).toEqual([{ time: 0, numerator: 6, denominator: 8 }]);
    expect(seq.keySignatures[0]).toEqual({ time: 0, key: 9, mode: 'major' });
    const first = seq.notes.find((n) => n.instrument === 0)!;
    expect([first.pitch, first.startTime, first.quantizedStartStep, first.quantizedEndStep]).toEqual([
      78, 1.25, 10, 12,
    ]);
    // and what the independent parser sees in the same file
    const { notes } = independentRead(readData('nottingham-midi', 'MIDI', 'jigs1.mid'));
    expect(notes.length).toBe(seq.notes.length);
  });
});

describe('malformed MIDI is a FormatError naming the file and the problem', () => {
  const good = readData('nottingham-midi', 'MIDI', 'jigs1.mid');
  const cases: [string, Uint8Array, RegExp][] = [
    [
      'a text file',
      new TextEncoder().encode('X:1\nT:not a midi file\nK:D\nabc|\n'),
      /bad\.mid: .*"MThd" at byte 0, got "X:1\\n"/,
    ],
    ['an empty file', new Uint8Array(0), /bad\.mid: .*0 bytes is shorter than a MIDI header/],
    ['a truncated file', good.subarray(0, 100), /bad\.mid: .*claims \d+ bytes but only 78 remain/],
    ['the header only', good.subarray(0, 14), /bad\.mid: .*announces 2 tracks but the file has 0/],
  ];
  const absurd = good.slice();
  new DataView(absurd.buffer).setUint32(18, 0x7fffffff); // first track claims 2 GiB
  cases.push(['an absurd track length', absurd, /bad\.mid: .*claims 2147483647 bytes/]);
  const wrongFormat = good.slice();
  wrongFormat[9] = 7;
  cases.push(['format 7', wrongFormat, /bad\.mid: .*format 7 \(expected 0, 1 or 2\)/]);
  const badEvent = good.slice();
  // the first event of track 1 (after MThd 14 bytes and the MTrk header 8 bytes) becomes a delta time with no end
  badEvent.fill(0xff, 22, 26);
  cases.push([
    'a broken variable-length number',
    badEvent,
    /bad\.mid: .*track 0.*variable-length number is longer than 4 bytes/,
  ]);
  for (const [what, bytes, message] of cases) {
    it(what, () => {
      expect(() => midiToNoteSequence(bytes, { source: 'bad.mid' })).toThrowError(FormatError);
      expect(() => midiToNoteSequence(bytes, { source: 'bad.mid' })).toThrowError(message);
    });
  }
});

describe('NoteSequence validation', () => {
  it('names the bad field', () => {
    expect(() => validateNoteSequence(sequence([note(128, 0, 1)]), 'seq')).toThrowError(
      /seq\.notes\[0\]\.pitch must be an integer in 0\.\.127, got 128/,
    );
    expect(() => validateNoteSequence(sequence([note(60, 1, 1)]), 'seq')).toThrowError(
      /seq\.notes\[0\]: endTime 1 must be after startTime 1/,
    );
    expect(() => validateNoteSequence(sequence([note(60, 1, 2), note(60, 0, 1)]), 'seq')).toThrowError(/sorted/);
    expect(() => noteSequenceToMidi(sequence([note(60, 0, 1), note(62, 0, 1, { program: 3 })]))).toThrowError(
      ValueError,
    );
  });
});
