// Node-only: the recurrent-vision command line — train/eval through core's task registry, plus caption.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FormatError, RecurrentError } from '@recurrent/core';
import {
  loadModelDir,
  processIO,
  rejectLeftovers,
  runTaskCli,
  takeBoolean,
  takeNumber,
  takeString,
  UsageError,
  type CliIO,
  type ParsedArgs,
  type TaskCliSpec,
} from '@recurrent/core/node';
import { loadObjectronDetector } from '../detector/load-detector.js';
import type { SsdMobileNetV2 } from '../detector/ssd-mobilenet-v2.js';
import { readImage } from '../image/read-image.js';
import { COCO_CAPTIONER_KIND, CocoCaptioner } from '../models/coco-captioner.js';
import { VISION_PACKAGE } from '../models/kinds.js';
import { SCENE_CAPTIONER_KIND, SceneCaptioner, type ImageCaption } from '../models/scene-captioner.js';
import { decodePhotos } from '../training/coco-features.js';
import { cocoPhotos } from '../training/coco-task.js';
import '../training/tasks.js';

export type { CliIO };

const TASK_OF_KIND: Record<string, string> = { [SCENE_CAPTIONER_KIND]: 'scenes', [COCO_CAPTIONER_KIND]: 'coco' };

/** The task a saved model belongs to, from its config.json (FormatError when the directory holds no model). */
export function taskOfModelDir(dir: string): string {
  const path = join(dir, 'config.json');
  if (!existsSync(path)) throw new FormatError(`${path}: missing (a saved model directory holds config.json)`);
  let kind: unknown;
  try {
    kind = (JSON.parse(readFileSync(path, 'utf8')) as { kind?: unknown }).kind;
  } catch (e) {
    throw new FormatError(`${path}: not valid JSON (${(e as Error).message})`);
  }
  const task = typeof kind === 'string' ? TASK_OF_KIND[kind] : undefined;
  if (!task) {
    throw new FormatError(
      `${path}: kind ${JSON.stringify(kind)} is not a vision model ` +
        `(expected ${Object.keys(TASK_OF_KIND).join(' or ')})`,
    );
  }
  return task;
}

function flagValue(args: readonly string[], name: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === `--${name}`) return args[i + 1];
    if (a.startsWith(`--${name}=`)) return a.slice(name.length + 3);
  }
  return undefined;
}

/** `eval --model <dir> …` → `eval <task> --model <dir> …` (the interface names no task). */
export function withEvalTask(argv: readonly string[]): string[] {
  const [cmd, ...rest] = argv;
  if (cmd !== 'eval' || rest[0] === 'scenes' || rest[0] === 'coco') return [...argv];
  const dir = flagValue(rest, 'model');
  if (!dir) return [...argv];
  return ['eval', taskOfModelDir(dir), ...rest];
}

const round4 = (v: number): number => Math.round(v * 1e4) / 1e4;

function captionJson(c: ImageCaption): Record<string, unknown> {
  return {
    caption: c.text,
    words: c.words,
    probabilities: c.probabilities.map(round4),
    logProb: round4(c.logProb),
    score: round4(c.score),
  };
}

async function cmdCaption({ positionals, flags }: ParsedArgs, io: CliIO): Promise<void> {
  const dir = takeString(flags, 'model');
  if (!dir) throw new UsageError('caption needs --model <dir>');
  const beam = takeNumber(flags, 'beam', { integer: true, min: 1 }) ?? 1;
  const json = takeBoolean(flags, 'json');
  rejectLeftovers(flags, 'caption');
  if (positionals.length === 0) throw new UsageError('caption needs at least one image file');
  taskOfModelDir(dir);
  const model = loadModelDir(dir);
  let detector: SsdMobileNetV2 | null = null;
  for (const path of positionals) {
    const image = await readImage(path);
    const options = { beamSize: beam, nBest: beam };
    let captions: ImageCaption[];
    let extra: Record<string, unknown> = {};
    if (model instanceof CocoCaptioner) {
      detector ??= loadObjectronDetector();
      const r = model.caption(detector, image, options);
      captions = r.captions;
      extra = {
        classes: r.classes.slice(0, 5).map((c) => ({ label: c.label, score: round4(c.score) })),
        detections: r.detections.map((d) => ({
          label: d.label,
          score: round4(d.score),
          box: Object.fromEntries(Object.entries(d.box).map(([k, v]) => [k, round4(v)])),
        })),
      };
    } else if (model instanceof SceneCaptioner) {
      captions = model.caption([image], options)[0] ?? [];
    } else {
      throw new UsageError(`${dir} does not hold a vision captioner`);
    }
    const best = captions[0];
    if (!best) throw new FormatError(`${path}: the model returned no caption`);
    if (!json) {
      io.out(`${path}\t${best.text}\n`);
      continue;
    }
    io.out(
      `${JSON.stringify({
        path,
        ...captionJson(best),
        grid: best.grid,
        attention: best.attention.map((m) => Array.from(m, round4)),
        nBest: captions.map(captionJson),
        ...extra,
      })}\n`,
    );
  }
}

export const VISION_CLI: TaskCliSpec = {
  program: 'recurrent-vision',
  summary: 'train, evaluate and run the @recurrent/vision captioners',
  packages: [VISION_PACKAGE],
  commands: {
    caption: {
      usage:
        'caption --model <dir> [--beam 3] [--json] <image> ...\n' +
        '      One line per image: <path>\\t<caption>; --json adds probabilities, attention maps and detections.',
      switches: ['json'],
      run: (args, { io }) => cmdCaption(args, io),
    },
  },
  notes:
    'eval also takes the model alone: eval --model <dir> [--split test|heldout|val] [--json] ' +
    '(the task is read from the model).',
};

/** Run the CLI; returns the exit code (0 ok, 1 error, 2 usage). */
export async function runCli(argv: readonly string[], io: CliIO = processIO): Promise<number> {
  let args: string[];
  try {
    args = withEvalTask(argv);
    // The runner is synchronous and sharp is not: decode coco-mini's photos before a coco run reads them.
    if (args[0] === 'train' && args.slice(1).find((a) => !a.startsWith('-')) === 'coco') {
      const dataDir = flagValue(args, 'data-dir');
      await decodePhotos(cocoPhotos('train', dataDir));
    }
  } catch (e) {
    if (e instanceof RecurrentError) {
      io.err(`error: ${(e as Error).message}\n`);
      return 1;
    }
    throw e;
  }
  return runTaskCli(VISION_CLI, args, io);
}
