// Node-only: the `coco` training task — the decoder pretrained as a caption language model on Multi30k's English
// Flickr30K descriptions, then the attention decoder fitted on coco-mini's training photos over the detector's
// features (computed once per photo).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  Tensor,
  ValueError,
  cat,
  checkPositiveInt,
  epochGenerator,
  RUNNER_CONFIG_DEFAULTS,
  type RunnerConfig,
  type TrainingTaskDefinition,
  type ReportProgress,
} from '@recurrent/core';
import { findDataDir } from '@recurrent/core/node';
import { CaptionVocabulary } from '../captioner/vocabulary.js';
import { readCocoMini, DatasetNotFoundError, type CocoMiniImage } from '../datasets/coco-mini.js';
import { loadObjectronDetector } from '../detector/load-detector.js';
import { tokenizeCaption } from '../metrics/ngrams.js';
import { ciderD } from '../metrics/cider.js';
import { corpusBleu } from '../metrics/bleu.js';
import { mainObjectAccuracy } from '../metrics/main-object.js';
import {
  CocoCaptioner,
  DETECTOR_CONDITION_DIM,
  FEATURE_GRID_CHANNELS,
  type CocoCaptionerArchitecture,
  type DetectorFeatures,
} from '../models/coco-captioner.js';
import { saveVisionModel } from '../models/save-model.js';
import { photoFeatures } from './coco-features.js';

export interface CocoConfig extends RunnerConfig {
  task: 'coco';
  batchSize: number;
  /** The first `lmEpochs` epochs train the decoder as a caption LM on Multi30k train.en (no image). */
  lmEpochs: number;
  /** Cap on the LM captions per epoch (0 = all 29,000). */
  lmCaptions: number;
  /** Use only the first N photos of coco-mini's train split (0 = all 80; smaller for smoke runs and tests). */
  trainImages: number;
  /** Training photos kept out of training for model selection (the last ones of the photos used). */
  validImages: number;
  /** Words seen fewer times in the training text become <unk>. */
  minWordCount: number;
  attentionPenalty: number;
  architecture: CocoCaptionerArchitecture;
}

/** A photo with its tokenized references and detector features. */
export interface CocoExample {
  image: CocoMiniImage;
  references: string[][];
  features: DetectorFeatures;
}

export interface CocoData {
  vocabulary: CaptionVocabulary;
  /** Multi30k train.en, tokenized as COCO captions. */
  lm: string[][];
  train: CocoExample[];
  valid: CocoExample[];
}

export type CocoBatch = { kind: 'lm'; captions: string[][] } | { kind: 'photo'; pairs: [number, number][] };

export function cocoDefaults(): CocoConfig {
  return {
    ...RUNNER_CONFIG_DEFAULTS,
    task: 'coco',
    lr: 2e-3,
    epochs: 31,
    patience: 0,
    checkpointEvery: 50,
    batchSize: 32,
    lmEpochs: 1,
    lmCaptions: 0,
    trainImages: 0,
    validImages: 10,
    minWordCount: 5,
    attentionPenalty: 0.01,
    // grid19 (576 channels) keeps the model under the 12 MB: 2.65M parameters (10.6 MB float32) with the
    // 3,294 words seen ≥ 5 times; grid10 (1280 channels) would be 4.1M (16.4 MB).
    architecture: { grid: 'grid19', embDim: 64, hiddenSize: 256, dropout: 0.3, maxLength: 20 },
  };
}

export function checkCocoConfig(c: CocoConfig): void {
  for (const key of ['batchSize', 'validImages', 'minWordCount'] as const) checkPositiveInt(key, c[key]);
  if (!Number.isInteger(c.lmEpochs) || c.lmEpochs < 0 || c.lmEpochs >= c.epochs)
    throw new ValueError(`config: lmEpochs must be an integer in [0, epochs), got ${c.lmEpochs} (epochs ${c.epochs})`);
  if (!Number.isInteger(c.trainImages) || c.trainImages < 0)
    throw new ValueError(`config: trainImages must be a non-negative integer, got ${c.trainImages}`);
  if (!Number.isInteger(c.lmCaptions) || c.lmCaptions < 0)
    throw new ValueError(`config: lmCaptions must be a non-negative integer, got ${c.lmCaptions}`);
  if (!(c.attentionPenalty >= 0))
    throw new ValueError(`config: attentionPenalty must be ≥ 0, got ${c.attentionPenalty}`);
}

/** Multi30k's English training descriptions (shared/data/multi30k/plain/train.en), tokenized. */
export function readMulti30kEnglish(dataDir?: string): string[][] {
  const root = dataDir ?? findDataDir();
  const file = root ? join(root, 'multi30k', 'plain', 'train.en') : null;
  if (!file || !existsSync(file))
    throw new DatasetNotFoundError(
      `multi30k train.en not found (looked for ${file ?? 'a data root'}); set RECURRENT_DATA`,
    );
  return readFileSync(file, 'utf8')
    .split('\n')
    .map(tokenizeCaption)
    .filter((t) => t.length > 0);
}

/** Words of the training text (LM captions and training photos' captions) seen at least `minCount` times. */
export function buildCaptionVocabulary(texts: readonly (readonly string[])[], minCount: number): CaptionVocabulary {
  const counts = new Map<string, number>();
  for (const t of texts) for (const w of t) counts.set(w, (counts.get(w) ?? 0) + 1);
  const words = [...counts]
    .filter(([, n]) => n >= minCount)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([w]) => w);
  return new CaptionVocabulary(words);
}

/** coco-mini photos with references (no features yet). */
export function cocoPhotos(split: 'train' | 'val', dataDir?: string): CocoMiniImage[] {
  return readCocoMini({ split, ...(dataDir ? { dataDir } : {}) });
}

/** Everything a coco run reads; the photos must have been decoded (`decodePhotos`) before. */
export function loadCocoData(config: CocoConfig, options: { dataDir?: string; log?: (l: string) => void }): CocoData {
  const all = cocoPhotos('train', options.dataDir);
  const photos = config.trainImages > 0 ? all.slice(0, config.trainImages) : all;
  if (config.validImages >= photos.length)
    throw new ValueError(`config: validImages ${config.validImages} leaves no training photos of ${photos.length}`);
  const trainPhotos = photos.slice(0, photos.length - config.validImages);
  const validPhotos = photos.slice(photos.length - config.validImages);
  const lm = readMulti30kEnglish(options.dataDir);
  const photoText = trainPhotos.flatMap((p) => p.captions.map(tokenizeCaption));
  const vocabulary = buildCaptionVocabulary([...lm, ...photoText], config.minWordCount);
  const detector = loadObjectronDetector();
  const examples = (list: CocoMiniImage[]): CocoExample[] => {
    const features = photoFeatures(detector, list, config.architecture.grid, options.log);
    return list.map((image, i) => ({
      image,
      references: image.captions.map(tokenizeCaption),
      features: features[i] as DetectorFeatures,
    }));
  };
  return { vocabulary, lm, train: examples(trainPhotos), valid: examples(validPhotos) };
}

/** Greedy captions of photos scored against their references: BLEU-4, CIDEr-D and the captions themselves. */
export function evaluateCocoExamples(
  model: CocoCaptioner,
  examples: readonly CocoExample[],
  options: { beamSize?: number; progress?: ReportProgress } = {},
): { bleu4: number; cider: number; mainObject: number; captions: string[][] } {
  const { progress, ...decode } = options;
  const captions = examples.map((e, i) => {
    const words = model.captionFeatures(e.features, decode)[0]?.words ?? [];
    progress?.(i + 1, examples.length);
    return words;
  });
  const references = examples.map((e) => e.references);
  return {
    bleu4: corpusBleu(captions, references).bleu[3],
    cider: ciderD(captions, references).cider,
    mainObject: mainObjectAccuracy(captions, references).rate,
    captions,
  };
}

function stackFeatures(list: readonly DetectorFeatures[]): DetectorFeatures {
  return {
    grid: cat(
      list.map((f) => f.grid),
      0,
    ),
    condition: cat(
      list.map((f) => f.condition),
      0,
    ),
  };
}

export const cocoTask: TrainingTaskDefinition<CocoConfig, CocoData, CocoBatch> = {
  name: 'coco',
  selection: { metric: 'cider', mode: 'max' },
  build(config, data, { outDir }) {
    if (outDir === null) throw new ValueError('coco: training writes its model to an output directory');
    const model = new CocoCaptioner(config.architecture, data.vocabulary, { seed: config.seed });
    const B = config.batchSize;
    const D = FEATURE_GRID_CHANNELS[config.architecture.grid];
    const pairs: [number, number][] = data.train.flatMap((e, i) =>
      e.references.map((_, j): [number, number] => [i, j]),
    );
    const lmCount = config.lmCaptions > 0 ? Math.min(config.lmCaptions, data.lm.length) : data.lm.length;
    const lmSteps = Math.floor(lmCount / B);
    const photoSteps = Math.ceil(pairs.length / B);
    // attentionPenalty 0 in the LM phase: over its single cell the term is a constant (1 − T)², with no gradient.
    const loss = (features: DetectorFeatures, captions: string[][], attentionPenalty: number) => {
      const memory = model.captioner.prepare(features.grid, features.condition);
      const { inputs, targets } = data.vocabulary.teacherForcing(captions);
      return model.captioner.loss(memory, inputs, targets, { padId: data.vocabulary.pad, attentionPenalty }).loss;
    };
    return {
      model,
      generators: [model.generator],
      summary:
        `vocabulary ${data.vocabulary.size}, ${lmCount} LM captions × ${config.lmEpochs} epochs, ` +
        `${data.train.length} training photos (${pairs.length} captions), ${data.valid.length} validation photos`,
      dataDescription: 'multi30k plain/train.en (LM), coco-mini-captions train split',
      trainingExamples: pairs.length + lmCount,
      validationExamples: data.valid.length,
      plannedSteps: config.lmEpochs * lmSteps + (config.epochs - config.lmEpochs) * photoSteps,
      epochBatches: (epoch) => {
        const g = epochGenerator(config.seed, epoch);
        const batches: CocoBatch[] = [];
        if (epoch < config.lmEpochs) {
          const order = g.permutation(data.lm.length).slice(0, lmCount);
          for (let i = 0; i + B <= order.length; i += B)
            batches.push({ kind: 'lm', captions: order.slice(i, i + B).map((k) => data.lm[k] as string[]) });
        } else {
          const order = g.permutation(pairs.length);
          for (let i = 0; i < order.length; i += B)
            batches.push({ kind: 'photo', pairs: order.slice(i, i + B).map((k) => pairs[k] as [number, number]) });
        }
        return batches;
      },
      step: (batch) => {
        if (batch.kind === 'lm') {
          // Caption LM: no image — one all-zero cell to attend to and no detected class.
          const n = batch.captions.length;
          const features = {
            grid: new Tensor(new Float32Array(n * D), [n, D, 1, 1]),
            condition: new Tensor(new Float32Array(n * DETECTOR_CONDITION_DIM), [n, DETECTOR_CONDITION_DIM]),
          };
          return { loss: loss(features, batch.captions, 0), tokens: n };
        }
        const examples = batch.pairs.map(([i]) => data.train[i] as CocoExample);
        const captions = batch.pairs.map(([i, j]) => data.train[i]?.references[j] as string[]);
        const features = stackFeatures(examples.map((e) => e.features));
        return { loss: loss(features, captions, config.attentionPenalty), tokens: captions.length };
      },
      evaluate: (progress) => {
        const m = evaluateCocoExamples(model, data.valid, { progress });
        return { cider: m.cider, bleu4: m.bleu4 };
      },
      saveModel: (info) => saveVisionModel(outDir, model, info),
    };
  },
};
