// The music workloads' shapes and data: W5 trains on 128-frame windows of the JSB chorales' training pieces, the
// generation row samples from the shipped models.
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { concatRolls, rollBatch, sliceRoll, type PianoRoll, type RollBatch } from '@recurrent/music';
import { readPianoRollDataset } from '@recurrent/music/node';
import type { Rng } from './data.js';
import { W5 } from './music-shapes.js';

/** The shipped model directories of @recurrent/music (`models/jsb`, `models/jsb-nade`). */
export function shippedMusicModelDir(name: 'jsb' | 'jsb-nade'): string {
  const packageJson = createRequire(import.meta.url).resolve('@recurrent/music/package.json');
  return join(dirname(packageJson), 'models', name);
}

/**
 * W5 batches: the JSB training pieces laid end to end (13,807 frames), cut into `batch` random windows of `frames`
 * frames each (every window full length, so no padding). Deterministic for a given Rng.
 */
export class JsbWindows {
  private readonly roll: PianoRoll;

  constructor() {
    this.roll = concatRolls(readPianoRollDataset('jsb').train);
  }

  /** The next batch: `rollBatch` of the windows (inputs shifted by one frame, a silent frame first). */
  next(rng: Rng, batch: number = W5.batch, frames: number = W5.frames): RollBatch {
    const windows = Array.from({ length: batch }, () => {
      const start = rng.int(this.roll.frames - frames + 1);
      return sliceRoll(this.roll, start, start + frames);
    });
    return rollBatch(windows);
  }
}
