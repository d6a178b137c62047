// The fast kill-and-resume check (pnpm kill-resume runs every training task with 20 kills): the jsb task's CLI
// SIGKILLed twice and resumed must end with the uninterrupted run's model files and metrics, every file parsing
// after each kill; and the comparison itself notices a changed weight.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeSafetensors } from '@recurrent/core';
import {
  compareRunDirs,
  KILL_RESUME_TASKS,
  killAndResume,
  REPOSITORY_ROOT,
  runFileChecker,
  VOLATILE_KEYS,
} from '@recurrent/test-support';

describe('kill and resume (recurrent-music train jsb)', () => {
  it('2 SIGKILLs at seeded moments, resumed: the same model.safetensors and metrics as without kills', async () => {
    const task = KILL_RESUME_TASKS.find((t) => t.name === 'music/jsb');
    if (!task) throw new Error('music/jsb is not among the kill-resume tasks');
    const root = mkdtempSync(join(tmpdir(), 'recurrent-kill-resume-test-'));
    const report = await killAndResume(task, {
      kills: 2,
      seed: 3,
      root,
      cwd: REPOSITORY_ROOT,
      checkFile: runFileChecker(decodeSafetensors),
    });
    expect(report.problems).toEqual([]);
    expect(report.kills).toBeGreaterThanOrEqual(1);
    expect(report.identical).toBe(true);
    // The comparison is not blind: one changed byte of the weights is reported.
    const weights = join(root, 'music-jsb-killed', 'model.safetensors');
    const bytes = readFileSync(weights);
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
    writeFileSync(weights, bytes);
    expect(
      compareRunDirs(join(root, 'music-jsb-uninterrupted'), join(root, 'music-jsb-killed'), VOLATILE_KEYS),
    ).toEqual([expect.stringContaining('model.safetensors differs')]);
  }, 300_000);
});
