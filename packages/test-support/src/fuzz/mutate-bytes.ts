// Structure-aware byte mutations of a valid file: truncation, bit flips, extreme integers at the places a format keeps
// its sizes and offsets, splices of two valid files, repeated and deleted ranges.
import type { FuzzRandom } from './random.js';

/** Integers a length, count or offset field should never be trusted with. */
export const EXTREME_INTEGERS: readonly number[] = [
  0, 1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff, 0x10000, 0x100000, 0x1000000,
];

export interface ByteMutationOptions {
  /** Other valid files of the same format (splice sources). */
  others?: readonly Uint8Array[];
  /** Byte positions that hold sizes, counts or offsets in the valid file (overwritten with extreme integers). */
  hotOffsets?: readonly number[];
  /** How many mutations to stack (default 1–3). */
  count?: number;
}

function writeInteger(out: Uint8Array, at: number, value: number, width: 1 | 2 | 4 | 8, littleEndian: boolean): void {
  const big = BigInt.asUintN(64, BigInt(Math.trunc(value)));
  for (let i = 0; i < width && at + i < out.length; i++) {
    const shift = BigInt(8 * (littleEndian ? i : width - 1 - i));
    out[at + i] = Number((big >> shift) & 0xffn);
  }
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The names of the single mutations, as `mutateBytes` reports them. */
export type ByteMutation =
  | 'truncate'
  | 'bit-flip'
  | 'extreme-byte'
  | 'extreme-integer'
  | 'splice'
  | 'repeat-range'
  | 'delete-range'
  | 'insert-random'
  | 'append-junk';

const BYTE_MUTATIONS: readonly ByteMutation[] = [
  'truncate',
  'bit-flip',
  'extreme-byte',
  'extreme-integer',
  'extreme-integer',
  'splice',
  'repeat-range',
  'delete-range',
  'insert-random',
  'append-junk',
];

/** One mutation of `input` (a new array; `input` is untouched). */
export function mutateBytesOnce(
  random: FuzzRandom,
  input: Uint8Array,
  kind: ByteMutation,
  options: ByteMutationOptions = {},
): Uint8Array {
  const n = input.length;
  switch (kind) {
    case 'truncate':
      return input.slice(0, random.chance(0.3) ? random.int(Math.min(n, 64) + 1) : random.int(n + 1));
    case 'bit-flip': {
      const out = input.slice();
      for (let i = random.between(1, 8); i > 0 && n > 0; i--) {
        const at = random.int(n);
        out[at] = (out[at] ?? 0) ^ (1 << random.int(8));
      }
      return out;
    }
    case 'extreme-byte': {
      const out = input.slice();
      if (n > 0) out[random.int(n)] = random.pick([0x00, 0xff, 0x7f, 0x80, 0x20, 0x22, 0x5c, 0x7b]);
      return out;
    }
    case 'extreme-integer': {
      const out = input.slice();
      const hot = options.hotOffsets ?? [];
      const at = hot.length > 0 && random.chance(0.7) ? random.pick(hot) : random.int(Math.max(1, n));
      const value = random.chance(0.8) ? random.pick(EXTREME_INTEGERS) : random.next();
      writeInteger(out, at, value, random.pick([1, 2, 4, 4, 8] as const), random.chance(0.5));
      return out;
    }
    case 'splice': {
      const others = options.others ?? [];
      const other = others.length > 0 ? random.pick(others) : input;
      return concat(input.subarray(0, random.int(n + 1)), other.subarray(random.int(other.length + 1)));
    }
    case 'repeat-range': {
      const start = random.int(n + 1);
      const end = Math.min(n, start + random.between(1, 256));
      const piece = input.subarray(start, end);
      const copies = random.chance(0.1) ? random.between(100, 2000) : random.between(1, 4);
      return concat(input.subarray(0, end), ...Array.from({ length: copies }, () => piece), input.subarray(end));
    }
    case 'delete-range': {
      const start = random.int(n + 1);
      const end = Math.min(n, start + random.between(1, 64));
      return concat(input.subarray(0, start), input.subarray(end));
    }
    case 'insert-random': {
      const at = random.int(n + 1);
      return concat(input.subarray(0, at), random.bytes(random.between(1, 16)), input.subarray(at));
    }
    case 'append-junk':
      return concat(input, random.bytes(random.between(1, 64)));
  }
}

/** 1–3 stacked mutations of a valid file. */
export function mutateBytes(random: FuzzRandom, input: Uint8Array, options: ByteMutationOptions = {}): Uint8Array {
  let out = input;
  for (let i = options.count ?? random.between(1, 3); i > 0; i--)
    out = mutateBytesOnce(random, out, random.pick(BYTE_MUTATIONS), options);
  return out;
}
