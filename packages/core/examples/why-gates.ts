// Why gates: a tanh RNN, an IRNN, an LSTM and a GRU trained side by side on a long-range task with the same budget.
// Prints the held-out loss of each, whether it solved the task, and how ‖∂L/∂h_t‖ fades back through time.
//
//   pnpm --filter @recurrent/core example:why-gates [-- --task adding|copy] [--length 100] [--steps 2000]
//        [--hidden 64] [--batch 32] [--lr 0.001] [--clip 1] [--scale 1] [--forget-bias 0] [--seed 0]
//        [--every 250] [--threads 2]
import {
  CELL_NAMES,
  CellComparison,
  initWasm,
  longRangeTask,
  type CellName,
  type LongRangeTaskName,
} from '../src/index.js';
import { initWasmThreads } from '../src/node.js';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = process.argv[i + 1];
  if (v === undefined || v.startsWith('--')) throw new Error(`--${name} needs a value`);
  return v;
}
function numberOption(name: string, fallback: number): number {
  const raw = option(name, String(fallback));
  const v = Number(raw);
  if (!Number.isFinite(v)) throw new Error(`--${name} must be a number, got ${JSON.stringify(raw)}`);
  return v;
}

const taskName = option('task', 'adding') as LongRangeTaskName;
const length = numberOption('length', 100);
const steps = numberOption('steps', 2000);
const every = numberOption('every', 250);
const clipRaw = option('clip', 'none');
const clip = clipRaw === 'none' ? null : Number(clipRaw);
const threads = numberOption('threads', 1);
if (threads > 1) await initWasmThreads({ threads });
else await initWasm();

const task = longRangeTask(taskName, { length });
const race = new CellComparison({
  task,
  hiddenSize: numberOption('hidden', 64),
  batchSize: numberOption('batch', 32),
  lr: numberOption('lr', 1e-3),
  clip,
  recurrentScale: numberOption('scale', 1),
  lstmForgetBias: numberOption('forget-bias', 0),
  seed: numberOption('seed', 0),
});
const pad = (s: string, n = 10) => s.padStart(n);
const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : String(x));
const sci = (x: number) => (Number.isFinite(x) ? x.toExponential(1) : String(x));
console.log(
  `${task.name} task, T = ${length} (${task.steps} steps per sequence), ` +
    `input-blind loss ${task.baselineLoss.toFixed(4)}, ` +
    `solved below ${task.solvedBelow.toFixed(4)}; hidden ${race.hiddenSize}, batch ${race.batchSize}, ` +
    `clip ${clip ?? 'off'}, ${steps} steps`,
);
const header = (label: string) => console.log(`${label.padEnd(14)}${race.cells.map((c) => pad(c)).join('')}`);
header('step');
const started = Date.now();
const window = new Map<CellName, number[]>(race.cells.map((c) => [c, []]));
for (let s = 1; s <= steps; s++) {
  const r = race.trainStep();
  for (const c of r.cells) window.get(c.cell)?.push(c.loss);
  if (s % every === 0 || s === steps) {
    const means = race.cells.map((c) => {
      const w = window.get(c) ?? [];
      const m = w.reduce((a, x) => a + x, 0) / Math.max(1, w.length);
      w.length = 0;
      return pad(fmt(m));
    });
    console.log(
      `${String(s).padEnd(6)}${`${((Date.now() - started) / 1000).toFixed(0)} s`.padEnd(8)}${means.join('')}`,
    );
  }
}
const held = race.evaluate({ batches: 8 });
const profile = race.gradientProfile();
header('held-out loss');
console.log(`${''.padEnd(14)}${held.map((h) => pad(fmt(h.loss))).join('')}`);
console.log(`${'solved'.padEnd(14)}${held.map((h) => pad(h.loss < task.solvedBelow ? 'yes' : 'no')).join('')}`);
const T = task.steps;
for (const t of [T - 1, Math.floor((3 * T) / 4), Math.floor(T / 2), Math.floor(T / 4), 0]) {
  console.log(`${`‖∂L/∂h_${t}‖`.padEnd(14)}${profile.map((p) => pad(sci(p.norms[t] ?? Number.NaN))).join('')}`);
}
console.log(`${'h_0 / h_T-1'.padEnd(14)}${profile.map((p) => pad(sci(p.firstToLast))).join('')}`);
const unused: CellName[] = CELL_NAMES.filter((c) => !race.cells.includes(c));
if (unused.length > 0) console.log(`(not raced: ${unused.join(', ')})`);
console.log(`${((Date.now() - started) / 1000).toFixed(1)} s`);
