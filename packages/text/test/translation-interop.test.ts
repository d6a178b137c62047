import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { crossEntropy, Generator, noGrad, Seq2Seq } from '@recurrent/core';
import { loadSafetensorsFile } from '@recurrent/core/node';
import { Translator, type TranslatorArchitecture } from '../src/index.js';
import { fixtureTokenizer } from './translation-fixture-tokenizer.js';

// Fixtures: scripts/make-translator-fixtures.ts (our random weights) + scripts/make_translator_fixtures.py (PyTorch's
// random weights, and PyTorch's float64 outputs for both weight files, computed with scripts/translator_pytorch.py).
const dir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'translation');
const configs = JSON.parse(readFileSync(join(dir, 'configs.json'), 'utf8')) as Record<string, TranslatorArchitecture>;

interface Reference {
  inputs: { src: number[][]; tgtIn: number[][]; targets: number[][] };
  torch: Outputs;
  ours: Outputs;
}
interface Outputs {
  logits: { shape: number[]; data: number[] };
  attention: { shape: number[]; data: number[] };
  loss: number;
  grads?: Record<string, { shape: number[]; data: number[] }>;
  greedy: number[][];
}

function maxAbsDiff(a: ArrayLike<number>, b: readonly number[]): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < b.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('Translator ↔ PyTorch (scripts/translator_pytorch.py)', () => {
  for (const [name, arch] of Object.entries(configs)) {
    const ref = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as Reference;
    for (const side of ['torch', 'ours'] as const) {
      const who = side === 'torch' ? 'PyTorch load here' : 'us load in PyTorch';
      it(`${name}: weights saved by ${who}; logits, attention, loss, gradients and greedy output agree`, () => {
        const tokenizer = fixtureTokenizer(arch.vocabSize);
        const model = new Translator(tokenizer, arch, { dtype: 'float64' });
        const { tensors } = loadSafetensorsFile(join(dir, `${name}.${side}.safetensors`));
        expect(Object.keys(tensors).sort()).toEqual(Object.keys(model.stateDict()).sort());
        model.loadStateDict(tensors);
        model.eval();
        const expected = ref[side];
        const { logits, attention } = noGrad(() => model.forward(ref.inputs.src, ref.inputs.tgtIn));
        expect(logits.shape).toEqual(expected.logits.shape);
        expect(maxAbsDiff(logits.data, expected.logits.data)).toBeLessThan(1e-9);
        expect(attention.shape).toEqual(expected.attention.shape);
        expect(maxAbsDiff(attention.data, expected.attention.data)).toBeLessThan(1e-9);
        // Backward: the mean cross-entropy against the fixture's targets (0 = padding), gradients of every parameter.
        const { logits: withGrad } = model.forward(ref.inputs.src, ref.inputs.tgtIn);
        const V = arch.vocabSize;
        const loss = crossEntropy(withGrad.reshape([-1, V]), ref.inputs.targets.flat(), { ignoreIndex: 0 });
        expect(Math.abs(loss.item() - expected.loss)).toBeLessThan(1e-9);
        if (expected.grads) {
          loss.backward();
          const params = Object.fromEntries(model.namedParameters());
          expect(Object.keys(expected.grads).sort()).toEqual(Object.keys(params).sort());
          for (const [key, g] of Object.entries(expected.grads)) {
            const grad = params[key]?.grad;
            if (!grad) throw new Error(`no gradient for ${key}`);
            expect(grad.shape).toEqual(g.shape);
            expect(maxAbsDiff(grad.data, g.data), key).toBeLessThan(1e-9);
          }
        }
        const texts = ref.inputs.src.map((ids) => tokenizer.decode(ids));
        const greedy = model.translateBatch(texts, { method: 'greedy', noRepeatNgram: 0, copyNumbers: false });
        expect(greedy.map((r) => r.ids)).toEqual(expected.greedy);
      });
    }
  }
});

describe("Translator ↔ core's Seq2Seq", () => {
  it('an untied Translator has the same parameter names and outputs as core Seq2Seq with the same weights', () => {
    const V = 30;
    const arch = {
      embeddingDim: 8,
      encoderHidden: 6,
      decoderHidden: 10,
      attentionSize: 7,
      dropout: 0,
      decoderStyle: 'luong' as const,
    };
    const model = new Translator(fixtureTokenizer(V), arch, { dtype: 'float64' });
    const core = new Seq2Seq({
      srcVocab: V,
      tgtVocab: V,
      embDim: 8,
      encoderHidden: 6,
      decoderHidden: 10,
      attentionDim: 7,
      cell: 'gru',
      attention: 'additive',
      padIdx: 0,
      bosIdx: 2,
      eosIdx: 3,
      dtype: 'float64',
      generator: new Generator(4),
    });
    expect(Object.keys(model.stateDict()).sort()).toEqual(Object.keys(core.stateDict()).sort());
    model.loadStateDict(core.stateDict());
    model.eval();
    core.eval();
    const src = [
      [5, 6, 7, 8],
      [9, 10, 0, 0],
    ];
    const tgtIn = [
      [2, 11, 12],
      [2, 13, 14],
    ];
    const ours = noGrad(() => model.forward([src[0]!, src[1]!.slice(0, 2)], tgtIn).logits);
    const theirs = noGrad(() => core.forward(src, [4, 2], tgtIn));
    expect(maxAbsDiff(ours.data, Array.from(theirs.data))).toBeLessThan(1e-12);
  });
});
