import { FormatError } from '@recurrent/core';
import { describe, expect, it } from 'vitest';
import { CancelledError, InferenceClient, SupersededError, type WorkerLike } from '../src/client';
import type { AppRequest, ClientMessage, WorkerReply } from '../src/protocol';
import {
  describeHandlerError,
  isOutOfMemory,
  ModelDownloadError,
  serveWorker,
  type ServeWorkerOptions,
  type WorkerScope,
} from '../src/worker';

type Req =
  | { type: 'slow'; steps: number }
  | { type: 'name'; model: string }
  | { type: 'boom' }
  | { type: 'train'; steps: number };
interface Res {
  slow: number;
  name: string;
  boom: never;
  train: { finalLoss: number };
}

/** A client and a worker scope joined like a real Worker: messages arrive as separate macrotasks. */
function connect(options: ServeWorkerOptions<Req, Res, { name: string }>) {
  const scope: WorkerScope = {
    onmessage: null,
    postMessage: (reply: WorkerReply) =>
      setTimeout(() => worker.onmessage?.({ data: reply } as MessageEvent<WorkerReply>), 0),
  };
  const worker: WorkerLike = {
    onmessage: null,
    onerror: null,
    postMessage: (message: ClientMessage<AppRequest>) =>
      setTimeout(() => scope.onmessage?.({ data: message } as MessageEvent<ClientMessage<AppRequest>>), 0),
    terminate: () => undefined,
  };
  const served = serveWorker<Req, Res, { name: string }>(options, scope);
  return { client: new InferenceClient<Req, Res>(worker), served };
}

const outcome = (p: Promise<unknown>) =>
  p.then(
    (v) => v,
    (e: unknown) => (e instanceof Error ? e.constructor.name : String(e)),
  );

describe('serveWorker', () => {
  const steps: number[] = [];
  const handlers: ServeWorkerOptions<Req, Res, { name: string }>['handlers'] = {
    slow: async (req, ctx) => {
      for (let i = 0; i < req.steps; i++) {
        await ctx.checkpoint();
        steps.push(ctx.id);
      }
      return req.steps;
    },
    name: async (req, ctx) => (await ctx.model(req.model)).name,
    boom: () => {
      throw new Error('the model exploded');
    },
    train: async (req, ctx) => {
      let loss = 2;
      for (let step = 1; step <= req.steps; step++) {
        await ctx.checkpoint();
        loss *= 0.5;
        ctx.update({ step, loss });
      }
      return { finalLoss: loss };
    },
  };

  it('runs handlers and answers; a newer request of a lane supersedes the older at its next checkpoint', async () => {
    steps.length = 0;
    const { client } = connect({ handlers });
    const first = client.request('lane', { type: 'slow', steps: 50 });
    await new Promise((r) => setTimeout(r, 5));
    const second = client.request('lane', { type: 'slow', steps: 3 });
    const elsewhere = client.request('other', { type: 'slow', steps: 2 });
    expect(await outcome(first)).toBe('SupersededError');
    expect(await second).toBe(3);
    expect(await elsewhere).toBe(2);
    expect(steps.filter((id) => id === 1).length, 'the superseded request stopped early').toBeLessThan(50);
  });

  it('drops a request that was superseded before it started, and one cancelled while it ran', async () => {
    const { client } = connect({ handlers });
    const a = client.request('x', { type: 'slow', steps: 2 });
    const b = client.request('x', { type: 'slow', steps: 2 });
    const c = client.request('x', { type: 'slow', steps: 2 });
    expect([await outcome(a), await outcome(b), await c]).toEqual(['SupersededError', 'SupersededError', 2]);
    const controller = new AbortController();
    const long = client.request('y', { type: 'slow', steps: 1000 }, { signal: controller.signal });
    const after = client.request('z', { type: 'slow', steps: 1 });
    setTimeout(() => controller.abort(), 5);
    expect(await outcome(long)).toBe('CancelledError');
    expect(await after, 'the queue moves on once the cancelled request stops').toBe(1);
  });

  it('streams intermediate results (a training curve) before the answer', async () => {
    const { client } = connect({ handlers });
    const curve: unknown[] = [];
    const done = await client.request('train', { type: 'train', steps: 3 }, { onUpdate: (u) => curve.push(u) });
    expect(curve).toEqual([
      { step: 1, loss: 1 },
      { step: 2, loss: 0.5 },
      { step: 3, loss: 0.25 },
    ]);
    expect(done).toEqual({ finalLoss: 0.25 });
  });

  it('answers a handler error and an unknown request type with their messages', async () => {
    const { client } = connect({ handlers });
    await expect(client.request('e', { type: 'boom' })).rejects.toThrow('the model exploded');
    await expect(client.request('e', { type: 'nope' } as unknown as Req)).rejects.toThrow(
      'unknown request type "nope"',
    );
  });

  it('loads each model once, forwards its download progress, and retries a failed load', async () => {
    const loads: string[] = [];
    let failNext = true;
    const { client } = connect({
      handlers,
      backend: () => 'TypeScript',
      loadModel: async (name, { onProgress }) => {
        loads.push(name);
        onProgress({ loaded: 5, total: 10 });
        await new Promise((r) => setTimeout(r, 5));
        if (name === 'flaky' && failNext) {
          failNext = false;
          throw new Error('could not load /models/flaky/model.safetensors: HTTP 503');
        }
        onProgress({ loaded: 10, total: 10 });
        return { name: `model ${name}` };
      },
    });
    const progress: number[] = [];
    await client.loadModel('sst2', { onProgress: (p) => progress.push(p.loaded) });
    expect(progress).toEqual([5, 10]);
    expect(await client.request('n', { type: 'name', model: 'sst2' })).toBe('model sst2');
    expect(loads).toEqual(['sst2']);
    await expect(client.loadModel('flaky')).rejects.toThrow('HTTP 503');
    expect(await client.request('n', { type: 'name', model: 'flaky' })).toBe('model flaky');
    expect(loads).toEqual(['sst2', 'flaky', 'flaky']);
    await expect(client.loadModel('../etc')).rejects.toThrow('bad model name "../etc"');
    await expect(client.status()).resolves.toEqual({ backend: 'TypeScript' });
  });

  it('when init fails, says so to the page: every request fails with the reason instead of hanging', async () => {
    const { client } = connect({
      handlers,
      init: async () => {
        throw new Error('WebAssembly is disabled');
      },
    });
    await expect(client.request('a', { type: 'slow', steps: 1 })).rejects.toThrow(
      'the inference worker could not start: WebAssembly is disabled',
    );
    expect(client.failure).toContain('WebAssembly is disabled');
  });

  it('says in plain words why a model could not load and when an input ran out of memory', async () => {
    const { client } = connect({
      handlers: {
        ...handlers,
        boom: () => {
          throw new RangeError('Array buffer allocation failed');
        },
      },
      loadModel: async (name) => {
        if (name === 'truncated') {
          throw new FormatError(
            'model.safetensors: safetensors: header length 960 runs past the end of the 100-byte file (truncated?)',
          );
        }
        if (name === 'gone') throw new ModelDownloadError('could not load /models/gone/model.safetensors: HTTP 404');
        throw new RangeError('WebAssembly.Memory.grow(): Maximum memory size exceeded');
      },
    });
    await expect(client.loadModel('truncated')).rejects.toThrow(
      'the files of model "truncated" arrived damaged or incomplete and could not be read (model.safetensors: ' +
        'safetensors: header length 960 runs past the end of the 100-byte file (truncated?))',
    );
    await expect(client.loadModel('gone')).rejects.toThrow(
      /^could not load \/models\/gone\/model.safetensors: HTTP 404$/,
    );
    await expect(client.loadModel('huge')).rejects.toThrow(
      'this input needs more memory than the browser gives this page, so it was not processed',
    );
    await expect(client.request('n', { type: 'name', model: 'truncated' })).rejects.toThrow('damaged or incomplete');
    await expect(client.request('b', { type: 'boom' })).rejects.toThrow(
      'try a shorter text or a smaller image (Array buffer allocation failed)',
    );
    expect(client.failure, 'errors of a request leave the worker working').toBeNull();
    expect(await client.request('s', { type: 'slow', steps: 1 })).toBe(1);
  });

  it('tells allocation failures from other errors', () => {
    expect(isOutOfMemory(new RangeError('Array buffer allocation failed'))).toBe(true);
    expect(isOutOfMemory(new RangeError('Invalid typed array length: 4000000000'))).toBe(true);
    expect(isOutOfMemory(new RangeError('Invalid string length'))).toBe(true);
    expect(isOutOfMemory(new RangeError('WebAssembly.Memory.grow(): Maximum memory size exceeded'))).toBe(true);
    expect(isOutOfMemory(Object.assign(new Error('quota'), { name: 'QuotaExceededError' }))).toBe(true);
    expect(isOutOfMemory(new RangeError('Maximum call stack size exceeded'))).toBe(false);
    expect(isOutOfMemory(new TypeError('out of memory? no, a type error'))).toBe(false);
    expect(isOutOfMemory('out of memory')).toBe(false);
    expect(describeHandlerError(new Error('the model exploded'))).toBe('the model exploded');
  });

  it('SupersededError and CancelledError are distinct classes', () => {
    expect(new SupersededError()).not.toBeInstanceOf(CancelledError);
  });
});
