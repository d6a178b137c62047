import { FormatError, Tensor, ValueError, noGrad } from '@recurrent/core';
import { readTflite } from '../tflite/schema.js';
import { TfliteGraph } from '../tflite/interpreter.js';
import { imageToTensor } from '../image/preprocess.js';
import type { RgbaImage } from '../image/pixels.js';
import { OBJECTRON_SSD_ANCHORS, ssdAnchors, type Anchor } from './ssd-anchors.js';

/** The detector's input side: images are stretched to 300 × 300 (MediaPipe's STRETCH) and scaled to [−1, 1]. */
export const DETECTOR_INPUT_SIZE = 300;

/** The two feature grids the detector exposes for attention: [1, 576, 19, 19] and [1, 1280, 10, 10]. */
export const FEATURE_GRIDS = {
  grid19: 'FeatureExtractor/MobilenetV2/expanded_conv_13/expand/Relu6',
  grid10: 'FeatureExtractor/MobilenetV2/Conv_1/Relu6',
} as const;
export type FeatureGridName = keyof typeof FEATURE_GRIDS;

/** Box decoding of the detector (TfLiteTensorsToDetectionsCalculator options in the Objectron graph). */
const BOX_SCALES = { y: 10, x: 10, h: 5, w: 5 };

export interface DetectorOutput {
  /** Per-anchor class logits [anchors, classes]; class 0 is the background "???". */
  classLogits: Tensor;
  /** Per-anchor box encodings [anchors, 4] (ty, tx, th, tw relative to the anchor). */
  boxEncodings: Tensor;
  /** The requested feature grids, NCHW. */
  features: Partial<Record<FeatureGridName, Tensor>>;
}

export interface ClassScore {
  classIndex: number;
  label: string;
  /** max over anchors of sigmoid(logit): the probability that the image holds this class somewhere. */
  score: number;
}

export interface Detection extends ClassScore {
  /** Normalised box corners (0–1 of the image's width and height). */
  box: { xMin: number; yMin: number; xMax: number; yMax: number };
}

export interface DetectOptions {
  /** Minimum score of a detection (default 0.5; MediaPipe's graph uses 0.6). */
  minScore?: number;
  /** Boxes overlapping a higher-scoring one of the same class by more than this IoU are dropped (default 0.4). */
  iouThreshold?: number;
  maxDetections?: number;
}

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

/**
 * MediaPipe Objectron's SSD-MobileNetV2 object detector (Open Images V4, 24 classes incl. background), read from its
 * TFLite flatbuffer and run on core's ops. Gives per-class scores, decoded boxes and the feature grids of the
 * MobileNetV2 backbone for an image.
 */
export class SsdMobileNetV2 {
  readonly graph: TfliteGraph;
  readonly anchors: Anchor[];
  private readonly gridTensors: Record<FeatureGridName, string>;

  constructor(
    tflite: Uint8Array,
    readonly labels: readonly string[],
    source = 'SSD-MobileNetV2',
  ) {
    this.graph = new TfliteGraph(readTflite(tflite, source), source);
    this.anchors = ssdAnchors(OBJECTRON_SSD_ANCHORS);
    const [scores] = this.outputShapes();
    if (scores[0] !== this.anchors.length) {
      throw new FormatError(
        `${source}: ${scores[0]} anchors in the class output, ${this.anchors.length} from the anchor spec`,
      );
    }
    if (scores[1] !== labels.length)
      throw new FormatError(`${source}: ${scores[1]} classes, label map has ${labels.length}`);
    const find = (layer: string): string => {
      const t = this.graph.subgraph.tensors.find((x) => x.name.split(';')[0] === layer);
      if (!t) throw new FormatError(`${source}: no tensor named ${layer}`);
      return t.name;
    };
    this.gridTensors = { grid19: find(FEATURE_GRIDS.grid19), grid10: find(FEATURE_GRIDS.grid10) };
  }

  /** [anchors, classes] of the class output and [anchors, 4] of the box output. */
  private outputShapes(): [number[], number[]] {
    const g = this.graph.subgraph;
    const shapeOf = (suffix: string): number[] => {
      const t = g.outputs.map((i) => g.tensors[i]).find((x) => x?.name.endsWith(suffix));
      if (!t) throw new FormatError(`${this.graph.source}: no output named *${suffix}`);
      return t.shape.slice(1);
    };
    return [shapeOf('class_predictions'), shapeOf('box_encodings')];
  }

  /** Preprocess decoded pixels to the detector's [1, 3, 300, 300] input in [−1, 1]. */
  static preprocess(image: RgbaImage): Tensor {
    return imageToTensor(image, { size: DETECTOR_INPUT_SIZE });
  }

  /** Run the network on a [1, 3, 300, 300] input (no gradients) and return logits, boxes and the asked grids. */
  forward(input: Tensor, grids: readonly FeatureGridName[] = []): DetectorOutput {
    const taps = grids.map((g) => this.gridTensors[g]);
    const { outputs, taps: tapped } = noGrad(() => this.graph.run(input, { taps }));
    const pick = (suffix: string): Tensor => {
      const key = Object.keys(outputs).find((k) => k.endsWith(suffix));
      const t = key === undefined ? undefined : outputs[key];
      if (!t) throw new FormatError(`${this.graph.source}: no output *${suffix}`);
      return t.reshape([t.shape[1]!, t.shape[2]!]);
    };
    const features: Partial<Record<FeatureGridName, Tensor>> = {};
    grids.forEach((g, i) => {
      const t = tapped[taps[i]!];
      if (t) features[g] = t;
    });
    return { classLogits: pick('class_predictions'), boxEncodings: pick('box_encodings'), features };
  }

  /**
   * What a captioner conditions on: one feature grid (NCHW) and the image-level scores of the classes 1..K−1 in
   * label order as a [1, K−1] condition vector, plus the full detector output (for boxes).
   */
  encode(input: Tensor, grid: FeatureGridName = 'grid19'): { grid: Tensor; condition: Tensor; output: DetectorOutput } {
    const output = this.forward(input, [grid]);
    const features = output.features[grid];
    if (!features) throw new FormatError(`${this.graph.source}: feature grid ${grid} was not computed`);
    const scores = this.classScores(output).sort((a, b) => a.classIndex - b.classIndex);
    const condition = new Tensor(
      Float32Array.from(scores, (s) => s.score),
      [1, scores.length],
    );
    return { grid: features, condition, output };
  }

  /** Each class's image-level score (max over anchors of the sigmoid), background excluded, best first. */
  classScores(output: DetectorOutput): ClassScore[] {
    const [A, K] = output.classLogits.shape as [number, number];
    const d = output.classLogits.data;
    const scores: ClassScore[] = [];
    for (let k = 1; k < K; k++) {
      let best = Number.NEGATIVE_INFINITY;
      for (let a = 0; a < A; a++) best = Math.max(best, d[a * K + k]!);
      scores.push({ classIndex: k, label: this.labels[k] ?? `class ${k}`, score: sigmoid(best) });
    }
    return scores.sort((a, b) => b.score - a.score);
  }

  /** Decoded, per-class non-max-suppressed detections, best first. */
  detections(output: DetectorOutput, options: DetectOptions = {}): Detection[] {
    const minScore = options.minScore ?? 0.5;
    const iouThreshold = options.iouThreshold ?? 0.4;
    const maxDetections = options.maxDetections ?? 20;
    if (!(minScore >= 0 && minScore <= 1))
      throw new ValueError(`detections: minScore must be in [0, 1], got ${minScore}`);
    const [A, K] = output.classLogits.shape as [number, number];
    const logits = output.classLogits.data;
    const boxes = output.boxEncodings.data;
    const candidates: Detection[] = [];
    for (let a = 0; a < A; a++) {
      let bestK = 1;
      for (let k = 2; k < K; k++) if (logits[a * K + k]! > logits[a * K + bestK]!) bestK = k;
      const score = sigmoid(logits[a * K + bestK]!);
      if (score < minScore) continue;
      const anchor = this.anchors[a]!;
      const yc = (boxes[4 * a]! / BOX_SCALES.y) * anchor.height + anchor.yCenter;
      const xc = (boxes[4 * a + 1]! / BOX_SCALES.x) * anchor.width + anchor.xCenter;
      const h = Math.exp(boxes[4 * a + 2]! / BOX_SCALES.h) * anchor.height;
      const w = Math.exp(boxes[4 * a + 3]! / BOX_SCALES.w) * anchor.width;
      candidates.push({
        classIndex: bestK,
        label: this.labels[bestK] ?? `class ${bestK}`,
        score,
        box: { xMin: xc - w / 2, yMin: yc - h / 2, xMax: xc + w / 2, yMax: yc + h / 2 },
      });
    }
    candidates.sort((p, q) => q.score - p.score);
    const kept: Detection[] = [];
    for (const c of candidates) {
      if (kept.length >= maxDetections) break;
      if (kept.every((k) => k.classIndex !== c.classIndex || iou(k.box, c.box) <= iouThreshold)) kept.push(c);
    }
    return kept;
  }
}

function iou(a: Detection['box'], b: Detection['box']): number {
  const w = Math.max(0, Math.min(a.xMax, b.xMax) - Math.max(a.xMin, b.xMin));
  const h = Math.max(0, Math.min(a.yMax, b.yMax) - Math.max(a.yMin, b.yMin));
  const inter = w * h;
  const area = (r: Detection['box']): number => (r.xMax - r.xMin) * (r.yMax - r.yMin);
  return inter / (area(a) + area(b) - inter || 1);
}
