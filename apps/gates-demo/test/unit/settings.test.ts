import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, profileEvery, settingsProblems, type RaceSettings } from '../../lib/settings';

describe('race settings', () => {
  it('accepts the defaults and a copy race with clipping', () => {
    expect(settingsProblems(DEFAULT_SETTINGS)).toEqual([]);
    expect(settingsProblems({ ...DEFAULT_SETTINGS, task: 'copy', length: 200, clip: 0.5, lstmForgetBias: 1 })).toEqual(
      [],
    );
  });

  it.each<[Partial<RaceSettings>, RegExp]>([
    [{ length: 5 }, /T must be a whole number from 10 to 200 \(got 5\)/],
    [{ length: 201 }, /T must be/],
    [{ length: 50.5 }, /T must be/],
    [{ steps: Number.NaN }, /budget must be a whole number from 10 to 20000 \(got NaN\)/],
    [{ hiddenSize: 48 }, /hidden size 48 is not offered/],
    [{ batchSize: 7 }, /batch size 7 is not offered/],
    [{ lr: 0 }, /learning rate must be in \(0, 0\.1\] \(got 0\)/],
    [{ clip: 0 }, /clipping threshold must be a number from 0\.01 to 100 \(got 0\)/],
    [{ recurrentScale: 5 }, /recurrent scale must be a number from 0\.25 to 3 \(got 5\)/],
    [{ lstmForgetBias: 2 as 0 }, /forget bias must be 0 or 1 \(got 2\)/],
    [{ seed: -1 }, /seed must be a whole number from 0 to 1000000 \(got -1\)/],
    [{ task: 'sort' as 'copy' }, /unknown task "sort"/],
  ])('names the problem of %o', (patch, expected) => {
    const problems = settingsProblems({ ...DEFAULT_SETTINGS, ...patch });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(expected);
  });

  it('measures about twenty gradient profiles per run, at least 10 steps apart', () => {
    expect(profileEvery(800)).toBe(40);
    expect(profileEvery(4000)).toBe(200);
    expect(profileEvery(50)).toBe(10);
  });
});
