import { describe, expect, it } from 'vitest';
import { describeMusicModel } from '../../lib/model-card';
import { readModelJson } from './helpers';

describe('model cards come from config.json and metrics.json', () => {
  for (const name of ['jsb', 'jsb-nade', 'nottingham', 'abc']) {
    it(`${name}: every figure is the one its files record`, () => {
      const config = readModelJson(name, 'config.json');
      const metrics = readModelJson(name, 'metrics.json');
      const entry = describeMusicModel(name, config, metrics);
      if ('skip' in entry) throw new Error(entry.skip);
      const test = metrics.test as Record<string, number>;
      const folk = name === 'abc';
      expect(entry.family).toBe(folk ? 'folk' : 'roll');
      expect(entry.card.unit).toBe(folk ? 'nats/char' : 'nats/frame');
      expect(entry.card.testNll).toBe(folk ? test.nats_per_char : test.nll_per_frame);
      expect(entry.card.validNll).toBe((metrics.valid as Record<string, number>).nll);
      expect(entry.card.parameters).toBe(metrics.parameters);
      expect(entry.card.minutes).toBeCloseTo((metrics.seconds as number) / 60, 10);
      expect(entry.card.command).toBe(metrics.command);
      expect(entry.card.bestEpoch).toBe((config.training as Record<string, number>).bestEpoch);
      expect(entry.metric).toBe(`test ${entry.card.testNll?.toFixed(folk ? 3 : 2)} ${entry.card.unit}`);
      if (folk) {
        expect(entry.card.playable.map((p) => p.temperature)).toEqual([0.8, 1]);
        expect(entry.card.playable[1]?.share).toBe(test.playable_share);
        expect(entry.card.architecture).toBe('embedding 64, LSTM-384, 83 characters');
      } else {
        expect(entry.dataset).toBe(name === 'nottingham' ? 'nottingham' : 'jsb');
        expect(entry.stepsPerQuarter).toBe(config.stepsPerQuarter);
        const arch = config.architecture as { hiddenSize: number; nadeHiddenSize?: number };
        expect(entry.card.architecture).toBe(
          name === 'jsb-nade'
            ? `LSTM-${arch.hiddenSize} + NADE-${arch.nadeHiddenSize}`
            : `LSTM-${arch.hiddenSize}, 88 sigmoids`,
        );
      }
    });
  }

  it('a folder without metrics says "not recorded"; another kind is skipped with the reason', () => {
    const entry = describeMusicModel('mine', { kind: 'piano-roll-rnn', stepsPerQuarter: 2, architecture: {} }, {});
    if ('skip' in entry) throw new Error(entry.skip);
    expect(entry.card.testNll).toBeNull();
    expect(entry.metric).toBe('');
    expect(entry.title).toBe('mine');
    const other = describeMusicModel('sst2', { kind: 'sentiment' }, {});
    expect(other).toEqual({ skip: 'config.json kind "sentiment" is not a piano-roll model or the folk model' });
    const textLm = describeMusicModel(
      'charlm',
      { kind: 'language-model', training: { config: { task: 'charlm' } } },
      {},
    );
    expect('skip' in textLm).toBe(true);
  });
});
