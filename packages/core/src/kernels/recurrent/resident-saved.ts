// What a float32 LSTM direction saves for backward, kept in wasm memory so the backward kernel reads it in place
// (no copy out after the forward, no copy in before the backward). Copies to JS arrays are made only when needed:
// for the TypeScript backward path, or when the arena must be reclaimed while its graph can still run backward.
import type { GateKernels } from '../wasm/gate-kernels.js';
import type { WasmBuffer } from '../wasm/heap.js';
import { al } from './wasm-workspace.js';

/** The saved buffers as JS arrays (layouts as in lstmSequenceForward). */
export interface LstmSavedArrays {
  gates: Float32Array;
  hs: Float32Array;
  cs: Float32Array;
  tanhC: Float32Array;
}

/**
 * Live arenas may hold this many floats (64 MB by default) before the oldest ones are copied out and reclaimed —
 * wasm memory never shrinks, so this bounds what graphs that are kept but never run backward can pin there.
 */
let budgetFloats = 16 * 1024 * 1024;

const live: ResidentSaved[] = [];

/** gates [T·B, 4H], state slots hs/cs [T+1, B, H] and tanh(c) [T·B, H] of one direction, resident. */
export class ResidentSaved {
  /** Float offsets of each array inside the arena. */
  readonly oGates = 0;
  readonly oHs: number;
  readonly oCs: number;
  readonly oTc: number;
  readonly floats: number;
  private buf: WasmBuffer | null;
  private js: LstmSavedArrays | null = null;
  /**
   * Whether the autograd graph that owns these buffers can still run backward; set by the layer once the graph
   * node exists (until then, and when nobody sets it, the arena counts as needed).
   */
  alive: () => boolean = () => true;

  readonly TB: number;
  readonly G: number;
  readonly slotFloats: number;
  readonly H: number;

  /** Room for T·B rows of G gates, two state-slot arrays of `slotFloats` and T·B rows of tanh(c) (H each). */
  constructor(
    private readonly k: GateKernels,
    size: { TB: number; G: number; slotFloats: number; H: number },
  ) {
    const { TB, G, slotFloats, H } = size;
    this.TB = TB;
    this.G = G;
    this.slotFloats = slotFloats;
    this.H = H;
    this.oHs = al(TB * G);
    this.oCs = this.oHs + al(slotFloats);
    this.oTc = this.oCs + al(slotFloats);
    this.floats = this.oTc + al(TB * H);
    reclaim(this.floats);
    this.buf = k.gemm.heap.alloc(this.floats);
    live.push(this);
  }

  /** Byte address of the arena in wasm memory, or null once it was reclaimed (use `arrays()` then). */
  get ptr(): number | null {
    return this.buf ? this.buf.ptr : null;
  }

  /** The saved buffers as JS arrays, copied out of wasm memory on first use. */
  arrays(): LstmSavedArrays {
    if (this.js) return this.js;
    if (!this.buf) throw new Error('internal: LSTM saved buffers were reclaimed after their graph was freed');
    const mem = this.k.gemm.heap.floats();
    const f = this.buf!.ptr >> 2;
    this.js = {
      gates: mem.slice(f + this.oGates, f + this.oGates + this.TB * this.G),
      hs: mem.slice(f + this.oHs, f + this.oHs + this.slotFloats),
      cs: mem.slice(f + this.oCs, f + this.oCs + this.slotFloats),
      tanhC: mem.slice(f + this.oTc, f + this.oTc + this.TB * this.H),
    };
    return this.js;
  }

  /** Gives the wasm memory back, copying the data out first if the graph may still need it. */
  reclaim(): void {
    if (!this.buf) return;
    if (this.alive()) this.arrays();
    this.buf.free();
    this.buf = null;
    const i = live.indexOf(this);
    if (i >= 0) live.splice(i, 1);
  }
}

/** Frees arenas whose graphs are gone, then copies out the oldest until `need` more floats fit in the budget. */
function reclaim(need: number): void {
  for (const r of live.slice()) if (!r.alive()) r.reclaim();
  let used = 0;
  for (const r of live) used += r.floats;
  while (live.length > 0 && used + need > budgetFloats) {
    const oldest = live[0]!;
    used -= oldest.floats;
    oldest.reclaim();
  }
}

/**
 * Sets the budget of resident saved floats (tests use a tiny one to exercise the copy-out path); returns the old one.
 */
export function setResidentSavedBudget(floats: number): number {
  const old = budgetFloats;
  budgetFloats = floats;
  return old;
}

/** Number of arenas currently holding wasm memory. */
export function residentSavedCount(): number {
  return live.length;
}
