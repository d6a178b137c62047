import { describe, expect, it } from 'vitest';
import { bceWithLogits, Generator, gradcheck, noGrad, randn, reshape, Tensor } from '@recurrent/core';
import { nadeLogits, rollBatch, rollFromPitchLists, RnnNade } from '../src/index.js';

const f64 = (shape: number[], seed: number, scale = 1): Tensor => {
  const t = randn(shape, { dtype: 'float64', generator: new Generator(seed) });
  for (let i = 0; i < t.size; i++) t.data[i]! *= scale;
  return t;
};

/** −log p(v) of one row by the NADE definition, unit by unit (no tricks). */
function naiveNll(
  bv: ArrayLike<number>,
  bh: ArrayLike<number>,
  W: ArrayLike<number>,
  V: ArrayLike<number>,
  v: number[],
  H: number,
): number {
  const D = v.length;
  const a = Float64Array.from(bh);
  let nll = 0;
  for (let i = 0; i < D; i++) {
    let logit = bv[i]!;
    for (let j = 0; j < H; j++) logit += V[i * H + j]! / (1 + Math.exp(-a[j]!));
    const p = 1 / (1 + Math.exp(-logit));
    nll -= v[i] ? Math.log(p) : Math.log(1 - p);
    if (v[i]) for (let j = 0; j < H; j++) a[j]! += W[j * D + i]!;
  }
  return nll;
}

describe('NADE', () => {
  const D = 5;
  const H = 3;
  const W = f64([H, D], 1);
  const V = f64([D, H], 2);

  it('is normalised: the 2^5 configurations of a row sum to probability 1, and match the definition', () => {
    const bv = f64([1, D], 3);
    const bh = f64([1, H], 4);
    let total = 0;
    for (let c = 0; c < 1 << D; c++) {
      const v = Array.from({ length: D }, (_, i) => (c >> i) & 1);
      const target = new Tensor(Float64Array.from(v), [1, D]);
      const nll = noGrad(() => bceWithLogits(nadeLogits(bv, bh, W, V, v), target, { reduction: 'sum' }).data[0]!);
      expect(nll).toBeCloseTo(naiveNll(bv.data, bh.data, W.data, V.data, v, H), 12);
      total += Math.exp(-nll);
    }
    expect(total).toBeCloseTo(1, 12);
  });

  it('float64 gradcheck of the logits with respect to both biases and both weight matrices', () => {
    const N = 4;
    const visible = [1, 0, 1, 1, 0, /**/ 0, 0, 0, 0, 0, /**/ 1, 1, 1, 1, 1, /**/ 0, 1, 0, 0, 1];
    const inputs = [f64([N, D], 5), f64([N, H], 6), f64([H, D], 7), f64([D, H], 8)];
    for (const t of inputs) t.requiresGrad = true;
    const result = gradcheck((bv, bh, w, v) => nadeLogits(bv!, bh!, w!, v!, visible), inputs);
    expect(result.ok, JSON.stringify(result.worst)).toBe(true);
  });
});

describe('RnnNade', () => {
  it('float64 gradcheck of the exact NLL of a batch with respect to every parameter (tiny instance)', () => {
    const model = new RnnNade({ hiddenSize: 3, nadeHiddenSize: 2, dtype: 'float64', seed: 1 });
    const batch = rollBatch([rollFromPitchLists([[60, 64], [62], []]), rollFromPitchLists([[21, 108]])], {
      dtype: 'float64',
    });
    const params = model.parameters();
    const result = gradcheck(() => model.negLogLikelihood(batch), params);
    expect(result.ok, JSON.stringify(result.worst)).toBe(true);
    expect(Object.keys(model.stateDict())).toEqual([
      'rnn.weight_ih_l0',
      'rnn.weight_hh_l0',
      'rnn.bias_ih_l0',
      'rnn.bias_hh_l0',
      'visible_bias.weight',
      'visible_bias.bias',
      'hidden_bias.weight',
      'hidden_bias.bias',
      'nade.weight_in',
      'nade.weight_out',
    ]);
  });

  it('ancestral sampling draws from the same conditionals the likelihood uses', () => {
    const model = new RnnNade({ hiddenSize: 8, nadeHiddenSize: 6, dtype: 'float64', seed: 2 });
    // larger visible biases so that some keys are on
    for (let i = 0; i < model.visibleBias.bias!.size; i++) model.visibleBias.bias!.data[i] = (i % 7) - 4;
    const draw = { temperature: 1, generator: new Generator(5), probabilities: new Float64Array(88) };
    const input = new Tensor(new Float64Array(88), [1, 1, 88]);
    const { frame } = noGrad(() => model.sampleStep(input, undefined, draw));
    expect(frame.reduce((s, v) => s + v, 0)).toBeGreaterThan(0);
    const u = noGrad(() => reshape(model.context(input).output, [1, 8]));
    const logits = noGrad(() =>
      nadeLogits(
        model.visibleBias.forward(u),
        model.hiddenBias.forward(u),
        model.nade.weightIn,
        model.nade.weightOut,
        frame,
      ),
    );
    for (let k = 0; k < 88; k++) expect(draw.probabilities[k]).toBeCloseTo(1 / (1 + Math.exp(-logits.data[k]!)), 12);
  });
});
