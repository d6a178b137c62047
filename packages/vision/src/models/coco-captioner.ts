import { Generator, Module, ValueError, noGrad, type Tensor, describeValue } from '@recurrent/core';
import { Captioner } from '../captioner/captioner.js';
import type { CaptionVocabulary } from '../captioner/vocabulary.js';
import type { RgbaImage } from '../image/pixels.js';
import {
  FEATURE_GRIDS,
  SsdMobileNetV2,
  type ClassScore,
  type Detection,
  type FeatureGridName,
} from '../detector/ssd-mobilenet-v2.js';
import { describeCaption, type CaptionImagesOptions, type ImageCaption } from './scene-captioner.js';

/** The model kind of a photo captioner directory (config.json `kind`). */
export const COCO_CAPTIONER_KIND = 'coco-captioner';

/** Channels of each detector grid. */
export const FEATURE_GRID_CHANNELS: Record<FeatureGridName, number> = { grid19: 576, grid10: 1280 };
/** Image-level class scores used as the decoder's condition (the detector's classes without background). */
export const DETECTOR_CONDITION_DIM = 23;

export interface CocoCaptionerArchitecture {
  /** Which detector grid the decoder attends over. */
  grid: FeatureGridName;
  embDim: number;
  hiddenSize: number;
  dropout: number;
  maxLength: number;
}

/** What the detector gives a captioner for one image: the grid [1, D, h, w] and the class scores [1, 23]. */
export interface DetectorFeatures {
  grid: Tensor;
  condition: Tensor;
}

export interface PhotoCaption {
  /** The n best captions (best first). */
  captions: ImageCaption[];
  classes: ClassScore[];
  detections: Detection[];
}

export function checkCocoArchitecture(a: CocoCaptionerArchitecture, source: string): void {
  if (!(a.grid in FEATURE_GRIDS))
    throw new ValueError(
      `${source}: architecture.grid must be one of ${Object.keys(FEATURE_GRIDS).join(', ')}, ` +
        `got ${describeValue(a.grid)}`,
    );
  for (const key of ['embDim', 'hiddenSize', 'maxLength'] as const) {
    const v = a[key];
    if (!Number.isInteger(v) || v < 1)
      throw new ValueError(`${source}: architecture.${key} must be a positive integer, got ${describeValue(v)}`);
  }
  if (!(a.dropout >= 0 && a.dropout < 1))
    throw new ValueError(`${source}: architecture.dropout must be in [0, 1), got ${describeValue(a.dropout)}`);
}

/**
 * The photo captioner: a `Captioner` over a feature grid of MediaPipe's SSD-MobileNetV2, conditioned on its 23
 * image-level class scores. The detector is not part of the model's weights (it comes from `@mediapipe/objectron`):
 * `caption` needs one handed in (`loadObjectronDetector()` in Node).
 */
export class CocoCaptioner extends Module {
  readonly generator: Generator;
  readonly captioner: Captioner;

  constructor(
    readonly architecture: CocoCaptionerArchitecture,
    readonly vocabulary: CaptionVocabulary,
    options: { seed: number },
  ) {
    super();
    checkCocoArchitecture(architecture, 'CocoCaptioner');
    const generator = new Generator(options.seed);
    this.generator = generator;
    this.captioner = this.registerModule(
      'captioner',
      new Captioner({
        vocabSize: vocabulary.size,
        featureDim: FEATURE_GRID_CHANNELS[architecture.grid],
        conditionDim: DETECTOR_CONDITION_DIM,
        embDim: architecture.embDim,
        hiddenSize: architecture.hiddenSize,
        dropout: architecture.dropout,
        generator,
      }),
    );
  }

  /** The detector's grid and class scores for one image (what training caches per photo). */
  static features(detector: SsdMobileNetV2, image: RgbaImage, grid: FeatureGridName): DetectorFeatures {
    const { grid: g, condition } = detector.encode(SsdMobileNetV2.preprocess(image), grid);
    return { grid: g, condition };
  }

  /** Captions from precomputed detector features (a batch of one image). */
  captionFeatures(features: DetectorFeatures, options: CaptionImagesOptions = {}): ImageCaption[] {
    return noGrad(() => {
      const memory = this.captioner.prepare(features.grid, features.condition);
      const [hyps] = this.captioner.caption(memory, {
        bos: this.vocabulary.bos,
        eos: this.vocabulary.eos,
        maxLength: this.architecture.maxLength,
        beamSize: options.beamSize ?? 1,
        nBest: options.nBest ?? 1,
        forbidden: options.allowUnknown ? [] : [this.vocabulary.unk],
      });
      return (hyps ?? []).map((h) => describeCaption(h, this.vocabulary));
    });
  }

  /** Run the detector on a photo, then caption it: captions, image-level class scores and boxes. */
  caption(detector: SsdMobileNetV2, image: RgbaImage, options: CaptionImagesOptions = {}): PhotoCaption {
    const { grid, condition, output } = detector.encode(SsdMobileNetV2.preprocess(image), this.architecture.grid);
    return {
      captions: this.captionFeatures({ grid, condition }, options),
      classes: detector.classScores(output),
      detections: detector.detections(output),
    };
  }
}
