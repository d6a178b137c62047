// `pnpm bench --only W3,W7 --merge`: a subset run replaces its workloads' rows in the committed results of the last
// complete run (bench-results.{md,json}) and is recorded there with its own date, command and load, so one
// workload can be re-measured without re-running (and re-measuring under other conditions) all the others.
import type { ResultsFile, RunMeta } from './results-table.js';

/**
 * `base` with every row and ratio of `run`'s workloads replaced by `run`'s (MEM belongs to W1), rows ordered by
 * `order` (workload ids; unknown ids and MEM last), and `run` listed in meta.merged — replacing an earlier merge of
 * the same workloads.
 */
export function mergeResults(base: ResultsFile, run: ResultsFile, order: readonly string[]): ResultsFile {
  const workloads = [...new Set(run.rows.map((r) => r.workload))];
  if (workloads.length === 0) throw new Error('--merge: the run has no rows');
  const replaced = new Set(workloads);
  const rank = (w: string): number => {
    if (w === 'MEM') return order.length + 1;
    const i = order.indexOf(w);
    return i < 0 ? order.length : i;
  };
  const rows = [...base.rows.filter((r) => !replaced.has(r.workload)), ...run.rows];
  const sorted = rows
    .map((r, i) => ({ r, i }))
    .sort((a, b) => rank(a.r.workload) - rank(b.r.workload) || a.i - b.i)
    .map((x) => x.r);
  const ratios = [...base.ratios.filter((r) => !replaced.has(r.workload)), ...run.ratios];
  const { merged: _ignored, ...runMeta } = run.meta;
  const entry: RunMeta & { workloads: string[] } = { ...(runMeta as RunMeta), workloads };
  const earlier = (base.meta.merged ?? [])
    .map((m) => ({ ...m, workloads: m.workloads.filter((w) => !replaced.has(w)) }))
    .filter((m) => m.workloads.length > 0);
  return { meta: { ...base.meta, merged: [...earlier, entry] }, rows: sorted, ratios };
}
