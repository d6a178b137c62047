// Time training steps of the piano-roll models on JSB chorales (train split, batch 8, Adam, clip 1.0) and
// extrapolate to one epoch. A measurement, not a training run: a few warm-up steps, then `--steps` timed ones.
//   pnpm --filter @recurrent/music exec tsx --conditions=@recurrent/source scripts/epoch-time.ts \
//     [--steps 20] [--model rnn|nade] [--threads 2]
import { Adam, clipGradNorm, Generator, initWasm } from '@recurrent/core';
import { initWasmThreads } from '@recurrent/core/node';
import { nllPerFrame, PianoRollRNN, rollBatch, RnnNade, type FrameModel } from '../src/index.js';
import { readPianoRollDataset } from '../src/node.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const steps = Number(arg('steps', '20'));
const kind = arg('model', 'rnn');
const threads = Number(arg('threads', '1'));
const batchSize = 8;
if (threads > 1) await initWasmThreads({ threads });
else initWasm();

const data = readPianoRollDataset('jsb');
const model: FrameModel =
  kind === 'nade' ? new RnnNade({ hiddenSize: 200, nadeHiddenSize: 150 }) : new PianoRollRNN({ hiddenSize: 200 });
const params = model.parameters().reduce((n, p) => n + p.size, 0);
const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
const order = new Generator(0).permutation(data.train.length);
const stepsPerEpoch = Math.ceil(data.train.length / batchSize);
const step = (s: number): number => {
  const pick = Array.from({ length: batchSize }, (_, j) => data.train[order[(s * batchSize + j) % order.length]!]!);
  const batch = rollBatch(pick);
  const loss = model.negLogLikelihood(batch).div(batch.frames);
  loss.backward();
  clipGradNorm(model.parameters(), 1.0);
  optimizer.step();
  optimizer.zeroGrad();
  return batch.frames;
};
model.train();
for (let s = 0; s < 3; s++) step(s);
let frames = 0;
const t0 = performance.now();
for (let s = 0; s < steps; s++) frames += step(s + 3);
const seconds = (performance.now() - t0) / 1000;
const perStep = seconds / steps;
const e0 = performance.now();
const test = nllPerFrame(model, data.test);
const evalSeconds = (performance.now() - e0) / 1000;
console.log(
  `${kind === 'nade' ? 'RnnNade(200, NADE 150)' : 'PianoRollRNN LSTM-200'}: ${params} parameters, ` +
    `${threads} thread(s); ` +
    `${steps} steps of batch ${batchSize} in ${seconds.toFixed(2)} s = ${(perStep * 1000).toFixed(0)} ms/step ` +
    `(${Math.round(frames / seconds)} frames/s); ` +
    `one epoch = ${stepsPerEpoch} steps ≈ ${(perStep * stepsPerEpoch).toFixed(1)} s; ` +
    `test NLL (${test.frames} frames) evaluated in ${evalSeconds.toFixed(2)} s`,
);
if (threads > 1) process.exit(0);
