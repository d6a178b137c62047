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
import { CocoCaptioner } from '../models/coco-captioner.js';
import { VISION_PACKAGE } from '../models/kinds.js';
import { SceneCaptioner, type ImageCaption } from '../models/scene-captioner.js';
import { decodePhotos } from '../training/coco-features.js';
import { cocoPhotos } from '../training/coco-task.js';
import '../training/tasks.js';

export type { CliIO };

function flagValue(args: readonly string[], name: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === `--${name}`) return args[i + 1];
    if (a.startsWith(`--${name}=`)) return a.slice(name.length + 3);
  }
  return undefined;
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
  const beam = takeNumber(flags, 'beam', { integer: true, min: 1, max: 100 }) ?? 1;
  const json = takeBoolean(flags, 'json');
  rejectLeftovers(flags, 'caption');
  if (positionals.length === 0) throw new UsageError('caption needs at least one image file');
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
  try {
    // The runner is synchronous and sharp is not: decode coco-mini's photos before a coco run reads them.
    if (argv[0] === 'train' && argv.slice(1).find((a) => !a.startsWith('-')) === 'coco') {
      const dataDir = flagValue(argv, 'data-dir');
      await decodePhotos(cocoPhotos('train', dataDir));
    }
  } catch (e) {
    if (e instanceof RecurrentError) {
      io.err(`error: ${(e as Error).message}\n`);
      return 1;
    }
    throw e;
  }
  return runTaskCli(VISION_CLI, argv, io);
}
