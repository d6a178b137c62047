// Scratch memory shared by the resident recurrent kernels (lstm-wasm.ts, lstm-wasm-backward.ts).
import type { GateKernels } from '../wasm/gate-kernels.js';
import type { WasmBuffer } from '../wasm/heap.js';

/**
 * A `WasmBuffer`-shaped view of `length` floats at byte offset `ptr` (part of a workspace; not separately freeable).
 */
export function region(ptr: number, length: number): WasmBuffer {
  return { ptr, length, view: () => new Float32Array(0), free: () => undefined };
}

const workspaces = new WeakMap<GateKernels, WasmBuffer>();

/**
 * The per-instance scratch region, grown to at least `floats` and reused by every call, so a training loop does not
 * allocate wasm memory per step. One user at a time: callers use it synchronously and keep nothing in it.
 */
export function workspace(k: GateKernels, floats: number): WasmBuffer {
  let ws = workspaces.get(k);
  if (!ws || ws.length < floats) {
    ws?.free();
    ws = k.gemm.heap.alloc(Math.ceil(floats * 1.25));
    workspaces.set(k, ws);
  }
  return ws;
}

/** n rounded up to a multiple of 4 floats (16 bytes), so every region stays SIMD-aligned. */
export const al = (n: number): number => (n + 3) & ~3;
