import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUNDLE_FILES } from '../models/bundle.js';
import { readModelMetrics } from '../models/model-files.js';

/** Merge `patch` into the model's metrics.json (atomically). */
export function updateMetrics(dir: string, patch: Record<string, unknown>): void {
  const path = join(dir, BUNDLE_FILES.metrics);
  const next = { ...readModelMetrics(dir), ...patch };
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(next, null, 2)}\n`);
  renameSync(tmp, path);
}
