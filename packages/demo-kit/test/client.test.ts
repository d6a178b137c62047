import { describe, expect, it } from 'vitest';
import {
  CancelledError,
  InferenceClient,
  isSuperseded,
  SupersededError,
  WorkerFailedError,
  type WorkerLike,
} from '../src/client';
import type { AppRequest, ClientMessage, WorkerReply } from '../src/protocol';

type Req = { type: 'echo'; text: string } | { type: 'count'; n: number };
interface Res {
  echo: string;
  count: number;
}

/** A Worker stand-in: records what the client posts, replies on demand. */
export class FakeWorker implements WorkerLike {
  sent: ClientMessage<AppRequest>[] = [];
  terminated = false;
  onmessage: ((event: MessageEvent<WorkerReply>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  onmessageerror: ((event: MessageEvent) => void) | null = null;
  postMessage(message: ClientMessage<AppRequest>): void {
    this.sent.push(message);
  }
  terminate(): void {
    this.terminated = true;
  }
  reply(reply: WorkerReply): void {
    this.onmessage?.({ data: reply } as MessageEvent<WorkerReply>);
  }
  requests() {
    return this.sent.flatMap((m) => (m.kind === 'request' ? [[m.id, m.lane, m.request.type]] : []));
  }
}

const failure = (e: Promise<unknown>) =>
  e.then(
    () => 'resolved',
    (x: unknown) => x,
  );

describe('InferenceClient', () => {
  it('matches replies to requests by id, whatever their order', async () => {
    const worker = new FakeWorker();
    const client = new InferenceClient<Req, Res>(worker);
    const a = client.request('echo', { type: 'echo', text: 'a' });
    const b = client.request('other', { type: 'count', n: 3 });
    expect(worker.requests()).toEqual([
      [1, 'echo', 'echo'],
      [2, 'other', 'count'],
    ]);
    worker.reply({ kind: 'result', id: 2, result: 3 });
    worker.reply({ kind: 'result', id: 1, result: 'a' });
    await expect(b).resolves.toBe(3);
    await expect(a).resolves.toBe('a');
  });

  it('rejects with the handler error, SupersededError or CancelledError as the worker says', async () => {
    const worker = new FakeWorker();
    const client = new InferenceClient<Req, Res>(worker);
    const failed = client.request('s', { type: 'echo', text: 'x' });
    const replaced = client.request('s', { type: 'echo', text: 'y' });
    const dropped = client.request('t', { type: 'echo', text: 'z' });
    worker.reply({
      kind: 'failure',
      id: 1,
      reason: 'error',
      error: 'could not load /models/nope/model.safetensors: HTTP 404',
    });
    worker.reply({ kind: 'failure', id: 2, reason: 'superseded', error: 'superseded' });
    worker.reply({ kind: 'failure', id: 3, reason: 'cancelled', error: 'cancelled' });
    await expect(failed).rejects.toThrow('HTTP 404');
    expect(await failure(replaced)).toBeInstanceOf(SupersededError);
    expect(await failure(dropped)).toBeInstanceOf(CancelledError);
    expect(isSuperseded(new SupersededError()) && isSuperseded(new CancelledError())).toBe(true);
    expect(isSuperseded(new Error('x'))).toBe(false);
  });

  it('cancels through an AbortSignal or a lane at once, and tells the worker', async () => {
    const worker = new FakeWorker();
    const client = new InferenceClient<Req, Res>(worker);
    const controller = new AbortController();
    const aborted = client.request('a', { type: 'count', n: 1 }, { signal: controller.signal });
    const inLane = client.request('b', { type: 'count', n: 2 });
    const other = client.request('c', { type: 'count', n: 3 });
    controller.abort();
    client.cancel('b');
    expect(await failure(aborted)).toBeInstanceOf(CancelledError);
    expect(await failure(inLane)).toBeInstanceOf(CancelledError);
    expect(worker.sent.filter((m) => m.kind === 'cancel')).toEqual([
      { kind: 'cancel', id: 1 },
      { kind: 'cancel', id: 2 },
    ]);
    worker.reply({ kind: 'failure', id: 1, reason: 'cancelled', error: 'cancelled' }); // late: ignored
    worker.reply({ kind: 'result', id: 3, result: 3 });
    await expect(other).resolves.toBe(3);
    const pre = new AbortController();
    pre.abort();
    expect(await failure(client.request('d', { type: 'count', n: 4 }, { signal: pre.signal }))).toBeInstanceOf(
      CancelledError,
    );
  });

  it('forwards download progress of a model load and resolves when it is built', async () => {
    const worker = new FakeWorker();
    const client = new InferenceClient<Req, Res>(worker);
    const seen: number[] = [];
    const load = client.loadModel('sst2', { onProgress: (p) => seen.push(p.loaded / p.total) });
    expect(worker.sent[0]).toEqual({
      kind: 'request',
      id: 1,
      lane: '$load:sst2',
      request: { type: '$load', model: 'sst2' },
    });
    worker.reply({ kind: 'progress', id: 1, progress: { loaded: 1, total: 4 } });
    worker.reply({ kind: 'progress', id: 1, progress: { loaded: 4, total: 4 } });
    worker.reply({ kind: 'result', id: 1, result: { loaded: true } });
    await expect(load).resolves.toBeUndefined();
    expect(seen).toEqual([0.25, 1]);
    const status = client.status();
    worker.reply({ kind: 'result', id: 2, result: { backend: 'WebAssembly SIMD' } });
    await expect(status).resolves.toEqual({ backend: 'WebAssembly SIMD' });
  });

  it('fails every pending and later request when the worker crashes, instead of hanging', async () => {
    const worker = new FakeWorker();
    const client = new InferenceClient<Req, Res>(worker);
    const told: string[] = [];
    client.onFailure((m) => told.push(m));
    const pending = client.request('s', { type: 'echo', text: 'x' });
    worker.onerror?.({ message: 'SyntaxError in worker', preventDefault: () => undefined } as ErrorEvent);
    const e = await failure(pending);
    expect(e).toBeInstanceOf(WorkerFailedError);
    expect((e as Error).message).toBe('the inference worker failed: SyntaxError in worker');
    expect(told).toEqual(['the inference worker failed: SyntaxError in worker']);
    expect(client.failure).toContain('SyntaxError');
    expect(worker.terminated).toBe(true);
    await expect(client.request('s', { type: 'echo', text: 'later' })).rejects.toThrow(WorkerFailedError);
    const late: string[] = [];
    client.onFailure((m) => late.push(m));
    expect(late, 'a listener added after the crash hears of it at once').toHaveLength(1);
  });

  it('fails everything when the worker reports that it could not start', async () => {
    const worker = new FakeWorker();
    const client = new InferenceClient<Req, Res>(worker);
    const pending = client.request('s', { type: 'count', n: 1 });
    worker.reply({ kind: 'fatal', error: 'WebAssembly.Module(): out of memory' });
    await expect(pending).rejects.toThrow('the inference worker could not start: WebAssembly.Module(): out of memory');
  });

  it('dispose terminates the worker and settles what was pending', async () => {
    const worker = new FakeWorker();
    const client = new InferenceClient<Req, Res>(worker);
    const pending = client.request('s', { type: 'count', n: 1 });
    client.dispose();
    expect(worker.terminated).toBe(true);
    expect(isSuperseded(await failure(pending))).toBe(true);
  });

  describe('made from a worker factory', () => {
    /** A client over a factory of FakeWorkers, and every worker it made. */
    function restartable() {
      const workers: FakeWorker[] = [];
      const client = new InferenceClient<Req, Res>(() => {
        const w = new FakeWorker();
        workers.push(w);
        return w;
      });
      const current = () => workers.at(-1) as FakeWorker;
      return { client, workers, current };
    }
    const crash = (w: FakeWorker, message = 'Uncaught RangeError: Array buffer allocation failed') =>
      w.onerror?.({ message, preventDefault: () => undefined } as ErrorEvent);

    it('starts a new worker at the next request after a worker that had been answering crashed', async () => {
      const { client, workers, current } = restartable();
      const restarts: number[] = [];
      client.onRestart(() => restarts.push(client.restarts));
      const first = client.request('s', { type: 'echo', text: 'a' });
      current().reply({ kind: 'result', id: 1, result: 'a' });
      await expect(first).resolves.toBe('a');
      const pending = client.request('s', { type: 'echo', text: 'huge' });
      crash(current());
      expect(await failure(pending)).toBeInstanceOf(WorkerFailedError);
      expect(client.failure).toContain('Array buffer allocation failed');
      expect(workers[0]?.terminated).toBe(true);
      const next = client.request('s', { type: 'echo', text: 'b' });
      expect(workers).toHaveLength(2);
      expect(client.failure, 'the failure is cleared by the restart').toBeNull();
      expect(restarts).toEqual([1]);
      expect(current().requests()).toEqual([[3, 's', 'echo']]);
      current().reply({ kind: 'result', id: 3, result: 'b' });
      await expect(next).resolves.toBe('b');
      workers[0]?.reply({ kind: 'result', id: 2, result: 'late' }); // the dead worker is not listened to
      crash(workers[0] as FakeWorker, 'a late error of the old worker');
      expect(client.failure).toBeNull();
    });

    it('does not restart on its own a worker that never answered (broken script) or could not start', async () => {
      const { client, workers, current } = restartable();
      const told: string[] = [];
      client.onFailure((m) => told.push(m));
      const pending = client.request('s', { type: 'count', n: 1 });
      crash(current(), 'SyntaxError: Unexpected token');
      expect(await failure(pending)).toBeInstanceOf(WorkerFailedError);
      await expect(client.request('s', { type: 'count', n: 2 })).rejects.toThrow('SyntaxError');
      expect(workers).toHaveLength(1);
      expect(client.canRestart).toBe(true);
      expect(client.restart(), 'an explicit restart (the page’s button) always starts one').toBe(true);
      expect(workers).toHaveLength(2);
      current().reply({ kind: 'fatal', error: 'WebAssembly is disabled' });
      expect(told).toHaveLength(2);
      await expect(client.request('s', { type: 'count', n: 3 })).rejects.toThrow('could not start');
      expect(workers, 'a failed start is not restarted at the next request').toHaveLength(2);
    });

    it('restart() fails what was pending on the old worker; a client over one worker or disposed cannot', async () => {
      const { client, workers } = restartable();
      const pending = client.request('s', { type: 'count', n: 1 });
      expect(client.restart()).toBe(true);
      expect(workers[0]?.terminated).toBe(true);
      await expect(pending).rejects.toThrow('the inference worker was restarted');
      client.dispose();
      expect(client.restart()).toBe(false);
      const single = new InferenceClient<Req, Res>(new FakeWorker());
      expect(single.canRestart).toBe(false);
      expect(single.restart()).toBe(false);
    });
  });
});
