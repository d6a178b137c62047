import { describe, expect, it } from 'vitest';
import { noGrad, Tensor } from '@recurrent/core';
import { nllPerFrame, PianoRollRNN, rollFromPitchLists, rollBatch, RnnNade } from '../src/index.js';

/** A PianoRollRNN whose every weight is 0 and whose head bias is `bias`: p(key on) = σ(bias) in every frame. */
function constantModel(bias: number): PianoRollRNN {
  const model = new PianoRollRNN({ hiddenSize: 4, dtype: 'float64' });
  for (const p of model.parameters()) p.data.fill(0);
  model.head.bias!.data.fill(bias);
  return model;
}

describe('nllPerFrame follows the jsb_lstm_200 convention', () => {
  it('hand-computed: nats, sum over the 88 keys, mean over all frames of all pieces', () => {
    // σ(−ln 3) = 1/4: a sounding key costs ln 4 = 1.3862943611 nats, a silent one ln(4/3) = 0.2876820725 nats.
    const model = constantModel(-Math.log(3));
    const a = rollFromPitchLists([[60], [60, 64], []]); // 1, 2, 0 keys on
    const b = rollFromPitchLists([[48, 52, 55, 60]]); // 4 keys on
    const frame = (on: number) => on * 1.3862943611 + (88 - on) * 0.2876820725;
    const total = frame(1) + frame(2) + frame(0) + frame(4);
    const result = nllPerFrame(model, [a, b]);
    expect(result.frames).toBe(4);
    expect(result.nats).toBeCloseTo(total, 5);
    // (7 keys on × 1.3862943611 + 345 off × 0.2876820725) / 4 frames = 27.2385939; the mean of the two pieces'
    // means would be ((frame(1) + frame(2) + frame(0)) / 3 + frame(4)) / 2 = 28.0626
    expect(result.nllPerFrame).toBeCloseTo(27.2385939, 6);
    expect(nllPerFrame(model, [a, b], { batchSize: 1 }).nats).toBeCloseTo(result.nats, 9);
  });

  it('frame 0 is predicted from a zero frame and counted; frame t from frames 0..t−1', () => {
    const model = new PianoRollRNN({ hiddenSize: 5, dtype: 'float64', seed: 3 });
    const roll = rollFromPitchLists([[60, 64], [62], [], [67, 71, 74]]);
    const inputs = new Float64Array(4 * 88); // [zero, frame 0, frame 1, frame 2]
    inputs.set(roll.keys.subarray(0, 3 * 88), 88);
    const logits = noGrad(() => model.forward(new Tensor(inputs, [1, 4, 88])).logits.data);
    let nats = 0;
    for (let i = 0; i < 4 * 88; i++) {
      const p = 1 / (1 + Math.exp(-logits[i]!));
      nats -= roll.keys[i] ? Math.log(p) : Math.log(1 - p);
    }
    const result = nllPerFrame(model, [roll]);
    expect(result.frames).toBe(4);
    expect(result.nllPerFrame).toBeCloseTo(nats / 4, 9);
  });

  it('padding never counts: a batch of unequal rolls scores each like alone', () => {
    for (const model of [
      new PianoRollRNN({ hiddenSize: 6, dtype: 'float64' }),
      new RnnNade({ hiddenSize: 6, nadeHiddenSize: 5, dtype: 'float64' }),
    ]) {
      const rolls = [
        rollFromPitchLists([[60], [62, 65], [64], [], [60, 67]]),
        rollFromPitchLists([[40, 52]]),
        rollFromPitchLists([[70], [72]]),
      ];
      const together = noGrad(() => model.negLogLikelihood(rollBatch(rolls, { dtype: 'float64' })).data[0]!);
      const alone = rolls.reduce(
        (s, r) => s + noGrad(() => model.negLogLikelihood(rollBatch([r], { dtype: 'float64' })).data[0]!),
        0,
      );
      expect(together).toBeCloseTo(alone, 9);
      expect(nllPerFrame(model, rolls).frames).toBe(8);
    }
  });

  it("the 200-hidden LSTM has the anchor model's 249,688 parameters", () => {
    const model = new PianoRollRNN();
    expect(model.parameters().reduce((n, p) => n + p.size, 0)).toBe(249_688);
    expect(Object.keys(model.stateDict())).toEqual([
      'rnn.weight_ih_l0',
      'rnn.weight_hh_l0',
      'rnn.bias_ih_l0',
      'rnn.bias_hh_l0',
      'head.weight',
      'head.bias',
    ]);
  });
});
