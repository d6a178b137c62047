// Node-only: registers the `scenes` and `coco` training tasks with core's task registry (and their eval commands).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FormatError, registerTrainingTask, type CliIO, type ReportProgress } from '@recurrent/core';
import { loadModelDir, UsageError } from '@recurrent/core/node';
import { loadObjectronDetector } from '../detector/load-detector.js';
import { CocoCaptioner } from '../models/coco-captioner.js';
import { VISION_PACKAGE } from '../models/kinds.js';
import { SceneCaptioner } from '../models/scene-captioner.js';
import { mergeMetrics } from '../models/save-model.js';
import { decodePhotos, photoFeatures } from './coco-features.js';
import {
  checkCocoConfig,
  cocoDefaults,
  cocoPhotos,
  cocoTask,
  evaluateCocoExamples,
  loadCocoData,
  type CocoConfig,
} from './coco-task.js';
import { tokenizeCaption } from '../metrics/ngrams.js';
import { evaluateScenes } from './scene-evaluation.js';
import {
  checkScenesConfig,
  evaluationScenes,
  loadScenesData,
  scenesDefaults,
  scenesTask,
  type ScenesConfig,
} from './scenes-task.js';

/** The training config saved in a model directory (config.json `training.config`), over the task's defaults. */
function savedConfig<C>(dir: string, defaults: C): C {
  const path = join(dir, 'config.json');
  if (!existsSync(path)) return defaults;
  let json: { training?: { config?: unknown } };
  try {
    json = JSON.parse(readFileSync(path, 'utf8')) as typeof json;
  } catch (e) {
    throw new FormatError(`${path}: not valid JSON (${(e as Error).message})`);
  }
  const saved = json.training?.config;
  return saved && typeof saved === 'object' ? { ...defaults, ...(saved as Partial<C>) } : defaults;
}

const round = (v: number): number => Math.round(v * 1e4) / 1e4;

function report(io: CliIO, result: Record<string, unknown>, json: boolean): void {
  if (json) {
    io.out(`${JSON.stringify(result)}\n`);
    return;
  }
  for (const [k, v] of Object.entries(result)) {
    if (typeof v === 'number') io.out(`${k.padEnd(12)} ${Number.isInteger(v) ? v : v.toFixed(4)}\n`);
    else if (Array.isArray(v)) for (const x of v) io.out(`${k.padEnd(12)} ${JSON.stringify(x)}\n`);
    else if (v && typeof v === 'object')
      io.out(
        `${k.padEnd(12)} ${Object.entries(v)
          .map(([s, x]) => `${s} ${(x as number).toFixed(4)}`)
          .join(', ')}\n`,
      );
    else io.out(`${k.padEnd(12)} ${String(v)}\n`);
  }
}

/** eval on a scenes model: exact match, pointing, BLEU-4 and per-slot accuracy on test, heldout or val. */
export function evaluateScenesModel(dir: string, split: string, progress?: ReportProgress): Record<string, unknown> {
  const model = loadModelDir(dir);
  if (!(model instanceof SceneCaptioner)) throw new UsageError(`${dir} holds a photo captioner, not a scenes model`);
  const which = split === '' ? 'test' : split;
  if (which !== 'test' && which !== 'heldout' && which !== 'val')
    throw new UsageError(`--split must be test, heldout or val for a scenes model, got ${which}`);
  const config = savedConfig<ScenesConfig>(dir, scenesDefaults());
  const scenes = evaluationScenes({ ...config, architecture: model.architecture }, which);
  const m = evaluateScenes(model, scenes, progress ? { progress } : {});
  return {
    split: which,
    scenes: m.scenes,
    exact_match: round(m.exact_match),
    pointing: round(m.pointing),
    bleu4: round(m.bleu4),
    slots: Object.fromEntries(Object.entries(m.slots).map(([k, v]) => [k, round(v)])),
  };
}

/** eval on a coco model: BLEU-4, CIDEr-D and main-object naming on coco-mini val (or the held-out training photos). */
export async function evaluateCocoModel(
  dir: string,
  split: string,
  options: { dataDir?: string; log?: (l: string) => void; progress?: ReportProgress } = {},
): Promise<Record<string, unknown>> {
  const model = loadModelDir(dir);
  if (!(model instanceof CocoCaptioner)) throw new UsageError(`${dir} holds a scenes model, not a photo captioner`);
  const which = split === '' ? 'val' : split;
  if (which !== 'val')
    throw new UsageError(`--split must be val for a photo captioner (coco-mini has train and val), got ${which}`);
  const photos = cocoPhotos('val', options.dataDir);
  await decodePhotos(photos);
  const features = photoFeatures(loadObjectronDetector(), photos, model.architecture.grid, options.log);
  const examples = photos.map((image, i) => ({
    image,
    references: image.captions.map(tokenizeCaption),
    features: features[i]!,
  }));
  const m = evaluateCocoExamples(model, examples, options.progress ? { progress: options.progress } : {});
  return {
    split: 'val',
    photos: photos.length,
    bleu4: round(m.bleu4),
    cider: round(m.cider),
    main_object: round(m.mainObject),
    examples: photos
      .slice(0, 8)
      .map((p, i) => ({ image: p.imageId, caption: m.captions[i]?.join(' '), reference: p.captions[0] })),
  };
}

registerTrainingTask<ScenesConfig, ReturnType<typeof loadScenesData>>({
  name: 'scenes',
  package: VISION_PACKAGE,
  description: 'synthetic scenes, CNN + attention LSTM from scratch; eval: exact match, pointing, BLEU-4',
  defaultConfig: scenesDefaults,
  validateConfig: checkScenesConfig,
  definition: scenesTask,
  loadData: (config) => loadScenesData(config),
  test: ({ modelDir, io, progress }) => {
    const results: Record<string, unknown> = {};
    for (const split of ['test', 'heldout']) {
      const r = evaluateScenesModel(modelDir, split, progress(`scenes ${split}`, 'scenes'));
      io.out(`${split}: ${JSON.stringify(r)}\n`);
      results[split] = r;
    }
    mergeMetrics(modelDir, results);
  },
  evaluate: ({ modelDir, io, write, options, progress }) => {
    const r = evaluateScenesModel(modelDir, String(options.split), progress('eval scenes', 'scenes'));
    report(io, r, options.json === true);
    if (write) mergeMetrics(modelDir, { [String(r.split)]: r });
  },
  evalOptions: { split: '', json: false },
});

registerTrainingTask<CocoConfig, ReturnType<typeof loadCocoData>>({
  name: 'coco',
  package: VISION_PACKAGE,
  description: 'coco-mini photos: caption LM on Multi30k, then attention over the detector grid; eval: BLEU-4, CIDEr-D',
  defaultConfig: cocoDefaults,
  validateConfig: checkCocoConfig,
  definition: cocoTask,
  loadData: (config, { dataDir }) => loadCocoData(config, { ...(dataDir ? { dataDir } : {}) }),
  test: async ({ modelDir, dataDir, io, progress }) => {
    const dataOptions = dataDir ? { dataDir } : {};
    const r = await evaluateCocoModel(modelDir, 'val', { ...dataOptions, progress: progress('coco val', 'photos') });
    io.out(`val: ${JSON.stringify(r)}\n`);
    mergeMetrics(modelDir, { val: r });
  },
  evaluate: async ({ modelDir, dataDir, io, write, options, progress }) => {
    const dataOptions = dataDir ? { dataDir } : {};
    const split = String(options.split);
    const r = await evaluateCocoModel(modelDir, split, { ...dataOptions, progress: progress('eval coco', 'photos') });
    report(io, r, options.json === true);
    if (write) mergeMetrics(modelDir, { val: r });
  },
  evalOptions: { split: '', json: false },
});
