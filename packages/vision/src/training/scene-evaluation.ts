import { cat, noGrad, type ReportProgress, type Tensor } from '@recurrent/core';
import { imageToTensor } from '../image/preprocess.js';
import { corpusBleu } from '../metrics/bleu.js';
import { exactMatch, pointingAccuracy, slotAccuracy, type PointingInput } from '../metrics/scene-metrics.js';
import type { SceneCaptioner } from '../models/scene-captioner.js';
import type { Scene } from '../scenes/generate.js';

/** Scenes → the encoder's input [B, 3, S, S]. */
export function sceneImages(scenes: readonly Scene[]): Tensor {
  return cat(
    scenes.map((s) => imageToTensor({ data: s.rgba, width: s.size, height: s.size }, { size: s.size })),
    0,
  );
}

export interface SceneMetrics {
  /** Fraction of greedy captions equal to the canonical caption. */
  exact_match: number;
  /** For each word naming an object, the argmax of its attention map (teacher forcing) falls inside that object. */
  pointing: number;
  bleu4: number;
  /** Per-slot accuracy: count, size, colour, shape, relation. */
  slots: Record<string, number>;
  scenes: number;
}

/**
 * Greedy captions of `scenes` (in batches) against their canonical captions, and pointing accuracy of the attention
 * maps under teacher forcing on the reference caption.
 */
export function evaluateScenes(
  model: SceneCaptioner,
  scenes: readonly Scene[],
  options: { batchSize?: number; progress?: ReportProgress } = {},
): SceneMetrics {
  const batchSize = options.batchSize ?? 50;
  const predicted: string[][] = [];
  const pointing: PointingInput[] = [];
  const { captioner, encoder, vocabulary } = model;
  noGrad(() => {
    for (let start = 0; start < scenes.length; start += batchSize) {
      const batch = scenes.slice(start, start + batchSize);
      const images = sceneImages(batch);
      for (const [best] of model.captionTensors(images)) predicted.push(best?.words ?? []);
      const memory = captioner.prepare(encoder.forward(images));
      const { inputs } = vocabulary.teacherForcing(batch.map((s) => s.caption.tokens));
      const { attention } = captioner.forward(inputs, memory);
      const [, T, S] = attention.shape as [number, number, number];
      const data = attention.data;
      batch.forEach((scene, b) => {
        const maps = Array.from({ length: scene.caption.tokens.length }, (_, t) =>
          data.subarray((b * T + t) * S, (b * T + t + 1) * S),
        );
        pointing.push({
          caption: scene.caption,
          attention: maps,
          grid: memory.grid,
          masks: scene.masks,
          size: scene.size,
        });
      });
      options.progress?.(start + batch.length, scenes.length);
    }
  });
  const truth = scenes.map((s) => s.caption);
  const slots = slotAccuracy(predicted, truth);
  return {
    exact_match: exactMatch(predicted, truth).rate,
    pointing: pointingAccuracy(pointing).rate,
    bleu4: corpusBleu(
      predicted,
      truth.map((t) => [t.tokens]),
    ).bleu[3],
    slots: Object.fromEntries(Object.entries(slots).map(([k, r]) => [k, r.rate])),
    scenes: scenes.length,
  };
}
