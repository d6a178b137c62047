import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FormatError } from '@recurrent/core';
import { readTextChecked, writeFileAtomic } from '@recurrent/core/node';

/** A model directory's metrics.json ({} when absent; FormatError naming the file when it is not JSON). */
export function readMetricsFile(dir: string): Record<string, unknown> {
  const path = join(dir, 'metrics.json');
  if (!existsSync(path)) return {};
  const text = readTextChecked(path, "the model's metrics");
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new FormatError(`${path}: not valid JSON (${(e as Error).message})`);
  }
}

/** Merge `patch` into the directory's metrics.json (atomically). */
export function updateMetricsFile(dir: string, patch: Record<string, unknown>): void {
  writeFileAtomic(join(dir, 'metrics.json'), `${JSON.stringify({ ...readMetricsFile(dir), ...patch }, null, 2)}\n`);
}
