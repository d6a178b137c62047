// recurrent-music: core's task CLI (train / eval / tasks / help through the registries) plus `generate`, and
// `eval --model <dir>` without a task (core's task CLI reads the task from the model's config.json).
import { dirname } from 'node:path';
import {
  ensureDirectory,
  processIO,
  rejectLeftovers,
  runTaskCli,
  takeNumber,
  takeSeed,
  takeString,
  taskCliUsage,
  UsageError,
  writeFileAtomic,
  type CliIO,
  type ParsedArgs,
  type TaskCliSpec,
} from '@recurrent/core/node';
import { MUSIC_PACKAGE } from '../models/config.js';
import { loadMusicModelDir } from '../models/model-dir.js';
import { generateRoll } from '../models/generate.js';
import { rollToNoteSequence } from '../roll/convert.js';
import { noteSequenceToMidi } from '../midi/write.js';
import { rollStatistics } from '../stats/roll-stats.js';
import { generateTunes, generatedTuneToNoteSequence } from '../folk/folk.js';
import { readPrimerAbc, readPrimerRoll } from './primer.js';
import '../models/kinds.js';
import '../training/tasks.js';

export type { CliIO };

function writeMidi(path: string, bytes: Uint8Array): void {
  ensureDirectory(dirname(path), `--out ${path}: folder`);
  writeFileAtomic(path, bytes);
}

async function cmdGenerate({ positionals, flags }: ParsedArgs, io: CliIO): Promise<void> {
  const dir = takeString(flags, 'model');
  if (!dir) throw new UsageError('generate needs --model <dir>');
  const out = takeString(flags, 'out');
  if (!out) throw new UsageError('generate needs --out <file.mid>');
  if (!/\.midi?$/i.test(out)) throw new UsageError(`--out ${out}: expected a .mid file name`);
  const primerPath = takeString(flags, 'primer');
  const stepsFlag = takeNumber(flags, 'steps', { integer: true, min: 1, max: 100_000 });
  const temperature = takeNumber(flags, 'temperature', { min: Number.MIN_VALUE }) ?? 1;
  const seed = takeSeed(flags) ?? 0;
  rejectLeftovers(flags, 'generate');
  if (positionals.length > 0)
    throw new UsageError(`generate takes no positional arguments, got: ${positionals.join(' ')}`);
  const loaded = loadMusicModelDir(dir);
  if (loaded.family === 'roll') {
    const stepsPerQuarter = loaded.config.stepsPerQuarter;
    const primer = primerPath ? readPrimerRoll(primerPath, stepsPerQuarter) : null;
    const steps = stepsFlag ?? 128;
    const g = generateRoll(loaded.model, { steps, temperature, seed, ...(primer ? { primer: primer.roll } : {}) });
    const seq = rollToNoteSequence(g.roll, { stepsPerQuarter }, { qpm: primer?.qpm ?? 100 });
    writeMidi(out, noteSequenceToMidi(seq));
    const s = rollStatistics([{ frames: steps, keys: g.roll.keys.subarray(g.primerFrames * 88) }]);
    io.out(
      `${out}: ${g.primerFrames} primer frames + ${steps} generated (${loaded.config.kind}, temperature ` +
        `${temperature}, seed ${seed}); ${seq.notes.length} notes; generated part: ` +
        `${s.notesPerFrame.toFixed(2)} notes per frame, pitches ${s.lowestPitch ?? '-'}–${s.highestPitch ?? '-'}, ` +
        `${(100 * s.inKeyShare).toFixed(1)} % in key\n`,
    );
    return;
  }
  // The folk model: --steps caps the characters sampled (default 1,000; a tune ends earlier at a blank line).
  const primer = primerPath ? readPrimerAbc(primerPath) : 'X:1\n';
  const [tune] = generateTunes(loaded.model, { primer, maxLength: stepsFlag ?? 1000, temperature, seed });
  if (tune === undefined) throw new UsageError('generate: no tune was sampled');
  io.out(tune.endsWith('\n') ? tune : `${tune}\n`);
  const seq = generatedTuneToNoteSequence(tune);
  writeMidi(out, noteSequenceToMidi(seq));
  const length = `${seq.totalTime.toFixed(1)} s`;
  io.err(`${out}: ${seq.notes.length} notes, ${length} (temperature ${temperature}, seed ${seed})\n`);
}

/** recurrent-music: the registered music tasks (train/eval through core's registry) plus generate. */
export const MUSIC_CLI: TaskCliSpec = {
  program: 'recurrent-music',
  summary: 'train, evaluate and sample the @recurrent/music models',
  packages: [MUSIC_PACKAGE],
  commands: {
    generate: {
      usage:
        'generate --model <dir> --out <file.mid> [--primer <file.mid|file.abc>] [--steps 128] [--temperature 1]\n' +
        '      [--seed 0]   (piano-roll models: --steps frames; the folk model prints the ABC text, --steps caps\n' +
        '      its characters, default 1000)',
      run: (args, { io }) => cmdGenerate(args, io),
    },
  },
  notes:
    "eval --model <dir> [--split test] [--json] without a task evaluates with the task recorded in the model's " +
    'config.json;\n--json writes one JSON object ({"split", "nll_per_frame", "frames", …} for piano-roll models).',
};

/** The usage text (lists the registered tasks). */
export function musicCliUsage(): string {
  return taskCliUsage(MUSIC_CLI);
}

/** Run the CLI; returns the exit code (0 ok, 1 error, 2 usage). */
export async function runCli(argv: readonly string[], io: CliIO = processIO): Promise<number> {
  return runTaskCli(MUSIC_CLI, argv, io);
}
