// One implementation of one workload, in its own process: the parent asks for repetitions one at a time (so the
// implementations run interleaved, never concurrently) and finally for this process's peak RSS.
import { findImpl } from './registry.js';
import type { Runner } from './types.js';

type Msg = { type: 'run' } | { type: 'rss' } | { type: 'exit' };

const [workload, impl, quickFlag] = process.argv.slice(2);
const send = (m: unknown) => process.send!(m);

let runner: Runner;
try {
  runner = await findImpl(workload!, impl!)({ quick: quickFlag === 'quick' });
  send({ type: 'ready', notes: runner.notes ?? [] });
} catch (e) {
  send({ type: 'error', message: e instanceof Error ? `${e.message}` : String(e) });
  process.exit(0);
}

/**
 * Collect this repetition's garbage before reporting, outside the timing: V8 otherwise finishes it on background
 * threads while the next implementation (another process) is being measured.
 */
function settle(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/**
 * A process that has sat idle while the others ran (tens of seconds in a full run) is measurably slower for its
 * first repetitions (measured here: a 150 ms W1 step 30–45 % slower after 30 s idle, recovering over ~0.5 s), which
 * would charge every short repetition a fixed penalty that long ones hardly notice. So a repetition that took
 * under REWARM_BELOW_MS last time is preceded by REWARM_MS of untimed repetitions when the process was idle for
 * longer than IDLE_MS — the steady state a training or generation loop is in. Long repetitions are measured as
 * they come.
 */
const IDLE_MS = 2000;
const REWARM_BELOW_MS = 1000;
const REWARM_MS = 500;
let lastEnd = 0;
let lastDuration = Infinity;

process.on('message', async (m: Msg) => {
  try {
    if (m.type === 'run') {
      if (performance.now() - lastEnd > IDLE_MS && lastDuration < REWARM_BELOW_MS) {
        const until = performance.now() + REWARM_MS;
        do await runner.run();
        while (performance.now() < until);
      }
      const started = performance.now();
      const cpu0 = process.cpuUsage();
      const value = await runner.run();
      const cpu = process.cpuUsage(cpu0);
      lastEnd = performance.now();
      lastDuration = lastEnd - started;
      // the share of the repetition's wall time this process spent on a CPU (≈ 1 on an idle machine, one thread)
      const cpuShare = (cpu.user + cpu.system) / 1000 / lastDuration;
      settle();
      send({ type: 'result', value, cpuShare });
    } else if (m.type === 'rss') send({ type: 'rss', bytes: process.resourceUsage().maxRSS * 1024 });
    else process.exit(0);
  } catch (e) {
    send({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  }
});
