// pnpm kill-resume [--tasks text/charlm,music/jsb] [--kills 20] [--seed 1]: for each training task, a tiny run
// uninterrupted, then the same run SIGKILLed at seeded random moments and resumed with --resume after each kill;
// after every kill each file of the run directory must parse, and at the end the model files and metrics history
// must equal the uninterrupted run's. Prints per task: kills, resumes, identical. Exits 1 on any problem.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeSafetensors } from '@recurrent/core';
import { KILL_RESUME_TASKS, killAndResume, REPOSITORY_ROOT, runFileChecker } from '@recurrent/test-support';

function flag(argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}

async function main(argv: readonly string[]): Promise<number> {
  const only = flag(argv, 'tasks')?.split(',');
  const kills = Number(flag(argv, 'kills') ?? 20);
  const seed = Number(flag(argv, 'seed') ?? 1);
  const root = mkdtempSync(join(tmpdir(), 'recurrent-kill-resume-'));
  const checkFile = runFileChecker(decodeSafetensors);
  const tasks = KILL_RESUME_TASKS.filter((t) => !only || only.includes(t.name));
  console.log(
    `${'task'.padEnd(16)} ${'kills'.padStart(5)} ${'resumes'.padStart(7)} ${'restarts'.padStart(8)} ` +
      `${'identical'.padStart(9)} ${'one run s'.padStart(9)} ${'total s'.padStart(8)}   (logs in ${root})`,
  );
  let failed = 0;
  for (const task of tasks) {
    const r = await killAndResume(task, { kills, seed, root, cwd: REPOSITORY_ROOT, checkFile });
    if (!r.identical) failed++;
    console.log(
      `${r.task.padEnd(16)} ${String(r.kills).padStart(5)} ${String(r.resumes).padStart(7)} ` +
        `${String(r.restarts).padStart(8)} ${(r.identical ? 'yes' : 'NO').padStart(9)} ` +
        `${r.uninterruptedSeconds.toFixed(1).padStart(9)} ${r.seconds.toFixed(0).padStart(8)}`,
    );
    for (const p of r.problems.slice(0, 5)) console.log(`    ${p}`);
  }
  console.log(`${tasks.length} tasks, ${failed} not identical`);
  return failed > 0 ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
