import { Tensor } from '../tensor/tensor.js';
import { allocate, type DType, type Storage } from '../tensor/dtype.js';
import { float16Bits } from './float16.js';
import { describeValue, FormatError, shortText, ValueError } from '../errors.js';

/**
 * Safetensors encode/decode on bytes — browser-safe (no Node APIs).
 * Layout: 8-byte little-endian u64 header length N, N bytes of UTF-8 JSON
 * `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {string: string}}` (padded with
 * spaces), then the data buffer; offsets are relative to the buffer and tensors are packed without gaps.
 */

/** Element dtypes this reader understands, with their byte sizes. */
export const SAFETENSORS_DTYPE_SIZES = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U64: 8,
  U32: 4,
  U16: 2,
  U8: 1,
  BOOL: 1,
} as const;
export type SafetensorsDType = keyof typeof SAFETENSORS_DTYPE_SIZES;

/** The largest header accepted, as in the reference implementation (guards against absurd lengths). */
export const MAX_HEADER_BYTES = 100_000_000;

export interface DecodedSafetensors {
  tensors: Record<string, Tensor>;
  /** The `__metadata__` strings ({} when absent). */
  metadata: Record<string, string>;
  /** Each tensor's dtype as stored in the file. */
  dtypes: Record<string, SafetensorsDType>;
}

export interface DecodeOptions {
  /**
   * dtype of every returned tensor. Default: F64 tensors stay float64, all others (F32, F16, BF16 and
   * the integer and BOOL types) become float32 values. I64/U64 beyond 2^53 cannot be represented exactly.
   */
  dtype?: DType;
}

export interface EncodeOptions {
  /** Write every tensor in this dtype (F32 or F64). Default: each tensor's own dtype. */
  dtype?: DType;
  /**
   * 'F16': store every tensor in half precision (PyTorch's `.half()`; read back as float32), rounding to nearest even.
   * A finite value beyond ±65504 is a ValueError naming the tensor. Overrides `dtype`.
   */
  storage?: 'F16';
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** Convert `count` elements of `dtype` starting at `bytes[start]` into `out`. */
function readElements(bytes: Uint8Array, start: number, count: number, dtype: SafetensorsDType, out: Storage): void {
  const size = SAFETENSORS_DTYPE_SIZES[dtype];
  const end = start + count * size;
  if (
    LITTLE_ENDIAN &&
    ((dtype === 'F32' && out instanceof Float32Array) || (dtype === 'F64' && out instanceof Float64Array))
  ) {
    // Copy into a fresh, aligned buffer of exactly this size; the host byte order matches the file's. (Not
    // bytes.slice(): a Node Buffer's slice shares memory and small Buffers live at an offset in a shared pool.)
    const fresh = new Uint8Array(end - start);
    fresh.set(bytes.subarray(start, end));
    const copy = fresh.buffer;
    out.set(dtype === 'F32' ? new Float32Array(copy) : new Float64Array(copy));
    return;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + start, count * size);
  const bf = new DataView(new ArrayBuffer(4));
  for (let i = 0; i < count; i++) {
    const o = i * size;
    let v: number;
    switch (dtype) {
      case 'F64':
        v = view.getFloat64(o, true);
        break;
      case 'F32':
        v = view.getFloat32(o, true);
        break;
      case 'F16':
        v = halfToFloat(view.getUint16(o, true));
        break;
      case 'BF16':
        bf.setUint32(0, view.getUint16(o, true) << 16);
        v = bf.getFloat32(0);
        break;
      case 'I64':
        v = Number(view.getBigInt64(o, true));
        break;
      case 'U64':
        v = Number(view.getBigUint64(o, true));
        break;
      case 'I32':
        v = view.getInt32(o, true);
        break;
      case 'U32':
        v = view.getUint32(o, true);
        break;
      case 'I16':
        v = view.getInt16(o, true);
        break;
      case 'U16':
        v = view.getUint16(o, true);
        break;
      case 'I8':
        v = view.getInt8(o);
        break;
      case 'U8':
        v = view.getUint8(o);
        break;
      case 'BOOL': {
        const b = view.getUint8(o);
        if (b > 1) throw new FormatError(`safetensors: BOOL element ${i} has byte value ${b} (must be 0 or 1)`);
        v = b;
        break;
      }
    }
    out[i] = v;
  }
}

interface Entry {
  name: string;
  dtype: SafetensorsDType;
  shape: number[];
  begin: number;
  end: number;
  count: number;
}

function parseEntry(name: string, raw: unknown, bufferBytes: number): Entry {
  const where = `safetensors: tensor '${shortText(name)}'`;
  if (!isPlainObject(raw))
    throw new FormatError(`${where}: header entry must be an object {dtype, shape, data_offsets}`);
  const { dtype, shape, data_offsets: offsets } = raw;
  if (dtype === undefined) throw new FormatError(`${where}: missing field 'dtype'`);
  if (shape === undefined) throw new FormatError(`${where}: missing field 'shape'`);
  if (offsets === undefined) throw new FormatError(`${where}: missing field 'data_offsets'`);
  if (typeof dtype !== 'string' || !Object.hasOwn(SAFETENSORS_DTYPE_SIZES, dtype)) {
    throw new FormatError(
      `${where}: unsupported dtype ${describeValue(dtype)} (supported: ` +
        `${Object.keys(SAFETENSORS_DTYPE_SIZES).join(', ')})`,
    );
  }
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new FormatError(`${where}: shape must be a list of non-negative integers, got ${describeValue(shape)}`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
    throw new FormatError(
      `${where}: data_offsets must be [begin, end] non-negative integers, got ${describeValue(offsets)}`,
    );
  }
  const [begin, end] = offsets as [number, number];
  if (end < begin) throw new FormatError(`${where}: data_offsets [${begin}, ${end}] end before they begin`);
  if (end > bufferBytes)
    throw new FormatError(
      `${where}: data_offsets [${begin}, ${end}] run past the end of the ${bufferBytes}-byte data buffer`,
    );
  let count = 1;
  for (const d of shape as number[]) count *= d;
  const size = SAFETENSORS_DTYPE_SIZES[dtype as SafetensorsDType];
  if (count * size !== end - begin) {
    throw new FormatError(
      `${where}: shape [${shortText((shape as number[]).join(', '))}] of ${dtype} needs ${count * size} bytes but ` +
        `data_offsets [${begin}, ${end}] span ${end - begin}`,
    );
  }
  return { name, dtype: dtype as SafetensorsDType, shape: shape as number[], begin, end, count };
}

/**
 * Read a safetensors file from bytes. Every part is validated before any tensor is built — lengths,
 * UTF-8, JSON, fields, dtypes, shapes, offsets (in range, matching dtype × elements, contiguous without
 * gaps or overlaps, covering the buffer exactly) — and each problem is a FormatError naming it.
 */
export function decodeSafetensors(input: Uint8Array | ArrayBuffer, options: DecodeOptions = {}): DecodedSafetensors {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  if (bytes.length < 8)
    throw new FormatError(`safetensors: ${bytes.length} bytes is too short (the header length alone takes 8)`);
  const n = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_BYTES))
    throw new FormatError(`safetensors: header length ${n} is larger than the ${MAX_HEADER_BYTES}-byte limit`);
  const headerBytes = Number(n);
  if (8 + headerBytes > bytes.length) {
    throw new FormatError(
      `safetensors: header length ${headerBytes} runs past the end of the ${bytes.length}-byte file (truncated?)`,
    );
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerBytes));
  } catch {
    throw new FormatError('safetensors: header is not valid UTF-8');
  }
  if (!text.startsWith('{')) throw new FormatError("safetensors: header must be a JSON object starting with '{'");
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    throw new FormatError(`safetensors: header is not valid JSON (${(e as Error).message})`);
  }
  if (!isPlainObject(header)) throw new FormatError('safetensors: header must be a JSON object');

  const metadata: Record<string, string> = {};
  const rawMeta = header.__metadata__;
  if (rawMeta !== undefined) {
    if (!isPlainObject(rawMeta)) throw new FormatError('safetensors: __metadata__ must be an object of strings');
    for (const [k, v] of Object.entries(rawMeta)) {
      if (typeof v !== 'string')
        throw new FormatError(
          `safetensors: __metadata__ value '${shortText(k)}' must be a string, got ${describeValue(v)}`,
        );
      metadata[k] = v;
    }
  }

  const bufferStart = 8 + headerBytes;
  const bufferBytes = bytes.length - bufferStart;
  const entries = Object.entries(header)
    .filter(([name]) => name !== '__metadata__')
    .map(([name, raw]) => parseEntry(name, raw, bufferBytes));
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let pos = 0;
  let previous = '';
  for (const e of entries) {
    if (e.begin > pos)
      throw new FormatError(
        `safetensors: tensor '${shortText(e.name)}' starts at byte ${e.begin}, leaving a gap after ` +
          `${previous ? `'${shortText(previous)}'` : 'the buffer start'} (which ends at ${pos})`,
      );
    if (e.begin < pos)
      throw new FormatError(
        `safetensors: tensor '${shortText(e.name)}' [${e.begin}, ${e.end}] overlaps '${shortText(previous)}', ` +
          `which ends at ${pos}`,
      );
    pos = e.end;
    previous = e.name;
  }
  if (pos !== bufferBytes)
    throw new FormatError(
      `safetensors: ${bufferBytes - pos} trailing bytes after the last tensor (data buffer is ${bufferBytes} ` +
        `bytes, tensors cover ${pos})`,
    );

  const tensors: Record<string, Tensor> = {};
  const dtypes: Record<string, SafetensorsDType> = {};
  for (const e of entries) {
    const dtype: DType = options.dtype ?? (e.dtype === 'F64' ? 'float64' : 'float32');
    const data = allocate(dtype, e.count);
    try {
      readElements(bytes, bufferStart + e.begin, e.count, e.dtype, data);
    } catch (err) {
      throw new FormatError(`${(err as Error).message} in tensor '${shortText(e.name)}'`);
    }
    tensors[e.name] = new Tensor(data, e.shape);
    dtypes[e.name] = e.dtype;
  }
  return { tensors, metadata, dtypes };
}

/** Byte-wise comparison of the UTF-8 encodings, the order Rust's String sort gives. */
function compareUtf8(a: string, b: string): number {
  const enc = new TextEncoder();
  const x = enc.encode(a);
  const y = enc.encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

/**
 * Write tensors (F32 for float32, F64 for float64) in the exact layout of the Python safetensors library:
 * tensors ordered by dtype (F64 before F32) then name, compact JSON header with `__metadata__` first
 * (only when given), padded with spaces to a multiple of 8 bytes, data packed in that order.
 */
export function encodeSafetensors(
  tensors: Record<string, Tensor>,
  metadata?: Record<string, string> | null,
  options: EncodeOptions = {},
): Uint8Array {
  if (!isPlainObject(tensors)) throw new ValueError('encodeSafetensors: tensors must be an object of name → Tensor');
  const items = Object.entries(tensors).map(([name, t]) => {
    if (name === '__metadata__')
      throw new ValueError("encodeSafetensors: '__metadata__' is reserved and cannot name a tensor");
    if (!(t instanceof Tensor)) throw new ValueError(`encodeSafetensors: '${name}' is not a Tensor`);
    const dtype = options.dtype ?? t.dtype;
    const code: 'F64' | 'F32' | 'F16' = options.storage === 'F16' ? 'F16' : dtype === 'float64' ? 'F64' : 'F32';
    return { name, t, code };
  });
  items.sort((a, b) => (a.code === b.code ? compareUtf8(a.name, b.name) : a.code === 'F64' ? -1 : 1));

  const parts: string[] = [];
  if (metadata !== undefined && metadata !== null) {
    if (!isPlainObject(metadata)) throw new ValueError('encodeSafetensors: metadata must be an object of strings');
    const keys = Object.keys(metadata).sort(compareUtf8);
    for (const k of keys) {
      if (typeof metadata[k] !== 'string')
        throw new ValueError(`encodeSafetensors: metadata '${k}' must be a string, got ${typeof metadata[k]}`);
    }
    parts.push(`"__metadata__":{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(metadata[k])}`).join(',')}}`);
  }
  let offset = 0;
  const layout = items.map((it) => {
    const bytes = it.t.size * SAFETENSORS_DTYPE_SIZES[it.code];
    const begin = offset;
    offset += bytes;
    parts.push(
      `${JSON.stringify(it.name)}:{"dtype":"${it.code}","shape":[${it.t.shape.join(',')}],` +
        `"data_offsets":[${begin},${offset}]}`,
    );
    return { ...it, begin };
  });
  const json = new TextEncoder().encode(`{${parts.join(',')}}`);
  const headerBytes = json.length + ((8 - (json.length % 8)) % 8);
  const out = new Uint8Array(8 + headerBytes + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerBytes);
  const base = 8 + headerBytes;
  const view = new DataView(out.buffer);
  for (const it of layout) {
    const src = it.t.data;
    const start = base + it.begin;
    const same = (it.code === 'F64') === src instanceof Float64Array;
    if (it.code === 'F16') {
      for (let i = 0; i < src.length; i++) {
        const v = src[i]!;
        if (Number.isFinite(v) && Math.abs(v) > 65504) {
          throw new ValueError(`encodeSafetensors: '${it.name}' holds ${v} at element ${i}, beyond float16's ±65504`);
        }
        view.setUint16(start + 2 * i, float16Bits(v), true);
      }
    } else if (LITTLE_ENDIAN && same) {
      out.set(new Uint8Array(src.buffer, src.byteOffset, src.byteLength), start);
    } else if (it.code === 'F64') {
      for (let i = 0; i < src.length; i++) view.setFloat64(start + 8 * i, src[i]!, true);
    } else {
      for (let i = 0; i < src.length; i++) view.setFloat32(start + 4 * i, src[i]!, true);
    }
  }
  return out;
}
