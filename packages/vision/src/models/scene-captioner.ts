import { Generator, Module, ValueError, cat, noGrad, type Tensor, describeValue } from '@recurrent/core';
import { Captioner, type CaptionResult } from '../captioner/captioner.js';
import { SceneEncoder } from '../captioner/scene-encoder.js';
import { type CaptionVocabulary, sceneCaptionVocabulary } from '../captioner/vocabulary.js';
import { imageToTensor } from '../image/preprocess.js';
import type { RgbaImage } from '../image/pixels.js';

/** The model kind of a scene captioner directory (config.json `kind`). */
export const SCENE_CAPTIONER_KIND = 'scene-captioner';

export interface SceneCaptionerArchitecture {
  /** Image side the encoder reads (scenes are drawn at this size; other images are resized to it). */
  imageSize: number;
  /** Conv block widths: [width / 2, width, width, …] with `encoderBlocks` blocks. */
  encoderWidth: number;
  encoderBlocks: number;
  embDim: number;
  hiddenSize: number;
  dropout: number;
  /** Longest caption decoded (words). */
  maxLength: number;
  /** Layer-normalise the grid features over the channels (SceneEncoder's featureNorm); absent (older models) = off. */
  featureNorm?: boolean;
  /** The decoder's deep output layer (Captioner's deepOutput); absent (older models) = off. */
  deepOutput?: boolean;
}

/** One captioned image: the words, each word's probability and attention map (gridH·gridW weights). */
export interface ImageCaption {
  words: string[];
  text: string;
  /** p(word | image, previous words) for each word, then for <eos> when the caption ended. */
  probabilities: number[];
  attention: Float64Array[];
  grid: [number, number];
  logProb: number;
  score: number;
}

export interface CaptionImagesOptions {
  /** 1 = greedy (default), > 1 = beam search. */
  beamSize?: number;
  /** Captions per image (≤ beamSize; default 1). */
  nBest?: number;
  /** Let the search write <unk> (default false: a caption never contains it; e.g. for studying the model). */
  allowUnknown?: boolean;
}

export function checkSceneArchitecture(a: SceneCaptionerArchitecture, source: string): void {
  for (const key of ['imageSize', 'encoderWidth', 'encoderBlocks', 'embDim', 'hiddenSize', 'maxLength'] as const) {
    const v = a[key];
    if (!Number.isInteger(v) || v < 1)
      throw new ValueError(`${source}: architecture.${key} must be a positive integer, got ${describeValue(v)}`);
  }
  if (a.encoderWidth % 2 !== 0)
    throw new ValueError(`${source}: architecture.encoderWidth must be even, got ${describeValue(a.encoderWidth)}`);
  if (a.imageSize % 2 ** (a.encoderBlocks - 1) !== 0) {
    throw new ValueError(
      `${source}: architecture.imageSize ${a.imageSize} must be divisible by ` +
        `2^(encoderBlocks − 1) = ${2 ** (a.encoderBlocks - 1)}`,
    );
  }
  if (!(a.dropout >= 0 && a.dropout < 1))
    throw new ValueError(`${source}: architecture.dropout must be in [0, 1), got ${describeValue(a.dropout)}`);
  if (a.featureNorm !== undefined && typeof a.featureNorm !== 'boolean')
    throw new ValueError(
      `${source}: architecture.featureNorm must be true or false, got ${describeValue(a.featureNorm)}`,
    );
}

export function encoderChannels(a: SceneCaptionerArchitecture): number[] {
  return Array.from({ length: a.encoderBlocks }, (_, i) => (i === 0 ? a.encoderWidth / 2 : a.encoderWidth));
}

/** Words of a decoded caption (the vocabulary's words for its ids). */
export function describeCaption(r: CaptionResult, vocabulary: CaptionVocabulary): ImageCaption {
  const words = vocabulary.decode(r.tokens);
  return {
    words,
    text: words.join(' '),
    probabilities: r.probabilities,
    attention: r.attention,
    grid: r.grid,
    logProb: r.logProb,
    score: r.score,
  };
}

/**
 * The scene captioner: a `SceneEncoder` trained from scratch and a `Captioner` over its grid, with the fixed scene
 * vocabulary. Weights `encoder.conv{i}.*` and `captioner.*` (PyTorch names of a module with those attributes).
 */
export class SceneCaptioner extends Module {
  readonly generator: Generator;
  readonly encoder: SceneEncoder;
  readonly captioner: Captioner;
  readonly vocabulary: CaptionVocabulary;

  constructor(
    readonly architecture: SceneCaptionerArchitecture,
    options: { seed: number },
  ) {
    super();
    checkSceneArchitecture(architecture, 'SceneCaptioner');
    const generator = new Generator(options.seed);
    this.generator = generator;
    this.vocabulary = sceneCaptionVocabulary();
    this.encoder = this.registerModule(
      'encoder',
      new SceneEncoder({
        channels: encoderChannels(architecture),
        featureNorm: architecture.featureNorm ?? false,
        generator,
      }),
    );
    this.captioner = this.registerModule(
      'captioner',
      new Captioner({
        vocabSize: this.vocabulary.size,
        featureDim: this.encoder.outChannels,
        embDim: architecture.embDim,
        hiddenSize: architecture.hiddenSize,
        dropout: architecture.dropout,
        deepOutput: architecture.deepOutput ?? false,
        generator,
      }),
    );
  }

  /** Decoded pixels (any size; resized to imageSize) → the encoder's input [1, 3, S, S]. */
  preprocess(image: RgbaImage): Tensor {
    return imageToTensor(image, { size: this.architecture.imageSize });
  }

  /** Captions of a batch of preprocessed images [B, 3, S, S]: per image, the n best. */
  captionTensors(images: Tensor, options: CaptionImagesOptions = {}): ImageCaption[][] {
    return noGrad(() => {
      const memory = this.captioner.prepare(this.encoder.forward(images));
      const results = this.captioner.caption(memory, {
        bos: this.vocabulary.bos,
        eos: this.vocabulary.eos,
        maxLength: this.architecture.maxLength,
        beamSize: options.beamSize ?? 1,
        nBest: options.nBest ?? 1,
        forbidden: options.allowUnknown ? [] : [this.vocabulary.unk],
      });
      return results.map((hyps) => hyps.map((h) => describeCaption(h, this.vocabulary)));
    });
  }

  /** Caption decoded images (any size). */
  caption(images: readonly RgbaImage[], options: CaptionImagesOptions = {}): ImageCaption[][] {
    if (images.length === 0) return [];
    return this.captionTensors(
      cat(
        images.map((im) => this.preprocess(im)),
        0,
      ),
      options,
    );
  }
}
