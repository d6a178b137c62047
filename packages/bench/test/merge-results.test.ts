import { describe, expect, it } from 'vitest';
import { mergeResults } from '../src/merge-results.js';
import { resultsMarkdown, type ResultsFile, type Row } from '../src/results-table.js';

const meta = (date: string, command: string) => ({
  date,
  command,
  seconds: 10,
  node: 'v20',
  cpu: 'cpu × 2',
  loadAverageBefore: [1, 1, 1],
  loadAverageAfter: [2, 2, 2],
});
const row = (workload: string, impl: string, median: number): Row => ({
  workload,
  title: `${workload} title`,
  impl,
  median,
  unit: 'ms',
  values: [median],
});

describe('--merge (mergeResults)', () => {
  const full: ResultsFile = {
    meta: meta('2026-11-29', 'pnpm bench'),
    rows: [row('W1', 'ours', 1), row('W1', 'peer', 2), row('W3', 'ours', 10), row('W3', 'old peer', 50)],
    ratios: [
      { workload: 'W1', ours: 'ours', peer: 'peer', ratio: 2 },
      { workload: 'W3', ours: 'ours', peer: 'old peer', ratio: 5 },
    ],
  };
  full.rows.push(row('MEM', 'ours', 100));
  const run: ResultsFile = {
    meta: meta('2026-12-07', 'pnpm bench --only W3,W7 --merge'),
    rows: [row('W3', 'ours', 8), row('W3', 'peer', 40), row('W7a', 'ours', 20), row('W7a', 'peer', 30)],
    ratios: [
      { workload: 'W3', ours: 'ours', peer: 'peer', ratio: 5 },
      { workload: 'W7a', ours: 'ours', peer: 'peer', ratio: 1.5 },
    ],
  };
  const order = ['W1', 'W2', 'W3', 'W4a', 'W7a'];

  it("replaces the run's workloads, keeps the others, orders rows as the registry with MEM last", () => {
    const m = mergeResults(full, run, order);
    expect(m.rows.map((r) => `${r.workload}/${r.impl}/${r.median}`)).toEqual([
      'W1/ours/1',
      'W1/peer/2',
      'W3/ours/8',
      'W3/peer/40',
      'W7a/ours/20',
      'W7a/peer/30',
      'MEM/ours/100',
    ]);
    expect(m.ratios.map((r) => `${r.workload}/${r.peer}/${r.ratio}`)).toEqual([
      'W1/peer/2',
      'W3/peer/5',
      'W7a/peer/1.5',
    ]);
    expect(m.meta.date).toBe('2026-11-29');
    expect(m.meta.merged).toEqual([{ ...run.meta, workloads: ['W3', 'W7a'] }]);
  });

  it('a later merge of some of the same workloads takes them over from the earlier one', () => {
    const once = mergeResults(full, run, order);
    const again = mergeResults(
      once,
      { meta: meta('2026-12-08', 'pnpm bench --only W3 --merge'), rows: [row('W3', 'ours', 7)], ratios: [] },
      order,
    );
    expect(again.meta.merged?.map((m) => `${m.date}:${m.workloads.join('+')}`)).toEqual([
      '2026-12-07:W7a',
      '2026-12-08:W3',
    ]);
    expect(again.rows.filter((r) => r.workload === 'W3').map((r) => r.median)).toEqual([7]);
  });

  it('the markdown names the complete run and every merged run with its load', () => {
    const md = resultsMarkdown(mergeResults(full, run, order), 'ours (2 threads)');
    expect(md).toContain('`pnpm bench` — 2026-11-29');
    expect(md).toContain('- W3, W7a: `pnpm bench --only W3,W7 --merge` — 2026-12-07');
    expect(md).toContain('load average before 1 / 1 / 1, after 2 / 2 / 2');
    expect(md).toContain('| W7a W7a title | peer | 30.0 | ms |  | 1.50× |  |  |');
  });
});
