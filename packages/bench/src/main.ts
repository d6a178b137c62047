// `pnpm bench [--quick] [--only W1,W4a [--merge]] [--impls 'ours,tfjs-wasm']`: runs every workload for
// @recurrent/core and the peers, each implementation in its own child process, repetitions interleaved after warm-up;
// prints medians and speed-ups and writes them next to this package: bench-results.{md,json} for the complete run
// only, quick and subset runs to git-ignored files of their own (results-files.ts); `--merge` also replaces a
// subset's workloads in bench-results.{md,json} (merge-results.ts).
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { THREADED, WORKLOADS, type DerivedRows, type WorkloadDef } from './registry.js';
import { mergeResults } from './merge-results.js';
import { resultsBaseName } from './results-files.js';
import { fmt, markdownTable, resultsMarkdown, type Ratio, type ResultsFile, type Row } from './results-table.js';

const here = dirname(fileURLToPath(import.meta.url));
const pkgDir = join(here, '..');

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

class Child {
  private proc: ChildProcess;
  private waiting: ((m: { type: string; [k: string]: unknown }) => void) | null = null;
  private output = '';
  error: string | null = null;
  notes: string[] = [];

  constructor(
    workload: string,
    readonly impl: string,
    quick: boolean,
  ) {
    this.proc = fork(join(here, 'child.ts'), [workload, impl, quick ? 'quick' : 'full'], {
      cwd: pkgDir,
      execArgv: ['--expose-gc', '--import', 'tsx', '--conditions=@recurrent/source'],
      silent: true,
    });
    this.proc.stdout!.on('data', (d) => (this.output += d));
    this.proc.stderr!.on('data', (d) => (this.output += d));
    this.proc.on('message', (m: { type: string }) => {
      const w = this.waiting;
      this.waiting = null;
      w?.(m);
    });
    this.proc.on('exit', (code) => {
      const w = this.waiting;
      this.waiting = null;
      w?.({ type: 'error', message: `exited with code ${code}: ${this.output.slice(-800)}` });
    });
  }

  private next(send?: object): Promise<{ type: string; [k: string]: unknown }> {
    return new Promise((resolve) => {
      this.waiting = resolve;
      if (send) this.proc.send(send);
    });
  }

  async ready(): Promise<void> {
    const m = await this.next();
    if (m.type === 'error') this.error = String(m.message);
    else if (Array.isArray(m.notes)) this.notes = m.notes.map(String);
  }

  /** One repetition's value and the share of its wall time the child spent on a CPU. */
  async run(): Promise<{ value: number; cpuShare: number } | null> {
    if (this.error) return null;
    const m = await this.next({ type: 'run' });
    if (m.type === 'error') {
      this.error = String(m.message);
      return null;
    }
    return { value: m.value as number, cpuShare: m.cpuShare as number };
  }

  async peakRss(): Promise<number | null> {
    if (this.error) return null;
    const m = await this.next({ type: 'rss' });
    return m.type === 'rss' ? (m.bytes as number) : null;
  }

  close(): void {
    if (this.proc.connected) this.proc.send({ type: 'exit' });
    setTimeout(() => this.proc.kill(), 2000).unref();
  }
}

async function runWorkload(
  w: WorkloadDef,
  quick: boolean,
  rssRows: Row[],
  implFilter: Set<string> | null,
): Promise<Row[]> {
  const impls = w.impls.filter((i) => !(quick && i.full) && (!implFilter || implFilter.has(i.name)));
  const children: Child[] = [];
  for (const i of impls) {
    const c = new Child(w.id, i.name, quick);
    await c.ready();
    children.push(c);
  }
  const values = new Map<string, number[]>(impls.map((i) => [i.name, []]));
  // the same figure on CPU time (what the repetition costs on an idle core): times × share, rates ÷ share
  const cpuValues = new Map<string, number[]>(impls.map((i) => [i.name, []]));
  const reps = quick ? w.quickReps : w.reps;
  for (let r = 0; r < w.warmup + reps; r++) {
    // rotate the order every round so no implementation always runs right after the same one
    for (let k = 0; k < children.length; k++) {
      const c = children[(k + r) % children.length]!;
      const v = await c.run();
      if (v !== null && r >= w.warmup) {
        values.get(c.impl)!.push(v.value);
        cpuValues.get(c.impl)!.push(w.higherIsBetter ? v.value / v.cpuShare : v.value * v.cpuShare);
      }
    }
    process.stdout.write(`\r${w.id}: round ${r + 1}/${w.warmup + reps}${r < w.warmup ? ' (warm-up)' : ''}   `);
  }
  process.stdout.write(`\r${' '.repeat(60)}\r`);
  if (w.id === 'W1') {
    for (const c of children) {
      const bytes = await c.peakRss();
      rssRows.push({
        workload: 'MEM',
        title: 'peak RSS of the W1 process',
        impl: c.impl,
        median: bytes === null ? null : bytes / 2 ** 20,
        unit: 'MB',
        values: bytes === null ? [] : [bytes / 2 ** 20],
        ...(c.error ? { error: c.error } : {}),
      });
    }
  }
  for (const c of children) c.close();
  return children.map((c) => {
    const vs = values.get(c.impl)!;
    const cpu = cpuValues.get(c.impl)!;
    return {
      workload: w.id,
      title: w.title,
      impl: c.impl,
      median: vs.length ? median(vs) : null,
      unit: w.unit,
      values: vs,
      cpuMedian: cpu.length ? median(cpu) : null,
      cpuValues: cpu,
      ...(c.error ? { error: c.error } : {}),
      ...(c.notes.length > 0 ? { notes: c.notes } : {}),
    };
  });
}

/** A workload's derived rows: the function applied to every measured value, then the median of those. */
function derivedRows(d: DerivedRows, measured: Row[]): Row[] {
  return measured.map((x) => {
    const values = x.values.map(d.of);
    return {
      workload: d.id,
      title: d.title,
      impl: x.impl,
      median: values.length ? median(values) : null,
      unit: d.unit,
      values,
      ...(x.error ? { error: x.error } : {}),
    };
  });
}

function ratiosFor(rows: Row[], ours: string, higherIsBetter: boolean): Ratio[] {
  const o = rows.find((r) => r.impl === ours && r.median !== null);
  if (!o) return [];
  const better = (mine: number, theirs: number): number => (higherIsBetter ? mine / theirs : theirs / mine);
  return rows
    .filter((r) => r.impl !== ours && !r.impl.startsWith('ours') && r.median !== null)
    .map((r) => {
      const cpu = o.cpuMedian != null && r.cpuMedian != null ? { cpuRatio: better(o.cpuMedian, r.cpuMedian) } : {};
      return { workload: r.workload, ours, peer: r.impl, ratio: better(o.median!, r.median!), ...cpu };
    });
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const quick = argv.includes('--quick');
  const onlyArg =
    argv.find((a) => a.startsWith('--only='))?.slice(7) ??
    (argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : undefined);
  // --impls 'ours,tfjs-wasm bptt': only these implementations (for profiling one pairing)
  const implsArg =
    argv.find((a) => a.startsWith('--impls='))?.slice(8) ??
    (argv.includes('--impls') ? argv[argv.indexOf('--impls') + 1] : undefined);
  const impls = implsArg ? new Set(implsArg.split(',')) : null;
  const only = onlyArg ? new Set(onlyArg.split(',')) : null;
  // --merge: also put this subset's rows into the committed results of the last complete run (merge-results.ts)
  const merge = argv.includes('--merge');
  if (merge && (quick || !only)) throw new Error('--merge needs --only (a subset) and full repetitions (no --quick)');
  const selected = WORKLOADS.filter((w) =>
    // a family id selects its members: W4 = W4a + W4b, W7 = W7a + W7b + W7c
    only ? only.has(w.id) || only.has(w.id.replace(/[a-z]$/, '')) : !quick || w.inQuick,
  );
  const started = Date.now();
  const load0 = loadavg();
  const rows: Row[] = [];
  const rssRows: Row[] = [];
  const ratios: Ratio[] = [];
  for (const w of selected) {
    const t0 = Date.now();
    const r = await runWorkload(w, quick, rssRows, impls);
    rows.push(...r);
    ratios.push(...ratiosFor(r, w.ours, w.higherIsBetter));
    if (w.threaded) ratios.push(...ratiosFor(r, w.threaded, w.higherIsBetter));
    const derived = w.derived ? derivedRows(w.derived, r) : [];
    rows.push(...derived);
    console.log(`${w.id} ${w.title} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    for (const x of [...r, ...derived])
      console.log(
        `  ${x.impl.padEnd(20)} ${fmt(x.median).padStart(10)} ` +
          `${x.unit}${x.error ? `  ERROR: ${x.error.split('\n')[0]}` : ''}`,
      );
    for (const x of r) for (const note of x.notes ?? []) console.log(`  note: ${note}`);
  }
  if (rssRows.length) {
    rows.push(...rssRows);
    ratios.push(...ratiosFor(rssRows, 'ours', false));
  }
  const seconds = (Date.now() - started) / 1000;
  const meta = {
    date: new Date().toISOString(),
    command: `pnpm bench${quick ? ' --quick' : ''}${onlyArg ? ` --only ${onlyArg}` : ''}${
      implsArg ? ` --impls '${implsArg}'` : ''
    }${merge ? ' --merge' : ''}`,
    seconds,
    node: process.version,
    cpu: `${cpus()[0]?.model ?? 'unknown'} × ${cpus().length}`,
    loadAverageBefore: load0.map((x) => +x.toFixed(2)),
    loadAverageAfter: loadavg().map((x) => +x.toFixed(2)),
  };
  const md = markdownTable(rows, ratios, THREADED);
  console.log(`\n${md}`);
  console.log(
    `\n"ours ×" / "${THREADED} ×" = how many times better @recurrent/core is than that implementation (rate ` +
      `ratio, or time/memory ratio inverted).`,
  );
  console.log(
    `${meta.command}: ${seconds.toFixed(0)} s; load average before ${meta.loadAverageBefore.join(' ')}, after ` +
      `${meta.loadAverageAfter.join(' ')}`,
  );
  const write = (base: string, file: ResultsFile): void => {
    writeFileSync(join(pkgDir, `${base}.json`), `${JSON.stringify(file, null, 2)}\n`);
    writeFileSync(join(pkgDir, `${base}.md`), resultsMarkdown(file, THREADED));
  };
  const run: ResultsFile = { meta, rows, ratios };
  const base = resultsBaseName({ quick, only: only && [...only], impls: impls && [...impls] });
  write(base, run);
  console.log(`results written to ${base}.md and ${base}.json`);
  if (merge) {
    const committed = resultsBaseName({ quick: false, only: null, impls: null });
    const path = join(pkgDir, `${committed}.json`);
    if (!existsSync(path)) throw new Error(`--merge: ${path} does not exist (run the complete bench first)`);
    const previous = JSON.parse(readFileSync(path, 'utf8')) as ResultsFile;
    write(
      committed,
      mergeResults(
        previous,
        run,
        WORKLOADS.map((w) => w.id),
      ),
    );
    console.log(`rows of ${[...new Set(rows.map((r) => r.workload))].join(', ')} merged into ${committed}.md/json`);
  }
}

await main();
