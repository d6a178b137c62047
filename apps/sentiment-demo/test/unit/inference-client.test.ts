import { describe, expect, it } from 'vitest';
import { InferenceClient, isSuperseded, type WorkerLike } from '../../lib/inference-client';
import type { WorkerMessage, WorkerReply } from '../../lib/protocol';

class FakeWorker implements WorkerLike {
  sent: WorkerMessage[] = [];
  terminated = false;
  onmessage: ((event: MessageEvent<WorkerReply>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  postMessage(message: WorkerMessage): void {
    this.sent.push(message);
  }
  terminate(): void {
    this.terminated = true;
  }
  reply(reply: WorkerReply): void {
    this.onmessage?.({ data: reply } as MessageEvent<WorkerReply>);
  }
}

describe('InferenceClient', () => {
  it('matches replies to requests by id, whatever their order', async () => {
    const worker = new FakeWorker();
    const client = new InferenceClient(worker);
    const a = client.request('topk', { type: 'topk', model: 'charlm', prefix: 'a', k: 3 });
    const b = client.request('other', { type: 'status' });
    expect(worker.sent.map((m) => [m.id, m.lane, m.request.type])).toEqual([
      [1, 'topk', 'topk'],
      [2, 'other', 'status'],
    ]);
    worker.reply({ id: 2, ok: true, result: { wasm: true } });
    worker.reply({ id: 1, ok: true, result: { entries: [] } });
    await expect(b).resolves.toEqual({ wasm: true });
    await expect(a).resolves.toEqual({ entries: [] });
  });

  it('rejects with the worker error, or with SupersededError for a replaced request', async () => {
    const worker = new FakeWorker();
    const client = new InferenceClient(worker);
    const failed = client.request('s', { type: 'load', model: 'nope' });
    const replaced = client.request('s', { type: 'load', model: 'sst2' });
    worker.reply({ id: 1, ok: false, superseded: false, error: 'could not load /models/nope/model.safetensors: HTTP 404' });
    worker.reply({ id: 2, ok: false, superseded: true, error: 'superseded' });
    await expect(failed).rejects.toThrow('HTTP 404');
    const e = await replaced.catch((x: unknown) => x);
    expect(isSuperseded(e)).toBe(true);
    expect(isSuperseded(new Error('x'))).toBe(false);
  });

  it('fails every pending request when the worker crashes, and terminates on dispose', async () => {
    const worker = new FakeWorker();
    const client = new InferenceClient(worker);
    const pending = client.request('s', { type: 'status' });
    worker.onerror?.({ message: 'SyntaxError in worker' } as ErrorEvent);
    await expect(pending).rejects.toThrow('the inference worker failed: SyntaxError in worker');
    client.dispose();
    expect(worker.terminated).toBe(true);
  });
});
