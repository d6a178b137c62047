// The bench's result records and how they are written as markdown (bench-results*.md).

export interface Row {
  workload: string;
  title: string;
  impl: string;
  median: number | null;
  unit: string;
  values: number[];
  error?: string;
  /** What the implementation said about its setup (weights used, checks made). */
  notes?: string[];
  /**
   * The median on CPU time: each repetition's value with its wall time replaced by the CPU time its process used
   * (what it costs on an idle core; a threaded process counts every thread's time). Absent in older results.
   */
  cpuMedian?: number | null;
  cpuValues?: number[];
}

export interface Ratio {
  workload: string;
  ours: string;
  peer: string;
  /** How many times better ours is: ours/peer for rates, peer/ours for times and memory. */
  ratio: number;
  /** The same from the CPU-time medians. */
  cpuRatio?: number;
}

export interface RunMeta {
  date: string;
  command: string;
  seconds: number;
  node: string;
  cpu: string;
  loadAverageBefore: number[];
  loadAverageAfter: number[];
}

/** A results file: the run that wrote it, and the later subset runs merged into it (`--merge`), each with its rows. */
export interface ResultsFile {
  meta: RunMeta & { merged?: (RunMeta & { workloads: string[] })[] };
  rows: Row[];
  ratios: Ratio[];
}

export const fmt = (x: number | null): string =>
  x === null
    ? 'n/a'
    : x >= 100
      ? Math.round(x).toLocaleString('en-US')
      : x >= 10
        ? x.toFixed(1)
        : x.toFixed(x >= 1 ? 2 : 3);

/** The results table, then the implementations' notes. `threaded` names the second ratio column's implementation. */
export function markdownTable(rows: readonly Row[], ratios: readonly Ratio[], threaded: string): string {
  const lines = [
    `| workload | implementation | median | unit | CPU-time median | ours × | ours × (CPU time) | ${threaded} × |`,
    '| --- | --- | ---: | --- | ---: | ---: | ---: | ---: |',
  ];
  const cell = (r: Row, ours: string, key: 'ratio' | 'cpuRatio' = 'ratio'): string => {
    const ratio = ratios.find((x) => x.workload === r.workload && x.peer === r.impl && x.ours === ours)?.[key];
    return ratio === undefined ? '' : `${ratio.toFixed(2)}×`;
  };
  for (const r of rows) {
    const label = r.workload === 'MEM' ? 'MEM W1 peak RSS' : `${r.workload} ${r.title}`;
    lines.push(
      `| ${label} | ${r.impl} | ${fmt(r.median)}${r.error ? ` (${r.error.split('\n')[0]!.slice(0, 80)})` : ''} | ` +
        `${r.unit} | ${r.cpuMedian == null ? '' : fmt(r.cpuMedian)} | ${cell(r, 'ours')} | ` +
        `${cell(r, 'ours', 'cpuRatio')} | ${cell(r, threaded)} |`,
    );
  }
  const notes = rows.flatMap((r) => (r.notes ?? []).map((n) => `- ${r.workload} ${r.impl}: ${n}`));
  return lines.join('\n') + (notes.length > 0 ? `\n\nNotes:\n\n${notes.join('\n')}` : '');
}

const runLine = (m: RunMeta): string =>
  `\`${m.command}\` — ${m.date}, ${m.cpu}, Node ${m.node}, ${m.seconds.toFixed(0)} s, load average before ` +
  `${m.loadAverageBefore.join(' / ')}, after ${m.loadAverageAfter.join(' / ')}`;

/** The whole bench-results*.md document. */
export function resultsMarkdown(file: ResultsFile, threaded: string): string {
  const merged = (file.meta.merged ?? []).map((m) => `\n- ${m.workloads.join(', ')}: ${runLine(m)}`).join('');
  return (
    `# Benchmark results\n\n${runLine(file.meta)}.\n` +
    (merged ? `\nRows measured later and merged in (\`--merge\`):\n${merged}\n` : '') +
    `\n${markdownTable(file.rows, file.ratios, threaded)}\n\n"ours ×": ` +
    `how many times better @recurrent/core (one thread) is than that implementation (ours/peer for rates; ` +
    `peer/ours for times and memory); "${threaded} ×": the same for @recurrent/core after ` +
    `\`initWasmThreads({ threads: 2 })\`. "CPU-time median": each repetition's figure with its wall time replaced by ` +
    `the CPU time of its process (what it costs on an idle core; a two-thread process counts both threads), and ` +
    `"ours × (CPU time)" the ratio of those medians — the comparison that survives a loaded machine.\n`
  );
}
