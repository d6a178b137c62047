// pnpm fuzz [--cases 10000] [--from <first seed>] [--parser <substring>] [--skip <substring>] [--seed <n>]: every
// package's fuzz targets, each parser in its own child process under a watchdog (a case that hangs is killed,
// recorded with its seed, and the run goes on from the next seed). Prints one row per parser: cases, passed,
// failures (the first few seeds and problems), seconds, the largest allocation of one case and the child's peak RSS.
// Exits 1 on any failure.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type FuzzReport, type FuzzTarget, runFuzzCase, runFuzzTarget } from '@recurrent/test-support';

/** Where each package keeps its fuzz targets (test/fuzz/targets.ts) and the function listing them. */
const SUITES: Record<string, () => Promise<FuzzTarget<never>[]>> = {
  core: async () => (await import('../packages/core/test/fuzz/targets.js')).coreFuzzTargets(),
  text: async () => (await import('../packages/text/test/fuzz/targets.js')).textFuzzTargets(),
  music: async () => (await import('../packages/music/test/fuzz/targets.js')).musicFuzzTargets(),
  vision: async () => (await import('../packages/vision/test/fuzz/targets.js')).visionFuzzTargets(),
};

/** A case with no progress for this long is a hang: the child is killed and the case recorded. */
const HANG_SECONDS = 60;
/** A child that has not started its first case after this long is killed too (start-up is slow on a loaded box). */
const START_SECONDS = 600;

type ChildMessage =
  | { type: 'parsers'; parsers: string[] }
  | { type: 'case'; seed: number }
  | { type: 'report'; report: FuzzReport; peakRssMb: number };

function flag(argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}

async function child(argv: readonly string[]): Promise<void> {
  const [, suite = '', indexText = '', firstText = '', casesText = ''] = argv;
  const load = SUITES[suite];
  if (!load) throw new Error(`fuzz child: unknown suite ${suite}`);
  const targets = await load();
  const send = (m: ChildMessage): void => void process.send?.(m);
  if (indexText === 'list') {
    send({ type: 'parsers', parsers: targets.map((t) => t.parser) });
    return;
  }
  const target = targets[Number(indexText)];
  if (!target) throw new Error(`fuzz child: no target ${indexText} in ${suite}`);
  const report = await runFuzzTarget(target, {
    firstSeed: Number(firstText),
    cases: Number(casesText),
    beforeCase: (seed) => send({ type: 'case', seed }),
  });
  send({ type: 'report', report, peakRssMb: process.resourceUsage().maxRSS / 1024 });
}

const SELF = fileURLToPath(import.meta.url);

function spawnChild(
  args: string[],
  onMessage: (m: ChildMessage) => void,
): { proc: ChildProcess; done: Promise<number> } {
  const proc = fork(SELF, ['--child', ...args], {
    execArgv: ['--import', 'tsx', '--conditions=@recurrent/source'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  proc.on('message', (m) => onMessage(m as ChildMessage));
  const done = new Promise<number>((resolve) => proc.on('exit', (code, signal) => resolve(signal ? -1 : (code ?? -1))));
  return { proc, done };
}

async function listParsers(suite: string): Promise<string[]> {
  let parsers: string[] = [];
  const { done } = spawnChild([suite, 'list'], (m) => {
    if (m.type === 'parsers') parsers = m.parsers;
  });
  await done;
  return parsers;
}

interface Row {
  report: FuzzReport;
  peakRssMb: number;
}

/** All cases of one parser, restarting after a hang at the seed after the one that hung. */
async function runParser(suite: string, index: number, parser: string, from: number, cases: number): Promise<Row> {
  const total: Row = {
    report: { parser, cases: 0, passed: 0, accepted: 0, failures: [], seconds: 0, maxCaseAllocation: 0 },
    peakRssMb: 0,
  };
  let next = from;
  const end = from + cases;
  const started = performance.now();
  while (next < end) {
    let current = next;
    let started = false; // start-up (tsx, loading the targets and their corpora) has its own, longer limit
    let lastProgress = performance.now();
    let report: FuzzReport | null = null;
    const { proc, done } = spawnChild([suite, String(index), String(next), String(end - next)], (m) => {
      if (m.type === 'case') {
        current = m.seed;
        started = true;
        lastProgress = performance.now();
      } else if (m.type === 'report') {
        report = m.report;
        total.peakRssMb = Math.max(total.peakRssMb, m.peakRssMb);
      }
    });
    const watchdog = setInterval(() => {
      const limit = started ? HANG_SECONDS : START_SECONDS;
      if (performance.now() - lastProgress > limit * 1000) proc.kill('SIGKILL');
    }, 1000);
    const code = await done;
    clearInterval(watchdog);
    const got = report as FuzzReport | null;
    if (got) {
      const r = total.report;
      r.cases += got.cases;
      r.passed += got.passed;
      r.accepted += got.accepted;
      r.failures.push(...got.failures);
      r.maxCaseAllocation = Math.max(r.maxCaseAllocation, got.maxCaseAllocation);
      next = end;
    } else {
      // The child died in case `current` (killed by the watchdog, or crashed): count it and go on after it.
      const why = !started
        ? `the child did not start within ${START_SECONDS} s`
        : code === -1
          ? `no result within ${HANG_SECONDS} s (killed)`
          : `the process exited with ${code}`;
      total.report.cases += current - next + 1;
      total.report.passed += current - next;
      total.report.failures.push({ seed: current, problem: why });
      next = current + 1;
    }
  }
  total.report.seconds = (performance.now() - started) / 1000;
  return total;
}

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

async function main(argv: readonly string[]): Promise<number> {
  const cases = Number(flag(argv, 'cases') ?? 10_000);
  const from = Number(flag(argv, 'from') ?? 0);
  const only = flag(argv, 'parser');
  const skip = flag(argv, 'skip');
  const seed = flag(argv, 'seed');
  if (seed !== undefined) {
    // Reproduce one case in this process and print its outcome.
    for (const [suite, load] of Object.entries(SUITES)) {
      for (const target of await load()) {
        if (only && !target.parser.includes(only)) continue;
        await target.prepare?.();
        const result = await runFuzzCase(target, Number(seed));
        const outcome = result.problem ?? (result.accepted ? 'accepted' : 'rejected cleanly');
        console.log(`${suite} / ${target.parser} seed ${seed}: ${outcome}`);
      }
    }
    return 0;
  }
  const rows: Row[] = [];
  const columns = ['cases', 'passed', 'failed', 'accepted', 'seconds', 'max case MB', 'peak RSS MB'];
  console.log(`${pad('parser', 34)} ${columns.map((c) => pad(c, Math.max(7, c.length), true)).join(' ')}`);
  for (const suite of Object.keys(SUITES)) {
    const parsers = await listParsers(suite);
    for (const [index, parser] of parsers.entries()) {
      if ((only && !parser.includes(only)) || (skip && parser.includes(skip))) continue;
      const row = await runParser(suite, index, parser, from, cases);
      rows.push(row);
      const r = row.report;
      console.log(
        `${pad(r.parser, 34)} ${pad(String(r.cases), 7, true)} ${pad(String(r.passed), 7, true)} ` +
          `${pad(String(r.failures.length), 7, true)} ${pad(String(r.accepted), 8, true)} ` +
          `${pad(r.seconds.toFixed(1), 7, true)} ${pad((r.maxCaseAllocation / 2 ** 20).toFixed(1), 11, true)} ` +
          `${pad(row.peakRssMb.toFixed(0), 11, true)}`,
      );
      for (const f of r.failures.slice(0, 5)) console.log(`    seed ${f.seed}: ${f.problem}`);
    }
  }
  const failed = rows.reduce((n, r) => n + r.report.failures.length, 0);
  const total = rows.reduce((n, r) => n + r.report.cases, 0);
  const seconds = rows.reduce((n, r) => n + r.report.seconds, 0);
  console.log(`${rows.length} parsers, ${total} cases, ${failed} failed, ${seconds.toFixed(0)} s`);
  if (failed > 0) console.log('reproduce one: pnpm fuzz --parser <name> --seed <seed>');
  return failed > 0 ? 1 : 0;
}

if (process.argv[2] === '--child') await child(process.argv.slice(2));
else process.exitCode = await main(process.argv.slice(2));
