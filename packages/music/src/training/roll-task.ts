// The piano-roll tasks in Node: core's runner writes the best model to the run's output directory.
import { join } from 'node:path';
import { ValueError } from '@recurrent/core';
import { writeFileAtomic } from '@recurrent/core/node';
import { encodeRollModel, type RollModel } from '../models/config.js';
import { ROLL_MODEL_FILES } from '../models/kinds.js';
import { createRollTask } from './roll-task-definition.js';

/** Write a piano-roll model directory: model.safetensors, config.json, metrics.json (each atomically). */
export function saveRollModelDir(
  dir: string,
  model: RollModel,
  options: { stepsPerQuarter: number; training?: Record<string, unknown>; metrics?: Record<string, unknown> },
): void {
  const { weights, config } = encodeRollModel(model, options);
  writeFileAtomic(join(dir, ROLL_MODEL_FILES.weights), weights);
  writeFileAtomic(join(dir, ROLL_MODEL_FILES.config), config);
  writeFileAtomic(join(dir, ROLL_MODEL_FILES.metrics), `${JSON.stringify(options.metrics ?? {}, null, 2)}\n`);
}

/** The piano-roll task of the CLI: the best model goes to the run's output directory. */
export const rollTask = createRollTask({
  saverFor: (config, { outDir }) => {
    if (outDir === null) throw new ValueError(`${config.task}: training writes its model to an output directory`);
    return (model, info) =>
      saveRollModelDir(outDir, model, {
        stepsPerQuarter: config.stepsPerQuarter,
        training: info.training,
        metrics: info.metrics,
      });
  },
});
