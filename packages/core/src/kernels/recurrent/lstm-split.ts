// With helper threads (initWasmThreads), an LSTM direction's step loops are split by batch rows: each thread runs
// the whole forward (or backward) loop for its own rows — its rows of the recurrent product (gemm_rows) and of the
// gate kernel — with no hand-off per time step, because the rows of a batch are independent sequences. The row
// loops are the same source text on every thread (parallel.ts, JOBS_SOURCE), and a row range gives the bits of the
// unsplit loop.
import type { GateKernels } from '../wasm/gate-kernels.js';
import type { PackedB } from '../wasm/kernels.js';
import {
  JOB_LSTM_BACKWARD_ROWS,
  JOB_LSTM_FORWARD_ROWS,
  PARALLEL_MIN_MACS,
  SLOT_INTS,
  jobRunner,
} from '../wasm/parallel.js';

/** Whether the step loops of a B-row, H-wide direction are worth splitting across the helper threads. */
export function splitsRows(k: GateKernels, B: number, H: number): boolean {
  return k.gemm.threads > 1 && B >= 8 && B * 4 * H * H >= PARALLEL_MIN_MACS;
}

/** int32 view of `ints` at byte offset `ptr` of the kernels' memory (taken after any allocation). */
function table(k: GateKernels, ptr: number, ints: number): Int32Array {
  return new Int32Array(k.gemm.heap.memory.buffer, ptr, ints);
}

/** A split LSTM loop over T steps of B rows (byte pointers into the kernels' memory). */
interface SplitLoopArgs {
  T: number;
  B: number;
  H: number;
  /** Writes the pointers of one step into the step table at `at`. */
  steps: (s: number, e: Int32Array, at: number) => void;
  tablePtr: number;
  packed: PackedB;
  /** The [B, 4H] product buffer. */
  rec: number;
}

export type SplitForwardArgs = SplitLoopArgs;

export interface SplitBackwardArgs extends SplitLoopArgs {
  /** The float64 carries ∂L/∂h and ∂L/∂c ([B, H]). */
  dh: number;
  dc: number;
}

/**
 * Forward loop split by rows. `steps[s]` are the 7 byte pointers of step s (row 0): gates_t, h_in, c_in, c_out,
 * h_out, tanhC_t or 0, out_t; written to `tablePtr` (7·T int32). `rec` is the [B, 4H] product buffer.
 */
export function splitLstmForward(k: GateKernels, a: SplitForwardArgs): void {
  const { T, B, H, steps, tablePtr, packed, rec } = a;
  const tab = table(k, tablePtr, T * 7);
  for (let s = 0; s < T; s++) steps(s, tab, s * 7);
  const args = (r0: number, r1: number): number[] => [T, B, H, r0, r1, tablePtr, packed.buffer.ptr, rec];
  run(k, B, JOB_LSTM_FORWARD_ROWS, args);
}

/**
 * Backward loop split by rows. `steps(q, …)` writes the 5 byte pointers of processing step q (q = 0 is the last time
 * step): gates_t, tanhC_t, c_in, dOut_t, dG_t. `packed` is W_hh as the K×N right operand (4H × H); dh, dc are the
 * float64 carries.
 */
export function splitLstmBackward(k: GateKernels, a: SplitBackwardArgs): void {
  const { T, B, H, steps, tablePtr, packed, rec, dh, dc } = a;
  const tab = table(k, tablePtr, T * 5);
  for (let q = 0; q < T; q++) steps(q, tab, q * 5);
  const args = (r0: number, r1: number): number[] => [T, B, H, r0, r1, tablePtr, packed.buffer.ptr, rec, dh, dc];
  run(k, B, JOB_LSTM_BACKWARD_ROWS, args);
}

/** The job over all B rows: the helpers' ranges posted, this thread's run through the same job runner. */
function run(k: GateKernels, B: number, job: number, args: (r0: number, r1: number) => number[]): void {
  const gemm = k.gemm;
  const here = (c: Int32Array): void => jobRunner()(gemm.rawExports, k.exports, c, gemm.workPtr, gemm.heap.memory);
  // this thread's range, laid out like a helper's slot (the job runner reads [2] and the arguments from [3])
  const own = new Int32Array(SLOT_INTS);
  own[2] = job;
  gemm.splitRows(
    B,
    4,
    job,
    args,
    (r0, r1) => {
      own.set(args(r0, r1), 3);
      here(own);
    },
    here,
  );
}
