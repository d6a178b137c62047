// Time of one optimizer step of the registered training tasks, through the same task definitions the runner uses
// (build → step → backward → Adam), to size a training budget. Not training: a few steps, median printed.
// RECURRENT_THREADS=1 pnpm --filter @recurrent/vision exec tsx --conditions=@recurrent/source \
//   scripts/bench-train-step.ts <scenes|coco> [steps] [--key value ...]   (config overrides as JSON values)
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Adam, findTrainingTask, initWasm, resolveTrainingConfig } from '@recurrent/core';
import { decodePhotos, readCocoMini } from '../src/node.js';

await initWasm();
const [taskName = 'scenes', stepsArg = '4', ...rest] = process.argv.slice(2);
const overrides: Record<string, unknown> = {};
for (let i = 0; i + 1 < rest.length; i += 2) {
  const key = (rest[i] as string).replace(/^--/, '');
  const raw = rest[i + 1] as string;
  const value: unknown = Number.isNaN(Number(raw)) ? raw : Number(raw);
  if (['imageSize', 'encoderWidth', 'encoderBlocks', 'embDim', 'hiddenSize', 'grid', 'maxLength'].includes(key))
    overrides.architecture = { ...((overrides.architecture as object) ?? {}), [key]: value };
  else overrides[key] = value;
}
const task = findTrainingTask(taskName);
if (!task) throw new Error(`no task ${taskName}`);
const config = resolveTrainingConfig(task, overrides);
if (taskName === 'coco') await decodePhotos(readCocoMini({ split: 'train' }));
const t0 = performance.now();
const data = task.loadData(config, {});
const loadSeconds = (performance.now() - t0) / 1000;
const run = task.definition.build(config, data, {
  outDir: mkdtempSync(join(tmpdir(), 'bench-step-')),
  resuming: false,
  log: console.log,
});
const optimizer = new Adam(run.model.parameters(), { lr: config.lr });
const times: Record<string, number[]> = {};
for (const epoch of taskName === 'coco' ? [0, config.lmEpochs as number] : [0]) {
  const batches = run.epochBatches(epoch);
  const kind = (batches[0] as { kind?: string }).kind ?? taskName;
  times[kind] = [];
  for (let s = 0; s < Number(stepsArg); s++) {
    const start = performance.now();
    optimizer.zeroGrad();
    run.step(batches[s % batches.length], null).loss.backward();
    optimizer.step();
    times[kind].push(performance.now() - start);
  }
  const sorted = [...times[kind]].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] as number;
  console.log(
    `${taskName} ${kind}: ${batches.length} steps/epoch, one step median ${(median / 1000).toFixed(2)} s ` +
      `(min ${(sorted[0]! / 1000).toFixed(2)} s over ${sorted.length})`,
  );
}
run.model.eval();
const e0 = performance.now();
const metrics = run.evaluate();
console.log(`validation ${JSON.stringify(metrics)} took ${((performance.now() - e0) / 1000).toFixed(1)} s`);
console.log(
  `data loading ${loadSeconds.toFixed(1)} s; load average ${(await import('node:os')).loadavg()[0]!.toFixed(1)}`,
);
