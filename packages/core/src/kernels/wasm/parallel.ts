// Splits large products (and LSTM step loops, by batch rows) across helper threads that run the same kernels on the
// same shared wasm memory. Each helper owns a slot of SLOT_INTS int32s in a SharedArrayBuffer: [0] job sequence
// number (written by the caller), [1] the last sequence it finished, [2] the job (JOB_*), [3…14] its arguments,
// [15] 1 when the job threw, [16] the sequence number of the last job claimed. A job is run by whoever claims it
// first (compare-and-swap of [16] up to the job's sequence number): normally the helper, which spins briefly on its
// slot and then sleeps in Atomics.wait; but the caller, once done with its own share, claims every job no helper has
// started and runs it itself — so a helper that is asleep or descheduled (a busy VM) costs at most the unsplit time,
// not a wake-up. Row ranges give bit-identical results whoever runs them (gemm_rows and gemv16 sum each element in
// the same order as the whole product; the LSTM loops run the same source text everywhere). Helpers live as long as
// the process (their threads are unref'd).
import { ValueError } from '../../errors.js';

export const SLOT_INTS = 32;
const CLAIM = 16;

export const JOB_GEMM_ROWS = 0;
export const JOB_GEMV16 = 1;
/** A row range of an LSTM direction's whole forward / backward loop (rows = batch entries, independent). */
export const JOB_LSTM_FORWARD_ROWS = 2;
export const JOB_LSTM_BACKWARD_ROWS = 3;

/** Products below this many multiply-adds run on one thread (the hand-off costs microseconds, more on a busy VM). */
export const PARALLEL_MIN_MACS = 1 << 21;

/**
 * Every job's body, as source text: the helper threads eval it, and the caller builds the same functions from it
 * (`jobRunner`), so a job gives the same bits whoever runs it. `runJob(x, g, c, work, memory)` — x: gemm exports,
 * g: gate exports (LSTM jobs only), c: the job's slot, work: that thread's gemm work buffer, memory: the shared memory.
 * JOB_GEMM_ROWS args c[3…14]: gemm_rows' arguments without `work`; JOB_GEMV16 c[3…8]: gemv16's.
 * JOB_LSTM_FORWARD_ROWS c[3…10]: T, B, H, r0, r1, step table, packed W_hh, rec; per step 7 int32 byte pointers
 *   (row 0): gates_t, h_in, c_in, c_out, h_out, tanhC_t (0: not kept), out_t.
 * JOB_LSTM_BACKWARD_ROWS c[3…12]: T, B, H, r0, r1, step table, packed W_hh (K×N = G×H), rec, dh64, dc64; per step
 *   (in processing order) 5 pointers: gates_t, tanhC_t, c_in, dOut_t, dG_t.
 */
const JOBS_SOURCE = `
function lstmForwardRows(x, g, c, work, memory) {
  const T = c[3], B = c[4], H = c[5], r0 = c[6], r1 = c[7], packed = c[9], rec = c[10];
  const G = 4 * H, rows = r1 - r0, gOff = r0 * G * 4, hOff = r0 * H * 4;
  const tab = new Int32Array(memory.buffer, c[8], T * 7);
  for (let s = 0; s < T; s++) {
    const e = s * 7;
    x.gemm_rows(0, 0, B, r0, r1, G, H, tab[e + 1], packed, rec, 0, work, 1);
    g.lstm_forward_step(tab[e] + gOff, rec + gOff, tab[e + 2] + hOff, tab[e + 3] + hOff, tab[e + 4] + hOff,
      tab[e + 5] ? tab[e + 5] + hOff : 0, tab[e + 6] + hOff, rows, H);
  }
}
function lstmBackwardRows(x, g, c, work, memory) {
  const T = c[3], B = c[4], H = c[5], r0 = c[6], r1 = c[7], packed = c[9], rec = c[10], dh = c[11], dc = c[12];
  const G = 4 * H, rows = r1 - r0, gOff = r0 * G * 4, hOff = r0 * H * 4;
  const tab = new Int32Array(memory.buffer, c[8], T * 5);
  for (let q = 0; q < T; q++) {
    const e = q * 5;
    g.lstm_backward_step(tab[e] + gOff, tab[e + 1] + hOff, tab[e + 2] + hOff, tab[e + 3] + hOff,
      dh + 2 * hOff, dc + 2 * hOff, tab[e + 4] + gOff, rows, H);
    x.gemm_rows(0, 0, B, r0, r1, H, G, tab[e + 4], packed, rec, 0, work, 1);
    g.add_f32_to_f64(dh + 2 * hOff, rec + hOff, rows * H);
  }
}
function runJob(x, g, c, work, memory) {
  switch (c[2]) {
    case ${JOB_GEMV16}: x.gemv16(c[3], c[4], c[5], c[6], c[7], c[8]); break;
    case ${JOB_LSTM_FORWARD_ROWS}: lstmForwardRows(x, g, c, work, memory); break;
    case ${JOB_LSTM_BACKWARD_ROWS}: lstmBackwardRows(x, g, c, work, memory); break;
    default: x.gemm_rows(c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11], c[12], c[13], work, c[14]);
  }
}
`;

/** Runs the job in slot `c` (see JOBS_SOURCE). */
export type JobRunner = (x: unknown, g: unknown, c: Int32Array, work: number, memory: WebAssembly.Memory) => void;
let runner: JobRunner | null = null;

/** The caller's copy of `runJob` (built from the same source text as the helpers'). */
export function jobRunner(): JobRunner {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  runner ??= new Function(`${JOBS_SOURCE}; return runJob;`)() as JobRunner;
  return runner;
}

/**
 * Claims job `s` of a slot for the calling thread: true for exactly one of the threads that try. Sequence numbers
 * are int32 and wrap, so "not yet claimed" is the modular comparison claimed-before-s.
 */
function claim(c: Int32Array, s: number): boolean {
  for (;;) {
    const cl = Atomics.load(c, CLAIM);
    if (((s - cl) | 0) <= 0) return false;
    if (Atomics.compareExchange(c, CLAIM, cl, s) === cl) return true;
  }
}

/**
 * The helper's loop, as source text for Node's `new Worker(src, { eval: true, workerData })`.
 * workerData: { module, gateModule, memory, ctrl, slot, work }.
 */
export const GEMM_WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, gateModule, memory, ctrl, slot, work } = workerData;
const x = new WebAssembly.Instance(module, { env: { memory } }).exports;
const g = new WebAssembly.Instance(gateModule, { env: { memory } }).exports;
${JOBS_SOURCE}
const c = new Int32Array(ctrl, slot * ${SLOT_INTS * 4}, ${SLOT_INTS});
let last = 0;
for (;;) {
  let s;
  let spins = 0;
  while ((s = Atomics.load(c, 0)) === last) {
    if (++spins > 200000) { Atomics.wait(c, 0, last); spins = 0; }
  }
  last = s;
  // claim(c, s), as in parallel.ts
  let mine = false;
  for (;;) {
    const cl = Atomics.load(c, ${CLAIM});
    if (((s - cl) | 0) <= 0) break;
    if (Atomics.compareExchange(c, ${CLAIM}, cl, s) === cl) { mine = true; break; }
  }
  if (!mine) continue;
  try {
    runJob(x, g, c, work, memory);
    c[15] = 0;
  } catch (e) {
    c[15] = 1;
  }
  Atomics.store(c, 1, s);
  Atomics.notify(c, 1);
}
`;

/** The caller's side: posts jobs to the helpers, runs unclaimed ones itself, and waits for the rest. */
export class ParallelGemm {
  private readonly slots: Int32Array[];
  private seq = 0;
  /** Jobs the caller ran itself because no helper had claimed them (a measure of how busy the machine is). */
  stolen = 0;

  /** `ctrl` holds one slot per helper; `helpers` helpers are already looping on it. */
  constructor(
    ctrl: SharedArrayBuffer,
    readonly helpers: number,
  ) {
    if (ctrl.byteLength < helpers * SLOT_INTS * 4)
      throw new ValueError(
        `ParallelGemm: ${helpers} helpers need ${helpers * SLOT_INTS * 4} control bytes, got ${ctrl.byteLength}`,
      );
    this.slots = Array.from({ length: helpers }, (_, i) => new Int32Array(ctrl, i * SLOT_INTS * 4, SLOT_INTS));
  }

  /** Threads taking part in a product: the helpers and the caller. */
  get threads(): number {
    return this.helpers + 1;
  }

  /** Hands job `job` with arguments `args` (slots 3…14) to helper h. */
  post(h: number, args: readonly number[], job = JOB_GEMM_ROWS): void {
    const c = this.slots[h]!;
    c[2] = job;
    for (let i = 0; i < args.length; i++) c[3 + i] = args[i]!;
    Atomics.store(c, 0, this.seq);
    Atomics.notify(c, 0);
  }

  /** Starts a round of jobs (call before post). */
  begin(): void {
    this.seq = (this.seq + 1) | 0; // int32, as stored in the slots
  }

  /**
   * Finishes the round: jobs 0…n-1 that no helper has claimed are run here by `runHere` (given the job's slot); the
   * others are waited for. Throws if a helper's job trapped.
   */
  wait(n: number, runHere: (c: Int32Array) => void): void {
    const seq = this.seq;
    for (let h = 0; h < n; h++) {
      const c = this.slots[h]!;
      if (claim(c, seq)) {
        this.stolen++;
        runHere(c);
        continue;
      }
      let spins = 0;
      while (Atomics.load(c, 1) !== seq) {
        if (++spins > 20000) {
          Atomics.wait(c, 1, Atomics.load(c, 1), 1000);
          spins = 0;
        }
      }
      if (c[15] !== 0) throw new ValueError('parallel gemm: a helper thread trapped (out-of-bounds operands?)');
    }
  }
}

/** Splits [0, n) into `parts` ranges whose inner bounds are multiples of `align` (empty ranges dropped). */
export function splitRange(n: number, parts: number, align: number): [number, number][] {
  const out: [number, number][] = [];
  let start = 0;
  for (let p = 1; p <= parts; p++) {
    const end = p === parts ? n : Math.min(n, Math.round((n * p) / parts / align) * align);
    if (end > start) out.push([start, end]);
    start = Math.max(start, end);
  }
  return out;
}
