// The requests the pages send to the inference Web Worker (lib/inference.worker.ts) and what it answers; the channel
// itself (lanes, cancellation, model loading, errors) is @recurrent/demo-kit's.
import type { ModelManifest, ShippedModel } from '@recurrent/demo-kit';

export type CaptionerKind = 'scene-captioner' | 'coco-captioner';

export interface ModelMetrics {
  test: Record<string, unknown> | null;
  heldout: Record<string, unknown> | null;
  val: Record<string, unknown> | null;
}

/** One entry of public/models/manifest.json (written by scripts/copy-assets.mjs). */
export interface ShippedCaptioner extends ShippedModel {
  kind: CaptionerKind;
  metrics: ModelMetrics;
}

export type Manifest = ModelManifest<ShippedCaptioner>;

/** Decoded pixels sent to the worker (RGBA, row-major). */
export interface Pixels {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

export interface DetectRequest {
  type: 'detect';
  image: Pixels;
}

export interface CaptionPhotoRequest {
  type: 'caption-photo';
  model: string;
  image: Pixels;
  beam: number;
}

export interface CaptionSceneRequest {
  type: 'caption-scene';
  model: string;
  image: Pixels;
  beam: number;
}

export type CaptionRequest = DetectRequest | CaptionPhotoRequest | CaptionSceneRequest;

export interface ClassScoreView {
  label: string;
  score: number;
}

export interface DetectionView extends ClassScoreView {
  box: { xMin: number; yMin: number; xMax: number; yMax: number };
}

export interface DetectResponse {
  classes: ClassScoreView[];
  detections: DetectionView[];
  millis: number;
}

export interface CaptionView {
  words: string[];
  probabilities: number[];
  /** One map per word (then <eos>), gridH·gridW weights, row-major. */
  attention: number[][];
  grid: [number, number];
  logProb: number;
  score: number;
}

export interface CaptionResponse {
  /** n-best captions, best first. */
  captions: CaptionView[];
  millis: number;
}

export interface CaptionPhotoResponse extends CaptionResponse, DetectResponse {}

export interface CaptionResponses {
  detect: DetectResponse;
  'caption-photo': CaptionPhotoResponse;
  'caption-scene': CaptionResponse;
}
