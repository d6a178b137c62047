// Splits large products across helper threads that run the same kernels on the same shared wasm memory. Each
// helper owns a slot of 16 int32s in a SharedArrayBuffer: [0] job sequence number (written by the caller),
// [1] the last sequence it finished, [3…14] the gemm_rows arguments, [15] 1 when the job threw. Helpers spin
// briefly on the slot and then sleep in Atomics.wait; the caller runs its own share of the product meanwhile and then
// waits for every helper. Row ranges give bit-identical results (gemm_rows sums each element in the same order).
// Helpers live as long as the process (their threads are unref'd).
import { ValueError } from '../../errors.js';

export const SLOT_INTS = 16;

/** Products below this many multiply-adds run on one thread (the hand-off costs microseconds, more on a busy VM). */
export const PARALLEL_MIN_MACS = 1 << 21;

/**
 * The helper's loop, as source text for Node's `new Worker(src, { eval: true, workerData })`.
 * workerData: { module, memory, ctrl, slot, work }.
 */
export const GEMM_WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, ctrl, slot, work } = workerData;
const x = new WebAssembly.Instance(module, { env: { memory } }).exports;
const c = new Int32Array(ctrl, slot * ${SLOT_INTS * 4}, ${SLOT_INTS});
let last = 0;
for (;;) {
  let s;
  let spins = 0;
  while ((s = Atomics.load(c, 0)) === last) {
    if (++spins > 200000) { Atomics.wait(c, 0, last); spins = 0; }
  }
  last = s;
  try {
    x.gemm_rows(c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11], c[12], c[13], work, c[14]);
    c[15] = 0;
  } catch (e) {
    c[15] = 1;
  }
  Atomics.store(c, 1, s);
  Atomics.notify(c, 1);
}
`;

/** The caller's side: posts row ranges to the helpers and waits for them. */
export class ParallelGemm {
  private readonly slots: Int32Array[];
  private seq = 0;

  /** `ctrl` holds one slot per helper; `helpers` helpers are already looping on it. */
  constructor(
    ctrl: SharedArrayBuffer,
    readonly helpers: number,
  ) {
    if (ctrl.byteLength < helpers * SLOT_INTS * 4) throw new ValueError(`ParallelGemm: ${helpers} helpers need ${helpers * SLOT_INTS * 4} control bytes, got ${ctrl.byteLength}`);
    this.slots = Array.from({ length: helpers }, (_, i) => new Int32Array(ctrl, i * SLOT_INTS * 4, SLOT_INTS));
  }

  /** Threads taking part in a product: the helpers and the caller. */
  get threads(): number {
    return this.helpers + 1;
  }

  /** Hands the gemm_rows arguments `args` (slots 3…14) to helper h. */
  post(h: number, args: readonly number[]): void {
    const c = this.slots[h]!;
    for (let i = 0; i < args.length; i++) c[3 + i] = args[i]!;
    Atomics.store(c, 0, this.seq);
    Atomics.notify(c, 0);
  }

  /** Starts a round of jobs (call before post). */
  begin(): void {
    this.seq++;
  }

  /** Waits until helpers 0…n-1 finished the current round; throws if one of their jobs trapped. */
  wait(n: number): void {
    for (let h = 0; h < n; h++) {
      const c = this.slots[h]!;
      let spins = 0;
      while (Atomics.load(c, 1) !== this.seq) {
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
