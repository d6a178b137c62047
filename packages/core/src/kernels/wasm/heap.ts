import { ValueError } from '../../errors.js';

const PAGE = 65536;
const ALIGN = 16;

/** A float32 region of wasm memory owned by one caller until `free()`. */
export interface WasmBuffer {
  /** Byte offset in the wasm memory (16-byte aligned). */
  readonly ptr: number;
  /** Number of float32 elements. */
  readonly length: number;
  /** A view of the region. Re-acquire after any allocation: growing the memory detaches old views. */
  view(): Float32Array;
  free(): void;
}

interface Span {
  start: number;
  size: number;
}

/**
 * First-fit allocator over a growable `WebAssembly.Memory`. Buffers stay where they are (the memory grows in place),
 * so kernels can keep weights resident across calls and refer to them by `ptr`.
 */
export class WasmHeap {
  private readonly freeSpans: Span[] = [];
  private top: number;
  private f32: Float32Array;

  constructor(readonly memory: WebAssembly.Memory) {
    this.top = ALIGN; // offset 0 is never handed out, so a 0 pointer is always a bug
    this.f32 = new Float32Array(memory.buffer);
  }

  /** A Float32Array over the whole memory, refreshed after growth. */
  floats(): Float32Array {
    if (this.f32.buffer !== this.memory.buffer) this.f32 = new Float32Array(this.memory.buffer);
    return this.f32;
  }

  /** Bytes currently reserved (in use or free below the top). */
  get reservedBytes(): number {
    return this.top;
  }

  /** Allocates `length` float32 elements (contents unspecified). */
  alloc(length: number): WasmBuffer {
    if (!Number.isInteger(length) || length < 0)
      throw new ValueError(`WasmHeap.alloc: length must be a non-negative integer, got ${length}`);
    const size = Math.max(ALIGN, Math.ceil((length * 4) / ALIGN) * ALIGN);
    let ptr = -1;
    for (let i = 0; i < this.freeSpans.length; i++) {
      const s = this.freeSpans[i]!;
      if (s.size < size) continue;
      ptr = s.start;
      if (s.size === size) this.freeSpans.splice(i, 1);
      else {
        s.start += size;
        s.size -= size;
      }
      break;
    }
    if (ptr < 0) {
      ptr = this.top;
      const end = ptr + size;
      if (end > 2 ** 32 - PAGE)
        throw new ValueError(`WasmHeap.alloc: ${length} floats do not fit in 4 GiB of wasm memory`);
      const have = this.memory.buffer.byteLength;
      if (end > have) this.memory.grow(Math.ceil((end - have) / PAGE));
      this.top = end;
    }
    return this.makeBuffer(ptr, length, size);
  }

  private makeBuffer(ptr: number, length: number, size: number): WasmBuffer {
    let freed = false;
    return {
      ptr,
      length,
      view: () => {
        if (freed) throw new ValueError('WasmBuffer used after free()');
        return this.floats().subarray(ptr >> 2, (ptr >> 2) + length);
      },
      free: () => {
        if (freed) throw new ValueError('WasmBuffer freed twice');
        freed = true;
        this.release(ptr, size);
      },
    };
  }

  private release(start: number, size: number): void {
    const spans = this.freeSpans;
    let i = 0;
    while (i < spans.length && spans[i]!.start < start) i++;
    spans.splice(i, 0, { start, size });
    // merge with the next, then with the previous span
    if (i + 1 < spans.length && start + size === spans[i + 1]!.start) {
      spans[i]!.size += spans[i + 1]!.size;
      spans.splice(i + 1, 1);
    }
    if (i > 0 && spans[i - 1]!.start + spans[i - 1]!.size === start) {
      spans[i - 1]!.size += spans[i]!.size;
      spans.splice(i, 1);
      i--;
    }
    const last = spans[spans.length - 1];
    if (last && last.start + last.size === this.top) {
      this.top = last.start;
      spans.pop();
    }
  }
}
