// Node-only: write a vision model directory (config.json, model.safetensors, vocabulary.json, metrics.json).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FormatError, encodeSafetensors } from '@recurrent/core';
import { ensureDirectory, readTextChecked, writeFileAtomic } from '@recurrent/core/node';
import { COCO_CAPTIONER_KIND, CocoCaptioner } from './coco-captioner.js';
import { VISION_MODEL_FILES, VISION_PACKAGE, type VisionModel } from './kinds.js';
import { SCENE_CAPTIONER_KIND } from './scene-captioner.js';

const json = (v: unknown): string => `${JSON.stringify(v, null, 2)}\n`;

/** Save a captioner's files into `dir` (created if needed); each file is written atomically. */
export function saveVisionModel(dir: string, model: VisionModel, info: { training: unknown; metrics: unknown }): void {
  ensureDirectory(dir, 'model directory');
  const kind = model instanceof CocoCaptioner ? COCO_CAPTIONER_KIND : SCENE_CAPTIONER_KIND;
  writeFileAtomic(
    join(dir, VISION_MODEL_FILES.weights),
    encodeSafetensors(model.stateDict(), null, { dtype: 'float32' }),
  );
  writeFileAtomic(join(dir, VISION_MODEL_FILES.vocabulary), json(model.vocabulary.toJSON()));
  const config: Record<string, unknown> = { kind, package: VISION_PACKAGE, architecture: model.architecture };
  if (kind === COCO_CAPTIONER_KIND) {
    config.detector = {
      package: '@mediapipe/objectron',
      file: 'object_detection_ssd_mobilenetv2_oidv4_fp16.tflite',
      licence: 'Apache-2.0',
      note: 'not stored here: read from node_modules/@mediapipe/objectron at run time',
    };
  }
  config.training = info.training;
  writeFileAtomic(join(dir, 'config.json'), json(config));
  writeFileAtomic(join(dir, 'metrics.json'), json(info.metrics));
}

/** Merge `patch` into `dir/metrics.json` (eval --write, the test after train). */
export function mergeMetrics(dir: string, patch: Record<string, unknown>): void {
  const path = join(dir, 'metrics.json');
  let current: Record<string, unknown> = {};
  if (existsSync(path)) {
    const text = readTextChecked(path, "the model's metrics");
    try {
      current = JSON.parse(text) as Record<string, unknown>;
    } catch (e) {
      throw new FormatError(`${path}: not valid JSON (${(e as Error).message})`);
    }
  }
  writeFileAtomic(path, json({ ...current, ...patch }));
}
