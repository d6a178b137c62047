import { join } from 'node:path';
import { writeFileAtomic } from '@recurrent/core/node';
import { BUNDLE_FILES } from '../models/bundle.js';
import { readModelMetrics } from '../models/model-files.js';

/** Merge `patch` into the model's metrics.json (atomically; a failure names metrics.json, not a temporary file). */
export function updateMetrics(dir: string, patch: Record<string, unknown>): void {
  const path = join(dir, BUNDLE_FILES.metrics);
  const next = { ...readModelMetrics(dir), ...patch };
  writeFileAtomic(path, `${JSON.stringify(next, null, 2)}\n`);
}
