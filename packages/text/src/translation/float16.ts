import { ValueError, type Tensor } from '@recurrent/core';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE 754 binary16 bits of a number, rounded to nearest even (overflow → ±Infinity, NaN kept). */
export function float16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant !== 0 ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    // Subnormal: shift the mantissa (with its implicit 1) into place, rounding to nearest even.
    mant |= 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    const rest = mant & ((1 << shift) - 1);
    let h = mant >>> shift;
    if (rest > half || (rest === half && (h & 1) === 1)) h++;
    return sign | h;
  }
  let h = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && (h & 1) === 1)) h++; // a carry into the exponent is still correct
  return sign | h;
}

/** Byte-wise comparison of UTF-8 encodings (the tensor order of Python's safetensors). */
function compareUtf8(a: string, b: string): number {
  const enc = new TextEncoder();
  const x = enc.encode(a);
  const y = enc.encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

/**
 * Tensors as a safetensors file of F16 tensors (PyTorch `.half()` storage): tensors by name, compact JSON header
 * padded with spaces to a multiple of 8 bytes, as the Python library writes it. core's decodeSafetensors reads F16
 * back into float32 tensors. Values beyond ±65504 become ±Infinity, so a ValueError names such a tensor.
 */
export function encodeFloat16Safetensors(
  tensors: Record<string, Tensor>,
  metadata: Record<string, string> = {},
): Uint8Array {
  const names = Object.keys(tensors).sort(compareUtf8);
  const parts: string[] = [];
  const keys = Object.keys(metadata).sort(compareUtf8);
  if (keys.length > 0)
    parts.push(`"__metadata__":{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(metadata[k])}`).join(',')}}`);
  let offset = 0;
  for (const name of names) {
    const t = tensors[name]!;
    const end = offset + 2 * t.size;
    parts.push(
      `${JSON.stringify(name)}:{"dtype":"F16","shape":[${t.shape.join(',')}],"data_offsets":[${offset},${end}]}`,
    );
    offset = end;
  }
  const json = new TextEncoder().encode(`{${parts.join(',')}}`);
  const headerBytes = json.length + ((8 - (json.length % 8)) % 8);
  const out = new Uint8Array(8 + headerBytes + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerBytes);
  let at = 8 + headerBytes;
  for (const name of names) {
    const data = tensors[name]!.data;
    for (let i = 0; i < data.length; i++) {
      const v = data[i]!;
      if (Number.isFinite(v) && Math.abs(v) > 65504)
        throw new ValueError(`float16 storage: '${name}' holds ${v} at element ${i}, beyond float16's ±65504`);
      view.setUint16(at, float16Bits(v), true);
      at += 2;
    }
  }
  return out;
}
