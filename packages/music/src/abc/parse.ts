import { FormatError, ValueError } from '@recurrent/core';
import { DEFAULT_QPM, sortNotes, type KeyMode, type Note, type NoteSequence } from '../note-sequence.js';
import { pitchClassOfName } from '../midi/key-names.js';
import { parseAbcTunes, type AbcKeySignature, type AudioTrackNoteItem, type TuneObject } from './abcjs.js';

export interface ParseAbcOptions {
  /** Name of the text for error messages (default 'ABC text'). */
  source?: string;
  /** Tempo when the tune has no `Q:` field, in quarter notes per minute (default 120). */
  qpm?: number;
  /** Also quantise: notes get start/end steps on this grid of steps per quarter note. */
  stepsPerQuarter?: number;
  /** Treat abcjs's warnings (unknown characters, bad fields) as errors (default true). */
  strict?: boolean;
  /** Play chord symbols ("Am") as accompaniment, as abcjs does by default (default false: melody only). */
  chords?: boolean;
  /** Longest tune accepted, in characters (default MAX_ABC_TUNE_CHARS). */
  maxChars?: number;
}

/**
 * The longest ABC tune read by default: 20,000 characters (the Irish corpus's longest tune has 604). abcjs's time
 * grows faster than the text — 4.6 s for 44,000 characters of voice switches — so a hostile file is refused first.
 */
export const MAX_ABC_TUNE_CHARS = 20_000;

/**
 * The largest number accepted in a tune's music lines (note lengths, rest and multi-bar rest counts): abcjs's time
 * grows with them — a 100,000-bar rest `Z100000` takes 0.1 s, `Z99999999` minutes.
 */
export const MAX_ABC_MUSIC_NUMBER = 10_000;

/** A FormatError message when a music line (not a `T:`-style field, not a % comment) holds a number over the limit. */
function hugeNumberProblem(text: string, source: string): string | null {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (/^\s*([A-Za-z+]:|%)/.test(line)) continue;
    for (const m of line.matchAll(/\d+/g)) {
      const digits = m[0];
      if (digits.length > 5 || Number(digits) > MAX_ABC_MUSIC_NUMBER)
        return (
          `${source}: line ${i + 1}: the number ${digits.length > 12 ? `${digits.slice(0, 12)}…` : digits} is ` +
          `beyond ${MAX_ABC_MUSIC_NUMBER} (no note length or rest count is that large)`
        );
    }
  }
  return null;
}

/** abcjs warnings are HTML (the bad character underlined); plain text for our messages. */
function plainWarning(w: string): string {
  return w
    .replace(/<[^>]*>/g, '')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ')
    .trim();
}

const MINOR_MODES = new Set(['m', 'min', 'minor', 'aeo', 'dor', 'phr', 'loc']);

function keyOf(k: AbcKeySignature): { key: number; mode: KeyMode } | null {
  if (!k || k.root === 'none' || k.root === 'HP' || k.root === 'Hp') return null;
  const key = pitchClassOfName(`${k.root}${k.acc}`);
  if (key === null) return null;
  return { key, mode: MINOR_MODES.has(String(k.mode).toLowerCase()) ? 'minor' : 'major' };
}

function parseOne(text: string, source: string, maxChars = MAX_ABC_TUNE_CHARS): TuneObject {
  if (text.length > maxChars)
    throw new FormatError(
      `${source}: the ABC text is ${text.length} characters, more than the ${maxChars} of a tune (a tune per call; ` +
        'split a collection with splitAbcTunes)',
    );
  const huge = hugeNumberProblem(text, source);
  if (huge !== null) throw new FormatError(huge);
  let tunes: TuneObject[];
  try {
    tunes = parseAbcTunes(text);
  } catch (e) {
    throw new FormatError(`${source}: ABC parser failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (tunes.length === 0) throw new FormatError(`${source}: no ABC tune found (a tune starts with an X: line)`);
  if (tunes.length > 1)
    throw new ValueError(`${source}: holds ${tunes.length} tunes; split it with splitAbcTunes first`);
  return tunes[0]!;
}

/**
 * One ABC tune as a NoteSequence, through abcjs: `abcjs.parseOnly` builds the tune, its audio sequencer
 * (`setUpAudio`) expands repeats, endings, ties, triplets, accidentals and the key signature into notes with
 * MIDI pitches and start/duration in whole notes, which become seconds at the tune's `Q:` tempo (or `qpm`).
 * FormatError naming `source` when there is no tune, no note, or (with `strict`, the default) any abcjs warning.
 * Every voice is an instrument; program as the tune sets it (`%%MIDI program`), else 0.
 */
export function abcToNoteSequence(text: string, options: ParseAbcOptions = {}): NoteSequence {
  const source = options.source ?? 'ABC text';
  const strict = options.strict ?? true;
  const fallbackQpm = options.qpm ?? DEFAULT_QPM;
  if (!(fallbackQpm > 0)) throw new ValueError(`abcToNoteSequence: qpm must be > 0, got ${fallbackQpm}`);
  const tune = parseOne(text, source, options.maxChars);
  const warnings = (tune.warnings ?? []).map(plainWarning);
  if (strict && warnings.length > 0) {
    const more = warnings.length > 1 ? ` (and ${warnings.length - 1} more)` : '';
    throw new FormatError(`${source}: ABC error: ${warnings[0]}${more}`);
  }
  const hasTempo = Boolean(tune.metaText?.tempo);
  let audio: ReturnType<TuneObject['setUpAudio']>;
  try {
    audio = tune.setUpAudio(
      hasTempo ? { chordsOff: !options.chords } : { qpm: fallbackQpm, chordsOff: !options.chords },
    );
  } catch (e) {
    throw new FormatError(`${source}: the ABC tune cannot be played: ${e instanceof Error ? e.message : String(e)}`);
  }
  const qpm = audio.tempo > 0 ? audio.tempo : fallbackQpm;
  const secondsPerWhole = (4 * 60) / qpm;
  const spq = options.stepsPerQuarter;
  const notes: Note[] = [];
  audio.tracks.forEach((track, instrument) => {
    for (const item of track) {
      if (item.cmd !== 'note') continue;
      const n = item as AudioTrackNoteItem;
      if (!(n.duration > 0) || !Number.isInteger(n.pitch) || n.pitch < 0 || n.pitch > 127) continue;
      const note: Note = {
        pitch: n.pitch,
        velocity: Math.min(127, Math.max(1, Math.round(n.volume))),
        startTime: n.start * secondsPerWhole,
        endTime: (n.start + n.duration) * secondsPerWhole,
        program: n.instrument >= 0 && n.instrument <= 127 ? n.instrument : 0,
        instrument,
      };
      if (spq !== undefined) {
        note.quantizedStartStep = Math.round(n.start * 4 * spq);
        note.quantizedEndStep = Math.max(note.quantizedStartStep + 1, Math.round((n.start + n.duration) * 4 * spq));
      }
      notes.push(note);
    }
  });
  if (notes.length === 0) throw new FormatError(`${source}: the ABC tune has no notes`);
  sortNotes(notes);
  const meter = tune.getMeterFraction();
  const numerator = meter?.num ?? 0;
  const denominator = meter?.den ?? 0;
  const key = keyOf(tune.getKeySignature());
  const totalTime = notes.reduce((m, n) => Math.max(m, n.endTime), 0);
  const seq: NoteSequence = {
    notes,
    tempos: [{ time: 0, qpm }],
    timeSignatures:
      numerator > 0 && [1, 2, 4, 8, 16, 32, 64].includes(denominator) ? [{ time: 0, numerator, denominator }] : [],
    keySignatures: key ? [{ time: 0, ...key }] : [],
    totalTime,
  };
  const title = tune.metaText?.title;
  if (title) seq.title = title;
  if (spq !== undefined) {
    seq.stepsPerQuarter = spq;
    seq.totalQuantizedSteps = notes.reduce((m, n) => Math.max(m, n.quantizedEndStep ?? 0), 0);
  }
  return seq;
}

/** Why a text is not a playable tune, or null when `abcToNoteSequence` accepts it. */
export function abcProblem(text: string, options: ParseAbcOptions = {}): string | null {
  try {
    abcToNoteSequence(text, options);
    return null;
  } catch (e) {
    if (e instanceof FormatError || e instanceof ValueError) return e.message;
    throw e;
  }
}

export interface AbcPlayability {
  total: number;
  /** Tunes that parse without warnings and yield at least one note. */
  playable: number;
  /** playable / total (0 for no tunes). */
  share: number;
  /** Index and reason of each tune that does not. */
  failures: { index: number; reason: string }[];
}

/** The "share of generated tunes that parse and play": each text through `abcToNoteSequence` (strict by default). */
export function abcPlayability(tunes: readonly string[], options: ParseAbcOptions = {}): AbcPlayability {
  const failures: AbcPlayability['failures'] = [];
  tunes.forEach((t, index) => {
    const reason = abcProblem(t, { ...options, source: options.source ?? `tune ${index}` });
    if (reason !== null) failures.push({ index, reason });
  });
  const playable = tunes.length - failures.length;
  return { total: tunes.length, playable, share: tunes.length === 0 ? 0 : playable / tunes.length, failures };
}
