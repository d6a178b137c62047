/// <reference lib="webworker" />
// "Train it here" trains here, off the main thread: lib/training-run.ts (the music package's RollTrainingSession,
// i.e. core's runner with the jsb task) a few steps at a time, streaming what the page lacks. The channel (queue,
// cancellation, errors) is @recurrent/demo-kit's serveWorker.
import { initWasm, isWasmReady } from '@recurrent/core';
import { withBasePath } from '@recurrent/demo-kit';
import { serveWorker, type HandlerContext } from '@recurrent/demo-kit/worker';
import { parsePianoRollSplits, type PianoRollSplits } from '@recurrent/music';
import type { TrainingRequest, TrainingResponses, TrainRequest, TrainResponse } from './protocol';
import { TrainingRun } from './training-run';

/** Steps per chunk between two checks for Pause, and the most time between two updates (ms). */
const CHUNK_STEPS = 4;
const UPDATE_EVERY_MS = 250;

let data: Promise<PianoRollSplits> | null = null;
let run: TrainingRun | null = null;

function jsbData(): Promise<PianoRollSplits> {
  data ??= (async () => {
    const url = withBasePath('/data/JSB_Chorales.json');
    const res = await fetch(url);
    if (!res.ok) throw new Error(`could not load the JSB chorales (${url}): HTTP ${res.status}`);
    return parsePianoRollSplits(await res.json(), 'JSB_Chorales.json');
  })();
  data.catch(() => {
    data = null; // retried on the next request
  });
  return data;
}

async function train(req: TrainRequest, ctx: HandlerContext<never>): Promise<TrainResponse> {
  const splits = await jsbData();
  if (!run || run.runId !== req.runId) run = new TrainingRun(req.runId, req.settings, splits);
  const current = run;
  const have = { losses: req.haveLosses, validations: req.haveValidations, samples: req.haveSamples };
  const flush = () => {
    const update = current.updateSince(have);
    ctx.update(update);
    have.losses += update.losses.length;
    have.validations += update.validations.length;
    have.samples += update.samples.length;
  };
  flush();
  let sent = performance.now();
  while (!current.finished) {
    current.advance(CHUNK_STEPS);
    if (performance.now() - sent >= UPDATE_EVERY_MS || current.finished) {
      flush();
      sent = performance.now();
    }
    await ctx.checkpoint();
  }
  const p = current.session.progress();
  return { runId: current.runId, step: p.step, bestNll: p.best?.value ?? null, seconds: p.seconds };
}

serveWorker<TrainingRequest, TrainingResponses>({
  init: () => initWasm(),
  backend: () => (isWasmReady() ? 'WebAssembly SIMD' : 'TypeScript'),
  handlers: { train },
});
