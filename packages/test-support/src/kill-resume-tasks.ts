// The training tasks under kill-and-resume (pnpm kill-resume, and the fast test in @recurrent/music): tiny runs of
// each task's CLI, a checkpoint every 2 steps, validation at least twice; and the check that a run file parses.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KillResumeTask } from './kill-resume.js';

/** The repository root (this file is packages/test-support/src/kill-resume-tasks.ts). */
export const REPOSITORY_ROOT = resolve(fileURLToPath(import.meta.url), '..', '..', '..', '..');
/** A command line written as strings of space-separated arguments (no argument holds a space). */
const words = (...lines: string[]): string[] => lines.join(' ').split(' ');
const bin = (pkg: string): string => join(REPOSITORY_ROOT, 'packages', pkg, 'src', 'cli', 'bin.ts');

/** Tiny runs of every training task: 40 steps, a checkpoint every 2 (20 checkpoints), validation twice. */
export const KILL_RESUME_TASKS: readonly KillResumeTask[] = [
  {
    name: 'text/sst2',
    bin: bin('text'),
    trainArgs: words(
      'train sst2 --limit-train 320 --batch-size 16 --epochs 2 --checkpoint-every 2',
      '--embedding-dim 8 --hidden-size 8 --max-tokens 20',
    ),
  },
  {
    name: 'text/imdb',
    bin: bin('text'),
    trainArgs: words(
      'train imdb --limit-train 320 --batch-size 16 --epochs 2 --checkpoint-every 2',
      '--embedding-dim 8 --hidden-size 8 --max-tokens 40 --max-vocab 2000',
    ),
  },
  {
    name: 'text/charlm',
    bin: bin('text'),
    trainArgs: words(
      'train charlm --max-steps 40 --eval-every 20 --checkpoint-every 2 --batch-size 8',
      '--seq-len 16 --embedding-dim 8 --hidden-size 16 --num-layers 1',
    ),
  },
  {
    name: 'text/wordlm',
    bin: bin('text'),
    trainArgs: words(
      'train wordlm --max-steps 40 --eval-every 20 --checkpoint-every 2 --batch-size 8',
      '--seq-len 12 --embedding-dim 8 --hidden-size 16 --max-vocab 2000',
    ),
  },
  {
    name: 'text/translate',
    bin: bin('text'),
    trainArgs: words(
      'train translate --max-steps 40 --eval-every 20 --checkpoint-every 2 --batch-size 16',
      '--limit-train 400 --valid-subset 32 --vocab-size 300 --embedding-dim 8',
      '--encoder-hidden 8 --decoder-hidden 8 --attention-size 8',
    ),
  },
  ...['jsb', 'nottingham', 'musedata', 'piano-midi'].map((task) => ({
    name: `music/${task}`,
    bin: bin('music'),
    trainArgs: [
      'train',
      task,
      '--max-steps',
      '40',
      '--eval-every',
      '20',
      '--checkpoint-every',
      '2',
      '--batch-size',
      '4',
      '--hidden-size',
      '8',
    ],
  })),
  {
    name: 'music/jsb-nade',
    bin: bin('music'),
    trainArgs: words(
      'train jsb-nade --max-steps 40 --eval-every 20 --checkpoint-every 2 --batch-size 4',
      '--hidden-size 8 --nade-hidden-size 8',
    ),
  },
  {
    name: 'music/abc',
    bin: bin('music'),
    trainArgs: words(
      'train abc --max-steps 40 --eval-every 20 --checkpoint-every 2 --batch-size 8',
      '--seq-len 24 --embedding-dim 8 --hidden-size 16',
    ),
  },
  {
    name: 'vision/scenes',
    bin: bin('vision'),
    trainArgs: words(
      'train scenes --max-steps 40 --eval-every 20 --checkpoint-every 2 --batch-size 8',
      '--epochs 10 --train-scenes 64 --valid-scenes 16 --test-scenes 16 --image-size 16',
      '--encoder-width 4 --encoder-blocks 2 --emb-dim 4 --hidden-size 8',
    ),
  },
  {
    name: 'vision/coco',
    bin: bin('vision'),
    trainArgs: words(
      'train coco --max-steps 40 --checkpoint-every 2 --batch-size 4 --train-images 8',
      '--valid-images 4 --lm-epochs 0 --emb-dim 4 --hidden-size 8',
    ),
  },
].map((t) => ({ ...t, commonArgs: ['--no-test'] }));

/**
 * A file check for killAndResume: safetensors files decode completely (`decode` is core's decodeSafetensors — passed
 * in, since core's tests use this package), JSON files parse, other files are read.
 */
export function runFileChecker(decode: (bytes: Uint8Array) => unknown): (path: string) => void {
  return (path) => {
    const bytes = readFileSync(path);
    const view = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
    if (path.endsWith('.safetensors')) decode(view);
    else if (path.endsWith('.json')) JSON.parse(bytes.toString('utf8'));
  };
}
