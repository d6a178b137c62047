import { describe, expect, it } from 'vitest';
import { FormatError, noGrad } from '@recurrent/core';
import {
  encodeRollModel,
  loadRollModelFromBytes,
  parseRollModelConfig,
  PianoRollRNN,
  rollBatch,
  rollFromPitchLists,
  RnnNade,
} from '../src/index.js';

describe('saved piano-roll models (model.safetensors + config.json)', () => {
  const roll = rollFromPitchLists([[60, 64], [62], [], [67, 71]]);
  for (const model of [
    new PianoRollRNN({ hiddenSize: 6, cell: 'gru', seed: 2 }),
    new RnnNade({ hiddenSize: 5, nadeHiddenSize: 4, seed: 3 }),
  ]) {
    it(`${model.constructor.name} loads back with the same likelihood`, () => {
      const { weights, config } = encodeRollModel(model, { stepsPerQuarter: 1, training: { command: 'test' } });
      const loaded = loadRollModelFromBytes(weights, config);
      expect(loaded.model.constructor).toBe(model.constructor);
      expect(loaded.config.stepsPerQuarter).toBe(1);
      const nll = (m: typeof model) => noGrad(() => m.negLogLikelihood(rollBatch([roll])).data[0]!);
      expect(nll(loaded.model)).toBe(nll(model));
    });
  }

  it('a bad config or weights file is a FormatError naming it and the field', () => {
    const { weights, config } = encodeRollModel(new PianoRollRNN({ hiddenSize: 6 }), { stepsPerQuarter: 1 });
    // biome-ignore lint/suspicious/noExplicitAny: the test corrupts arbitrary nested fields of a parsed config
    const edit = (f: (o: Record<string, any>) => void) => {
      const o = JSON.parse(config);
      f(o);
      return JSON.stringify(o);
    };
    expect(() => parseRollModelConfig('{', 'c.json')).toThrowError(/c\.json: not valid JSON/);
    expect(() =>
      loadRollModelFromBytes(
        weights,
        edit((o) => (o.kind = 'transformer')),
      ),
    ).toThrowError(/config\.json: kind must be/);
    expect(() =>
      loadRollModelFromBytes(
        weights,
        edit((o) => (o.architecture.hiddenSize = -3)),
      ),
    ).toThrowError(/config\.json: architecture: hiddenSize must be a positive integer, got -3/);
    expect(() =>
      loadRollModelFromBytes(
        weights,
        edit((o) => (o.architecture.hiddenSize = 7)),
      ),
    ).toThrowError(FormatError);
    expect(() =>
      loadRollModelFromBytes(
        weights,
        edit((o) => (o.architecture.hiddenSize = 7)),
      ),
    ).toThrowError(/model\.safetensors: .*expected shape/);
    expect(() => loadRollModelFromBytes(weights.subarray(0, 40), config)).toThrowError(/model\.safetensors: /);
  });
});
