import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { Module } from '../src/nn/module.js';
import { Embedding } from '../src/nn/embedding.js';
import { Linear } from '../src/nn/linear.js';
import { LSTM } from '../src/nn/lstm.js';
import type { RecurrentState } from '../src/nn/recurrent-state.js';
import { noGrad } from '../src/autograd/grad-mode.js';
import { findReferenceDir } from '../src/io/paths.js';
import { loadSafetensorsFile, saveSafetensorsFile } from '../src/io/safetensors-file.js';
import { decodeSafetensors } from '../src/io/safetensors.js';
import type { Tensor } from '../src/tensor/tensor.js';

/** The model of charlstm_seed0: Embedding(65,16) → LSTM(16,32,2 layers, batch_first) → Linear(32,65). */
class CharLSTM extends Module {
  readonly embedding = this.registerModule('embedding', new Embedding({ numEmbeddings: 65, embeddingDim: 16 }));
  readonly lstm = this.registerModule(
    'lstm',
    new LSTM({ inputSize: 16, hiddenSize: 32, numLayers: 2, batchFirst: true }),
  );
  readonly head = this.registerModule('head', new Linear({ inFeatures: 32, outFeatures: 65 }));

  forward(
    ids: number[],
    batch: number,
    steps: number,
    state?: RecurrentState,
  ): { logits: Tensor; state: RecurrentState } {
    const { output, state: next } = this.lstm.forward(this.embedding.forward(ids, [batch, steps]), { state });
    return { logits: this.head.forward(output), state: next };
  }
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

function argmaxLast(logits: Tensor): number {
  const V = logits.shape[logits.ndim - 1]!;
  const row = logits.data.subarray(logits.size - V);
  let best = 0;
  for (let i = 1; i < V; i++) if (row[i]! > row[best]!) best = i;
  return best;
}

const ref = findReferenceDir();

describe.skipIf(!ref)('PyTorch checkpoint interop (charlstm_seed0)', () => {
  const file = join(ref ?? '', 'interop', 'charlstm_seed0.safetensors');
  const expected = ref ? JSON.parse(readFileSync(join(ref, 'interop', 'charlstm_seed0.json'), 'utf8')) : null;

  it('reproduces PyTorch logits, states and the greedy continuation', () => {
    const model = new CharLSTM();
    model.loadStateDict(loadSafetensorsFile(file).tensors);
    const tokens: number[][] = expected.tokens;
    const B = tokens.length;
    const T = tokens[0]!.length;
    noGrad(() => {
      const { logits, state } = model.forward(tokens.flat(), B, T);
      expect(logits.shape).toEqual(expected.logits.shape);
      // Both sides are float32; the JSON's tolerance of 1e-5 is absolute (ours differs by ~3e-8).
      expect(maxAbsDiff(logits.data, expected.logits.data)).toBeLessThan(1e-5);
      expect(maxAbsDiff(state.h.data, expected.h_n.data)).toBeLessThan(1e-5);
      expect(maxAbsDiff(state.c!.data, expected.c_n.data)).toBeLessThan(1e-5);

      let r = model.forward(tokens[0]!, 1, T);
      const greedy: number[] = [];
      let next = argmaxLast(r.logits);
      for (let i = 0; i < expected.greedy_after_row0.length; i++) {
        greedy.push(next);
        r = model.forward([next], 1, 1, r.state);
        next = argmaxLast(r.logits);
      }
      expect(greedy).toEqual(expected.greedy_after_row0);
    });
  });

  it('writes a checkpoint that round-trips and is a valid safetensors file', () => {
    const model = new CharLSTM();
    model.loadStateDict(loadSafetensorsFile(file).tensors);
    const out = join(mkdtempSync(join(tmpdir(), 'recurrent-')), 'copy.safetensors');
    saveSafetensorsFile(out, model.stateDict(), { format: 'pt' });
    const bytes = readFileSync(out);
    const headerLength = Number(bytes.readBigUInt64LE(0));
    expect(headerLength % 8).toBe(0);
    const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8'));
    expect(header.__metadata__).toEqual({ format: 'pt' });
    expect(header['lstm.weight_ih_l0']).toMatchObject({ dtype: 'F32', shape: [128, 16] });
    const decoded = decodeSafetensors(new Uint8Array(bytes));
    const original = loadSafetensorsFile(file).tensors;
    for (const [name, t] of Object.entries(original)) {
      expect(Array.from(decoded.tensors[name]!.data)).toEqual(Array.from(t.data));
    }
    expect(Object.keys(decoded.tensors).sort()).toEqual(Object.keys(original).sort());
    expect(dirname(out)).toContain('recurrent-');
  });
});
