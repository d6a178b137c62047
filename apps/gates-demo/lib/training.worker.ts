/// <reference lib="webworker" />
// The race trains here, off the main thread, so the page never freezes. The channel (queue, cancellation, errors) is
// @recurrent/demo-kit's serveWorker; this file holds the training loop and what it streams.
import { initWasm, isWasmReady } from '@recurrent/core';
import { serveWorker, type HandlerContext } from '@recurrent/demo-kit/worker';
import type { GatesRequest, GatesResponses, TrainRequest, TrainResponse } from './protocol';
import { RaceRun } from './race-run';

/** Send what the page lacks at least this often (ms), and let a Pause (cancel) in between two sends. */
const UPDATE_EVERY_MS = 150;

let run: RaceRun | null = null;

async function train(req: TrainRequest, ctx: HandlerContext<never>): Promise<TrainResponse> {
  if (!run || run.runId !== req.runId) run = new RaceRun(req.runId, req.settings);
  const current = run;
  let haveSteps = req.haveSteps;
  let haveProfiles = req.haveProfiles;
  const flush = () => {
    ctx.update(current.updateSince(haveSteps, haveProfiles));
    haveSteps = current.steps.length;
    haveProfiles = current.profiles.length;
  };
  flush();
  let sent = performance.now();
  while (!current.done) {
    current.advance();
    if (performance.now() - sent >= UPDATE_EVERY_MS || current.done) {
      flush();
      sent = performance.now();
      await ctx.checkpoint();
    }
  }
  const { runId, heldOut, millis } = current;
  return { runId, step: current.comparison.step, heldOut: heldOut ?? [], millis };
}

serveWorker<GatesRequest, GatesResponses>({
  init: () => initWasm(),
  backend: () => (isWasmReady() ? 'WebAssembly SIMD' : 'TypeScript'),
  handlers: { train },
});
