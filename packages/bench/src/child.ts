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
  send({ type: 'ready' });
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

process.on('message', async (m: Msg) => {
  try {
    if (m.type === 'run') {
      const value = await runner.run();
      settle();
      send({ type: 'result', value });
    }
    else if (m.type === 'rss') send({ type: 'rss', bytes: process.resourceUsage().maxRSS * 1024 });
    else process.exit(0);
  } catch (e) {
    send({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  }
});
