// The fuzz case runner: builds each seeded case, runs the parser on it and applies the pass rule, a per-case time
// limit and a per-case memory limit (array-buffer growth bounded by the input's size, not by a declared one).
import { collectGarbage } from './collect-garbage.js';
import { judgeError, type PassRule } from './outcome.js';
import { caseRandom, type FuzzRandom } from './random.js';

/** One parser under fuzz: how to make a hostile input from a seeded generator, and how to parse it. */
export interface FuzzTarget<I = unknown> {
  /** The parser's name in reports, e.g. 'safetensors' or 'model dir (text)'. */
  parser: string;
  /** Make what `generate` needs that takes awaiting (valid files written by an async encoder); run once first. */
  prepare?(): Promise<void>;
  /** One hostile input (usually a mutation of a valid one). */
  generate(random: FuzzRandom): I;
  /** Parse it; returning normally is a pass (the mutation may have left the input valid). */
  run(input: I): unknown;
  /** The pass rule for this input: accepted error classes and what the message must name. */
  rule(input: I): PassRule;
  /** Size of the input in bytes (bounds the memory a case may take). */
  inputBytes?(input: I): number;
  /** Undo what `generate` made outside memory (temporary files). */
  dispose?(input: I): void;
  /**
   * Per-case time limit in milliseconds (default 10,000): it catches hangs and superlinear blow-ups (minutes), with
   * room for a machine at load average 20, where a 50 ms case can take 3 s.
   */
  timeLimitMs?: number;
}

/** Memory a case may allocate: this much, plus a multiple of its input. */
export const CASE_MEMORY_BASE = 64 * 2 ** 20;
export const CASE_MEMORY_PER_INPUT_BYTE = 16;

export interface FuzzFailure {
  seed: number;
  problem: string;
}

export interface FuzzReport {
  parser: string;
  cases: number;
  passed: number;
  /** Cases the parser accepted (the rest were rejected with a clean error, or failed). */
  accepted: number;
  failures: FuzzFailure[];
  seconds: number;
  /** Largest array-buffer growth during one case, in bytes. */
  maxCaseAllocation: number;
}

export interface FuzzRunOptions {
  /** First seed (default 0) and number of cases. */
  firstSeed?: number;
  cases: number;
  /** Called before each case (the nightly script's watchdog hears of progress this way). */
  beforeCase?: (seed: number) => void;
}

interface MemorySample {
  arrayBuffers: number;
  heapUsed: number;
}

function memorySample(): MemorySample {
  const { arrayBuffers, heapUsed } = process.memoryUsage();
  return { arrayBuffers, heapUsed };
}

/**
 * What a case allocated: its growth of array-buffer memory (what a size read from an untrusted header allocates,
 * counted even when already unreachable), plus its growth of the JS heap. Heap growth is mostly garbage not yet
 * collected (a parser such as abcjs makes tens of MB of short-lived objects on a long input), so when the sum is over
 * `allowed` the heap is collected and only what the case still holds counts.
 */
function caseAllocation(before: MemorySample, allowed: number): number {
  const after = memorySample();
  const arrayBuffers = Math.max(0, after.arrayBuffers - before.arrayBuffers);
  const heap = Math.max(0, after.heapUsed - before.heapUsed);
  if (arrayBuffers + heap <= allowed) return arrayBuffers + heap;
  collectGarbage();
  return arrayBuffers + Math.max(0, process.memoryUsage().heapUsed - before.heapUsed);
}

/** Run one case; null when it passes, else the problem. */
export async function runFuzzCase<I>(
  target: FuzzTarget<I>,
  seed: number,
): Promise<{ problem: string | null; accepted: boolean; allocated: number }> {
  let input: I;
  try {
    input = target.generate(caseRandom(target.parser, seed));
  } catch (e) {
    // A bug of the fuzz target's generator, not of the parser: reported as a failure all the same.
    return { problem: `the case generator failed: ${(e as Error).message}`, accepted: false, allocated: 0 };
  }
  const limit = target.timeLimitMs ?? 10_000;
  const before = memorySample();
  const started = performance.now();
  let problem: string | null = null;
  let accepted = false;
  try {
    await target.run(input);
    accepted = true;
  } catch (e) {
    problem = judgeError(e, target.rule(input));
  } finally {
    target.dispose?.(input);
  }
  const ms = performance.now() - started;
  const allowed = CASE_MEMORY_BASE + CASE_MEMORY_PER_INPUT_BYTE * (target.inputBytes?.(input) ?? 0);
  const allocated = caseAllocation(before, allowed);
  if (problem === null && ms > limit) problem = `took ${ms.toFixed(0)} ms (limit ${limit} ms)`;
  if (problem === null && allocated > allowed)
    problem = `allocated ${(allocated / 2 ** 20).toFixed(0)} MB (limit ${(allowed / 2 ** 20).toFixed(0)} MB)`;
  return { problem, accepted, allocated };
}

/** Run `cases` seeded cases of a target and report. */
export async function runFuzzTarget<I>(target: FuzzTarget<I>, options: FuzzRunOptions): Promise<FuzzReport> {
  const first = options.firstSeed ?? 0;
  const failures: FuzzFailure[] = [];
  let accepted = 0;
  let maxCaseAllocation = 0;
  await target.prepare?.();
  const started = performance.now();
  for (let seed = first; seed < first + options.cases; seed++) {
    options.beforeCase?.(seed);
    const result = await runFuzzCase(target, seed);
    if (result.problem !== null) failures.push({ seed, problem: result.problem });
    if (result.accepted) accepted++;
    maxCaseAllocation = Math.max(maxCaseAllocation, result.allocated);
  }
  return {
    parser: target.parser,
    cases: options.cases,
    passed: options.cases - failures.length,
    accepted,
    failures,
    seconds: (performance.now() - started) / 1000,
    maxCaseAllocation,
  };
}

/** "seed 12: raw TypeError: …" lines for the first few failures (enough to reproduce them). */
export function describeFailures(report: FuzzReport, limit = 5): string {
  return report.failures
    .slice(0, limit)
    .map((f) => `${report.parser} seed ${f.seed}: ${f.problem}`)
    .join('\n');
}
