// Fuzz targets of @recurrent/music's parsers: MIDI files, ABC tunes, saved model directories (piano-roll RNN,
// RNN-NADE, the folk-tune language model) and the recurrent-music command line.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  cliTarget,
  modelDirTarget,
  mutateBytes,
  mutateLine,
  TYPED_ERRORS,
  writeModelDir,
  type CliCase,
  type FuzzRandom,
  type FuzzTarget,
  type ModelDirFiles,
} from '@recurrent/test-support';
import { findDataDir } from '@recurrent/core/node';
import { encodeModelBundle } from '@recurrent/text';
import {
  abcToNoteSequence,
  createFolkModel,
  encodeRollModel,
  folkTokenizer,
  midiToNoteSequence,
  noteSequenceToMidi,
  PianoRollRNN,
  RnnNade,
  splitAbcTunes,
  type RollModel,
} from '../../src/index.js';
import { loadMusicModelDir, runCli } from '../../src/node.js';
import { note, sequence } from '../helpers.js';

/** Two short tunes written for these tests (the Irish corpus adds real ones when shared/data is there). */
const TUNES = [
  'X:1\nT:Fuzz Reel\nM:4/4\nL:1/8\nQ:1/4=120\nK:D\n|:DFAF dFAF|GBdB AFD2:|\n|2 A2 (3Bcd e2 fe|d6 z2|]\n',
  'X:2\nT:Fuzz Jig\nM:6/8\nL:1/8\nK:Ador\nA>BA G2E|^c_d=e [CEG]3|1 a3 :|2 A3|]\n',
];

function dataFiles(): { midi: Uint8Array[]; tunes: string[] } {
  const dir = findDataDir();
  const midiDir = dir ? join(dir, 'nottingham-midi', 'MIDI') : '';
  const abcPath = dir ? join(dir, 'irish-folk-abc', 'irish.abc') : '';
  const midi = existsSync(midiDir)
    ? readdirSync(midiDir)
        .filter((f) => f.endsWith('.mid'))
        .slice(0, 4)
        .map((f) => new Uint8Array(readFileSync(join(midiDir, f))))
    : [];
  const tunes = existsSync(abcPath) ? splitAbcTunes(readFileSync(abcPath, 'utf8')).slice(0, 6) : [];
  return { midi, tunes };
}

function validMidi(): Uint8Array[] {
  const written = noteSequenceToMidi(sequence([note(60, 0, 0.5), note(64, 0.5, 1), note(67, 1, 2, { velocity: 80 })]));
  return [written, ...dataFiles().midi];
}

/** Offsets of the MThd length/format/tracks/division fields and of each MTrk length. */
function midiHotOffsets(bytes: Uint8Array): number[] {
  const hot = [4, 8, 10, 12];
  for (let i = 14; i + 8 <= bytes.length; i++)
    if (bytes[i] === 0x4d && bytes[i + 1] === 0x54 && bytes[i + 2] === 0x72 && bytes[i + 3] === 0x6b) hot.push(i + 4);
  return hot;
}

export function midiTarget(): FuzzTarget<Uint8Array> {
  let files: Uint8Array[] | null = null;
  return {
    parser: 'MIDI (music)',
    generate(random) {
      files ??= validMidi();
      const file = random.pick(files);
      return mutateBytes(random, file, { others: files, hotOffsets: midiHotOffsets(file) });
    },
    run: (bytes) => midiToNoteSequence(bytes, { source: 'fuzz.mid', stepsPerQuarter: 4 }),
    rule: () => ({ accepts: TYPED_ERRORS, names: ['fuzz.mid'] }),
    inputBytes: (bytes) => bytes.length,
  };
}

/** Header and body changes an ABC parser must survive: absurd lengths, meters, tempos, keys, repeats, notes. */
const HOSTILE_ABC_LINES = [
  'L:1/0',
  'L:0/8',
  'L:1/99999999',
  'M:0/0',
  'M:99999/1',
  'Q:1/4=0',
  'Q:1/4=1e9',
  'Q:-5',
  'K:',
  'K:Zmix',
  'K:C clef=none transpose=9999',
  'A99999999 B/99999999 c0',
  '|:|:|:|:|:|:|:|:',
  ':|:|:|:|:|',
  '[1[2[3[4',
  '(((((((((((',
  '(9abcdefghi',
  '^^^^^^^^^^c',
  'z99999999',
  '%%MIDI program 9999',
  'V:1\nV:2\nV:99999',
  'X:3',
  '',
];

function mutateAbc(random: FuzzRandom, tune: string): string {
  if (random.chance(0.2)) return new TextDecoder().decode(mutateBytes(random, new TextEncoder().encode(tune)));
  const lines = tune.split('\n');
  for (let i = random.between(1, 3); i > 0; i--) {
    const at = random.int(lines.length + 1);
    const op = random.int(4);
    if (op === 0) lines.splice(at, 0, random.pick(HOSTILE_ABC_LINES));
    else if (op === 1) lines.splice(at, 1);
    else if (op === 2) lines[at] = mutateLine(random, lines[at] ?? '');
    else lines.splice(at, 0, random.pick(HOSTILE_ABC_LINES).repeat(random.pick([2, 50, 2000])));
  }
  return lines.join('\n');
}

export function abcTarget(): FuzzTarget<string> {
  let tunes: string[] | null = null;
  return {
    parser: 'ABC (music)',
    generate(random) {
      tunes ??= [...TUNES, ...dataFiles().tunes];
      return mutateAbc(random, random.pick(tunes));
    },
    run(text) {
      for (const tune of splitAbcTunes(text).slice(0, 2)) abcToNoteSequence(tune, { source: 'fuzz.abc' });
    },
    rule: () => ({ accepts: TYPED_ERRORS, names: ['fuzz.abc'] }),
    inputBytes: (text) => 2 * text.length,
    timeLimitMs: 20_000,
  };
}

function rollFiles(model: RollModel): ModelDirFiles {
  const { weights, config } = encodeRollModel(model, { stepsPerQuarter: 2, training: { task: 'jsb' } });
  return { 'model.safetensors': weights, 'config.json': config, 'metrics.json': '{"valid":{"nll":8.3}}\n' };
}

function folkFiles(): ModelDirFiles {
  const tokenizer = folkTokenizer(TUNES);
  const model = createFolkModel(tokenizer, { embeddingDim: 6, hiddenSize: 8, numLayers: 1, dropout: 0 });
  const b = encodeModelBundle(model, { training: { task: 'abc' } });
  return { 'model.safetensors': b.weights, 'tokenizer.json': b.tokenizer, 'config.json': b.config };
}

export function musicModelDirTargets(): FuzzTarget<never>[] {
  return [
    modelDirTarget(
      'model dir (music piano-roll RNN)',
      () => rollFiles(new PianoRollRNN({ hiddenSize: 6 })),
      (d) => loadMusicModelDir(d),
    ),
    modelDirTarget(
      'model dir (music RNN-NADE)',
      () => rollFiles(new RnnNade({ hiddenSize: 6, nadeHiddenSize: 5 })),
      (d) => loadMusicModelDir(d),
    ),
    modelDirTarget('model dir (music folk ABC)', folkFiles, (d) => loadMusicModelDir(d)),
  ] as unknown as FuzzTarget<never>[];
}

/**
 * recurrent-music with hostile arguments. `train` and `eval` run with an empty data folder, so they fail on their
 * data and never train; `generate` writes its MIDI into the fixture folder.
 */
export function musicCliTarget(): FuzzTarget<CliCase> {
  return cliTarget('CLI arguments (recurrent-music)', runCli, (root) => {
    const roll = writeModelDir(root, 'roll', rollFiles(new PianoRollRNN({ hiddenSize: 6 })));
    const nade = writeModelDir(root, 'nade', rollFiles(new RnnNade({ hiddenSize: 6, nadeHiddenSize: 5 })));
    const folk = writeModelDir(root, 'folk', folkFiles());
    const empty = join(root, 'no-data');
    mkdirSync(empty);
    const primerMid = join(root, 'primer.mid');
    writeFileSync(primerMid, validMidi()[0] as Uint8Array);
    const primerAbc = join(root, 'primer.abc');
    writeFileSync(primerAbc, TUNES[0] as string);
    const out = join(root, 'out.mid');
    return {
      templates: [
        ['generate', '--model', roll, '--out', out, '--steps', '8', '--temperature', '0.9', '--seed', '2'],
        ['generate', '--model', nade, '--out', out, '--primer', primerMid, '--steps', '4'],
        ['generate', '--model', folk, '--out', out, '--primer', primerAbc, '--steps', '40'],
        ['eval', '--model', roll, '--split', 'test', '--json', '--data-dir', empty],
        ['eval', 'jsb', '--model', nade, '--data-dir', empty],
        ['train', 'jsb', '--out', join(root, 'run'), '--data-dir', empty, '--epochs', '1'],
        ['train', 'abc', '--out', join(root, 'run-abc'), '--data-dir', empty, '--resume'],
        ['tasks'],
      ],
      words: [
        'generate',
        'eval',
        'train',
        'tasks',
        'jsb',
        'jsb-nade',
        'nottingham',
        'abc',
        'musedata',
        '--model',
        '--out',
        '--primer',
        '--steps',
        '--temperature',
        '--seed',
        '--split',
        '--json',
        '--write',
        '--resume',
        '--epochs',
        '--hidden-size',
        '--data-dir',
      ],
      values: [roll, nade, folk, empty, primerMid, primerAbc, join(roll, 'model.safetensors'), 'train', 'valid', '-1'],
      stdinLines: [''],
      emptyDataDir: empty,
    };
  });
}

export function musicFuzzTargets(): FuzzTarget<never>[] {
  return [midiTarget(), abcTarget(), ...musicModelDirTargets(), musicCliTarget()] as unknown as FuzzTarget<never>[];
}
