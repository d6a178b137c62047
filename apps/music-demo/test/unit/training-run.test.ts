import { PIANO_KEYS, type PianoRoll, type PianoRollSplits } from '@recurrent/music';
import { describe, expect, it } from 'vitest';
import { SAMPLE_FRAMES, trainConfig, TrainingRun, trainSettingsProblems } from '../../lib/training-run';

/** A few seeded chorale-like pieces (three voices stepping around C major). */
function splits(): PianoRollSplits {
  let s = 11;
  const rand = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  const piece = (): PianoRoll => {
    const frames = 8 + Math.floor(rand() * 8);
    const keys = new Uint8Array(frames * PIANO_KEYS);
    for (let f = 0; f < frames; f++)
      for (const base of [48, 64, 67]) keys[f * PIANO_KEYS + base - 21 + Math.floor(rand() * 3)] = 1;
    return { frames, keys };
  };
  return { train: Array.from({ length: 12 }, piece), valid: Array.from({ length: 3 }, piece), test: [] };
}

describe('a Train-it-here run (the worker side, without the worker)', () => {
  it('trains in chunks, streams every loss and validation once, and samples each new best model', () => {
    const run = new TrainingRun(7, { hiddenSize: 8, epochs: 3, lr: 0.02, seed: 3 }, splits());
    expect(run.parameters).toBe(4 * 8 * (88 + 8) + 8 * 8 + 8 * 88 + 88);
    const have = { losses: 0, validations: 0, samples: 0 };
    const all: number[] = [];
    for (let i = 0; i < 50 && !run.finished; i++) {
      run.advance(1);
      const u = run.updateSince(have);
      expect(u.firstLoss).toBe(have.losses);
      all.push(...u.losses);
      have.losses += u.losses.length;
      have.validations += u.validations.length;
      have.samples += u.samples.length;
    }
    expect(run.finished).toBe(true);
    const end = run.updateSince({ losses: 0, validations: 0, samples: 0 });
    expect(end.finished).toBe(true);
    expect(end.losses).toEqual(all);
    expect(end.losses.length).toBe(end.step);
    expect(end.step).toBe(end.totalSteps);
    expect(end.validations.map((v) => v.epoch)).toEqual([1, 2, 3]);
    expect(end.samples.length).toBeGreaterThanOrEqual(1);
    for (const sample of end.samples) {
      expect(sample.roll.frames).toBe(SAMPLE_FRAMES);
      expect(end.validations.find((v) => v.epoch === sample.epoch)?.nll).toBe(sample.validNll);
    }
    expect(have).toEqual({ losses: end.losses.length, validations: 3, samples: end.samples.length });
  });

  it('settings out of range are refused, each named', () => {
    const bad = { hiddenSize: 4, epochs: 0, lr: 1, seed: -1 };
    expect(trainSettingsProblems(bad)).toEqual([
      'hidden size must be a whole number in 8..256, got 4',
      'epochs must be a whole number in 1..200, got 0',
      'learning rate must be in (0, 0.05], got 1',
      'seed must be a whole number ≥ 0, got -1',
    ]);
    expect(() => new TrainingRun(1, bad, splits())).toThrow(/bad training settings: hidden size/);
    const c = trainConfig({ hiddenSize: 64, epochs: 5, lr: 0.01, seed: 2 });
    expect(c).toMatchObject({ task: 'jsb', dataset: 'jsb', epochs: 5, lr: 0.01, seed: 2, batchSize: 8, clip: 1 });
    expect(c.architecture).toEqual({ hiddenSize: 64, numLayers: 1, cell: 'lstm', dropout: 0 });
  });
});
