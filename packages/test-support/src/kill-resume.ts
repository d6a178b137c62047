// Kill-and-resume of a training command: run it once uninterrupted, then again SIGKILLed at seeded random moments
// and resumed with --resume each time, checking after every kill that each file of the run directory parses, and at
// the end that the model files (and metrics history) equal the uninterrupted run's.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FuzzRandom, hashString } from './fuzz/random.js';

/** One training task under test: the CLI that trains it and the arguments of a tiny run (without --out). */
export interface KillResumeTask {
  /** Name in reports, e.g. 'text/charlm'. */
  name: string;
  /** The CLI entry (a .ts file run through tsx with the source condition). */
  bin: string;
  /** `train <task> ...options` without --out (and without --resume). */
  trainArgs: readonly string[];
  /** Arguments every run takes, the resumed ones too (e.g. --no-test, --data-dir). */
  commonArgs?: readonly string[];
}

export interface KillResumeOptions {
  /** How many times to kill the resumed run (it is resumed after each kill, then run to the end). */
  kills: number;
  /** Seed of the kill moments. */
  seed: number;
  /** Scratch folder (the two run directories and the logs go here). */
  root: string;
  /** Working directory of the runs (the repository root). */
  cwd: string;
  /** Throw when the file at `path` does not parse (safetensors decode, JSON parse …). */
  checkFile: (path: string) => void;
  /** Keys dropped from JSON files before comparing (wall-clock times, the command line). */
  volatileKeys?: readonly string[];
}

export interface KillResumeReport {
  task: string;
  /** Kills that landed while the run was going. */
  kills: number;
  /** Runs started with --resume (a kill before the first checkpoint restarts from scratch instead). */
  resumes: number;
  restarts: number;
  /** The final model files and metrics equal the uninterrupted run's. */
  identical: boolean;
  /** What differs, or which file did not parse after which kill. */
  problems: string[];
  uninterruptedSeconds: number;
  seconds: number;
}

/** Wall-clock and identity fields that differ between two runs of the same training. */
export const VOLATILE_KEYS: readonly string[] = ['seconds', 'command', 'elapsed', 'timings', 'tokensPerSecond'];

const CHECKPOINT_FILE = 'checkpoint.safetensors';

interface RunOutcome {
  code: number | null;
  killed: boolean;
  seconds: number;
  /** When the run's first checkpoint appeared in `watchDir` (seconds after the start), if it was watched. */
  firstCheckpoint: number | null;
  /** How many checkpoint writes the watcher saw (distinct modification times). */
  checkpointWrites: number;
}

/** When to SIGKILL a run: after a delay, or a delay after the run writes its first checkpoint. */
type KillPlan = { afterMs: number } | { afterCheckpointMs: number };

/** Run the CLI; SIGKILL it after `killAfterMs` if still running. Output goes to `log`. */
function runCli(
  task: KillResumeTask,
  args: readonly string[],
  run: { cwd: string; log: string; kill?: KillPlan; watchDir?: string },
) {
  const { cwd, log, kill, watchDir } = run;
  return new Promise<RunOutcome>((resolve) => {
    const fd = openSync(log, 'a');
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@recurrent/source', task.bin, ...args], {
      cwd,
      stdio: ['ignore', fd, fd],
    });
    let killed = false;
    const killNow = (): void => {
      killed = child.kill('SIGKILL');
    };
    let timer: NodeJS.Timeout | null = kill && 'afterMs' in kill ? setTimeout(killNow, kill.afterMs) : null;
    // Checkpoint writes, seen as changes of the file's modification time (polled every 50 ms).
    const checkpoint = watchDir === undefined ? null : join(watchDir, CHECKPOINT_FILE);
    const mtime = (): number => (checkpoint && existsSync(checkpoint) ? statSync(checkpoint).mtimeMs : 0);
    let lastMtime = mtime();
    let firstCheckpoint: number | null = null;
    let checkpointWrites = 0;
    const watcher =
      checkpoint === null
        ? null
        : setInterval(() => {
            let now = 0;
            try {
              now = mtime();
            } catch {
              return; // renamed into place between the two calls
            }
            if (now === lastMtime || now === 0) return;
            lastMtime = now;
            checkpointWrites++;
            firstCheckpoint ??= (performance.now() - started) / 1000;
            if (kill && 'afterCheckpointMs' in kill && timer === null)
              timer = setTimeout(killNow, kill.afterCheckpointMs);
          }, 50);
    child.on('exit', (code) => {
      if (timer) clearTimeout(timer);
      if (watcher) clearInterval(watcher);
      closeSync(fd);
      const seconds = (performance.now() - started) / 1000;
      resolve({ code, killed: killed && code === null, seconds, firstCheckpoint, checkpointWrites });
    });
  });
}

function dropKeys(value: unknown, keys: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) return value.map((v) => dropKeys(v, keys));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => !keys.has(k))
        .map(([k, v]) => [k, dropKeys(v, keys)]),
    );
  return value;
}

/** Differences between the files of two finished run directories (the checkpoint aside). */
export function compareRunDirs(expected: string, got: string, volatileKeys: readonly string[]): string[] {
  const keys = new Set(volatileKeys);
  const problems: string[] = [];
  const names = (dir: string) => readdirSync(dir).filter((f) => f !== CHECKPOINT_FILE && !f.includes('.tmp'));
  const a = names(expected).sort();
  const b = names(got).sort();
  if (a.join() !== b.join()) problems.push(`files differ: [${a.join(', ')}] vs [${b.join(', ')}]`);
  for (const name of a.filter((f) => b.includes(f))) {
    const x = readFileSync(join(expected, name));
    const y = readFileSync(join(got, name));
    if (name.endsWith('.json')) {
      const nx = JSON.stringify(dropKeys(JSON.parse(x.toString('utf8')), keys));
      const ny = JSON.stringify(dropKeys(JSON.parse(y.toString('utf8')), keys));
      if (nx !== ny) problems.push(`${name} differs (beyond ${volatileKeys.join(', ')})`);
    } else if (!x.equals(y)) problems.push(`${name} differs (${x.length} vs ${y.length} bytes)`);
  }
  return problems;
}

/** Every file of a run directory parses (leftover temporary files of an interrupted atomic write are skipped). */
function checkRunDir(dir: string, check: (path: string) => void): string[] {
  if (!existsSync(dir)) return [];
  const problems: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name.includes('.tmp') || !statSync(path).isFile()) continue;
    try {
      check(path);
    } catch (e) {
      problems.push(`${name}: ${(e as Error).message.slice(0, 200)}`);
    }
  }
  return problems;
}

/** Uninterrupted run, then the killed-and-resumed one, compared. */
export async function killAndResume(task: KillResumeTask, options: KillResumeOptions): Promise<KillResumeReport> {
  const started = performance.now();
  const slug = task.name.replace(/[^\w-]+/g, '-');
  const fullDir = join(options.root, `${slug}-uninterrupted`);
  const killedDir = join(options.root, `${slug}-killed`);
  rmSync(fullDir, { recursive: true, force: true });
  rmSync(killedDir, { recursive: true, force: true });
  mkdirSync(options.root, { recursive: true });
  const log = join(options.root, `${slug}.log`);
  const common = task.commonArgs ?? [];
  const report: KillResumeReport = {
    task: task.name,
    kills: 0,
    resumes: 0,
    restarts: 0,
    identical: false,
    problems: [],
    uninterruptedSeconds: 0,
    seconds: 0,
  };
  const full = await runCli(task, [...task.trainArgs, '--out', fullDir, ...common], {
    cwd: options.cwd,
    log,
    watchDir: fullDir,
  });
  report.uninterruptedSeconds = full.seconds;
  if (full.code !== 0) {
    report.problems.push(`the uninterrupted run exited with ${full.code} (see ${log})`);
    return { ...report, seconds: (performance.now() - started) / 1000 };
  }
  const random = new FuzzRandom((hashString(task.name) ^ options.seed) >>> 0);
  let finished = false;
  let attempts = 0;
  // How long a run takes to its first checkpoint: start-up kills land before it (a resumed run starts faster than a
  // fresh one, so the shortest seen is used).
  let startup = full.firstCheckpoint ?? 0.5 * full.seconds;
  while (!finished && attempts < options.kills * 3 + 5) {
    attempts++;
    const resuming = existsSync(join(killedDir, CHECKPOINT_FILE));
    const args = resuming
      ? ['train', task.trainArgs[1] ?? '', '--out', killedDir, '--resume', ...common]
      : [...task.trainArgs, '--out', killedDir, ...common];
    if (resuming) report.resumes++;
    else if (attempts > 1) report.restarts++;
    // Half the kills land after this run has written a checkpoint of its own (so every resumed run makes progress),
    // a random part of one checkpoint interval later — between checkpoints or while one is being written — as long
    // as the uninterrupted run's checkpoints last; the others at a random moment of start-up (data, model, resume).
    const first = full.firstCheckpoint ?? 0.5 * full.seconds;
    const interval = (full.seconds - first) / Math.max(1, full.checkpointWrites);
    const progressKills = Math.floor(full.checkpointWrites / 2);
    const plan: KillPlan | undefined =
      report.kills >= options.kills
        ? undefined
        : random.float() < progressKills / options.kills
          ? { afterCheckpointMs: interval * random.float() * 1000 }
          : { afterMs: 0.9 * startup * random.float() * 1000 };
    const run = await runCli(task, args, {
      cwd: options.cwd,
      log,
      ...(plan === undefined ? {} : { kill: plan }),
      watchDir: killedDir,
    });
    if (run.firstCheckpoint !== null) startup = Math.min(startup, run.firstCheckpoint);
    if (run.killed) {
      report.kills++;
      for (const p of checkRunDir(killedDir, options.checkFile))
        report.problems.push(`after kill ${report.kills}: ${p}`);
    } else if (run.code === 0) finished = true;
    else {
      report.problems.push(`a run exited with ${run.code} (see ${log})`);
      break;
    }
  }
  if (finished) report.problems.push(...compareRunDirs(fullDir, killedDir, options.volatileKeys ?? VOLATILE_KEYS));
  else if (report.problems.length === 0) report.problems.push('the killed run never finished');
  report.identical = finished && report.problems.length === 0;
  return { ...report, seconds: (performance.now() - started) / 1000 };
}
