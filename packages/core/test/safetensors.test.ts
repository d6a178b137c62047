import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Tensor } from '../src/tensor/tensor.js';
import { tensor } from '../src/tensor/creation.js';
import { Generator } from '../src/random.js';
import { FormatError, ShapeError, ValueError } from '../src/errors.js';
import { Linear } from '../src/nn/linear.js';
import { findReferenceDir } from '../src/io/paths.js';
import { decodeSafetensors, encodeSafetensors } from '../src/io/safetensors.js';
import { loadModule, loadSafetensorsFile, saveModule, saveSafetensorsFile } from '../src/io/safetensors-file.js';

/** A safetensors file from a header (object or raw string) and data bytes, padded like the writer. */
function build(
  header: unknown,
  data: ArrayLike<number> = [],
  options: { headerLength?: bigint; pad?: boolean } = {},
): Uint8Array {
  let json =
    header instanceof Uint8Array
      ? header
      : new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  if (options.pad ?? true) {
    const padded = new Uint8Array(json.length + ((8 - (json.length % 8)) % 8)).fill(0x20);
    padded.set(json);
    json = padded;
  }
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, options.headerLength ?? BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

const f32 = (...v: number[]): Uint8Array => new Uint8Array(new Float32Array(v).buffer);
const header = (dtype: string, shape: number[], offsets: number[]): object => ({
  t: { dtype, shape, data_offsets: offsets },
});

describe('safetensors encode/decode', () => {
  it('round-trips float32 and float64 tensors, scalars, empty tensors and metadata', () => {
    const g = new Generator(2);
    const tensors = {
      'b.weight': new Tensor(
        Float32Array.from({ length: 6 }, () => g.normal()),
        [2, 3],
      ),
      'a.bias': new Tensor(Float64Array.from([Math.PI, -1e-300, 1e300]), [3]),
      scalar: tensor(7, undefined, { dtype: 'float32' }),
      empty: new Tensor(new Float32Array(0), [0, 4]),
    };
    const bytes = encodeSafetensors(tensors, { format: 'pt', note: 'héllo "quoted"' });
    const back = decodeSafetensors(bytes);
    expect(back.metadata).toEqual({ format: 'pt', note: 'héllo "quoted"' });
    for (const [name, t] of Object.entries(tensors)) {
      expect(back.tensors[name]!.shape).toEqual(t.shape);
      expect(back.tensors[name]!.dtype).toBe(t.dtype);
      expect(Array.from(back.tensors[name]!.data)).toEqual(Array.from(t.data));
    }
    expect(back.dtypes).toEqual({ 'a.bias': 'F64', 'b.weight': 'F32', scalar: 'F32', empty: 'F32' });
    expect(decodeSafetensors(bytes.buffer as ArrayBuffer).tensors.scalar!.item()).toBe(7);
  });

  it('writes the Python library layout: F64 before F32, names sorted, compact header padded with spaces', () => {
    const bytes = encodeSafetensors(
      {
        b: tensor([1, 2], [2], { dtype: 'float32' }),
        c: tensor([3], [1], { dtype: 'float32' }),
        a: tensor([4], [1], { dtype: 'float64' }),
      },
      { format: 'pt' },
    );
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    const text = new TextDecoder().decode(bytes.subarray(8, 8 + n));
    const json =
      '{"__metadata__":{"format":"pt"},' +
      '"a":{"dtype":"F64","shape":[1],"data_offsets":[0,8]},' +
      '"b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]},' +
      '"c":{"dtype":"F32","shape":[1],"data_offsets":[16,20]}}';
    expect(n % 8).toBe(0);
    expect(text).toBe(json.padEnd(n, ' '));
    expect(bytes.length).toBe(8 + n + 20);
    expect(new TextDecoder().decode(encodeSafetensors({}).subarray(8))).toBe('{}      ');
    expect(
      decodeSafetensors(encodeSafetensors({ x: tensor([1.5], [1], { dtype: 'float64' }) }, null, { dtype: 'float32' }))
        .dtypes.x,
    ).toBe('F32');
  });

  it('decodes F16, BF16, integer and BOOL tensors to float32 values', () => {
    const cases: [string, number[], number[]][] = [
      ['F16', [0x00, 0x3c, 0x00, 0xc0, 0xff, 0x7b, 0x01, 0x00, 0x00, 0x7c], [1, -2, 65504, 2 ** -24, Infinity]],
      ['BF16', [0x80, 0x3f, 0x20, 0xc0], [1, -2.5]],
      ['I64', [0xfd, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 5, 0, 0, 0, 0, 0, 0, 0], [-3, 5]],
      ['I32', [0xff, 0xff, 0xff, 0xff], [-1]],
      ['I16', [0x00, 0x80], [-32768]],
      ['I8', [0x80, 0x7f], [-128, 127]],
      ['U8', [0, 255], [0, 255]],
      ['BOOL', [1, 0, 1], [1, 0, 1]],
    ];
    for (const [dtype, raw, want] of cases) {
      const out = decodeSafetensors(build(header(dtype, [want.length], [0, raw.length]), raw));
      expect(out.tensors.t!.dtype, dtype).toBe('float32');
      expect(Array.from(out.tensors.t!.data), dtype).toEqual(want);
      expect(out.dtypes.t).toBe(dtype);
    }
    const as64 = decodeSafetensors(build(header('F32', [2], [0, 8]), f32(0.1, 2)), { dtype: 'float64' }).tensors.t!;
    expect(as64.dtype).toBe('float64');
    expect(as64.toArray()).toEqual([Math.fround(0.1), 2]);
  });

  it('reads a file that is a view into a larger, unaligned buffer', () => {
    const file = build(header('F32', [2], [0, 8]), f32(1.5, -2));
    const big = new Uint8Array(file.length + 3);
    big.set(file, 3);
    expect(decodeSafetensors(big.subarray(3)).tensors.t!.toArray()).toEqual([1.5, -2]);
  });

  describe('rejects every corruption with a FormatError naming the problem', () => {
    const good = build(header('F32', [2], [0, 8]), f32(1, 2));
    const cases: [string, Uint8Array, RegExp][] = [
      ['shorter than 8 bytes', new Uint8Array(5), /5 bytes is too short/],
      [
        'header length past the end',
        build(header('F32', [2], [0, 8]), f32(1, 2), { headerLength: 4096n }),
        /header length 4096 runs past the end/,
      ],
      ['absurd header length', build({}, [], { headerLength: 1n << 40n }), /larger than the 100000000-byte limit/],
      ['invalid UTF-8', build(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), [], { pad: false }), /not valid UTF-8/],
      ['invalid JSON', build('{"t": {', []), /not valid JSON/],
      ['header not an object', build('[1, 2]', []), /must be a JSON object/],
      ['entry not an object', build({ t: 3 }), /tensor 't': header entry must be an object/],
      [
        'missing dtype',
        build({ t: { shape: [2], data_offsets: [0, 8] } }, f32(1, 2)),
        /tensor 't': missing field 'dtype'/,
      ],
      [
        'missing shape',
        build({ t: { dtype: 'F32', data_offsets: [0, 8] } }, f32(1, 2)),
        /tensor 't': missing field 'shape'/,
      ],
      [
        'missing data_offsets',
        build({ t: { dtype: 'F32', shape: [2] } }, f32(1, 2)),
        /tensor 't': missing field 'data_offsets'/,
      ],
      ['unknown dtype', build(header('Q4', [2], [0, 8]), f32(1, 2)), /tensor 't': unsupported dtype "Q4"/],
      [
        'negative dimension',
        build(header('F32', [-2], [0, 8]), f32(1, 2)),
        /tensor 't': shape must be a list of non-negative integers/,
      ],
      [
        'fractional dimension',
        build(header('F32', [1.5], [0, 8]), f32(1, 2)),
        /shape must be a list of non-negative integers/,
      ],
      ['offsets not two integers', build(header('F32', [2], [0]), f32(1, 2)), /data_offsets must be \[begin, end\]/],
      ['offsets reversed', build(header('F32', [0], [8, 0]), f32(1, 2)), /end before they begin/],
      [
        'size mismatch',
        build(header('F32', [3], [0, 8]), f32(1, 2)),
        /tensor 't': shape \[3\] of F32 needs 12 bytes but data_offsets \[0, 8\] span 8/,
      ],
      [
        'offsets out of the buffer',
        build(header('F32', [4], [0, 16]), f32(1, 2)),
        /tensor 't': data_offsets \[0, 16\] run past the end of the 8-byte data buffer/,
      ],
      [
        'overlap',
        build(
          {
            a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
            b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] },
          },
          f32(1, 2),
        ),
        /tensor 'b' \[4, 8\] overlaps 'a'/,
      ],
      [
        'gap',
        build(
          {
            a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] },
            b: { dtype: 'F32', shape: [1], data_offsets: [8, 12] },
          },
          f32(1, 2, 3),
        ),
        /tensor 'b' starts at byte 8, leaving a gap after 'a'/,
      ],
      ['gap at the start', build(header('F32', [1], [4, 8]), f32(1, 2)), /leaving a gap after the buffer start/],
      ['trailing bytes', build(header('F32', [1], [0, 4]), f32(1, 2)), /4 trailing bytes after the last tensor/],
      [
        'metadata not strings',
        build({ __metadata__: { epoch: 3 }, ...header('F32', [2], [0, 8]) }, f32(1, 2)),
        /__metadata__ value 'epoch' must be a string/,
      ],
      [
        'BOOL byte not 0/1',
        build(header('BOOL', [2], [0, 2]), [1, 2]),
        /BOOL element 1 has byte value 2 .* in tensor 't'/,
      ],
    ];
    it.each(cases)('%s', (_, bytes, message) => {
      expect(() => decodeSafetensors(bytes)).toThrow(FormatError);
      expect(() => decodeSafetensors(bytes)).toThrow(message);
    });
    it('while the uncorrupted file reads fine', () => {
      expect(decodeSafetensors(good).tensors.t!.toArray()).toEqual([1, 2]);
    });
  });

  it('refuses bad input when writing', () => {
    expect(() => encodeSafetensors({ __metadata__: tensor([1]) })).toThrow(ValueError);
    expect(() => encodeSafetensors({ x: [1, 2] as unknown as Tensor })).toThrow(/'x' is not a Tensor/);
    expect(() => encodeSafetensors({}, { n: 3 as unknown as string })).toThrow(/metadata 'n' must be a string/);
  });
});

const ref = findReferenceDir();

describe.skipIf(!ref)('the PyTorch checkpoint charlstm_seed0.safetensors', () => {
  const file = join(ref ?? '', 'interop', 'charlstm_seed0.safetensors');
  it('reads names, shapes and dtypes', () => {
    const { tensors, metadata, dtypes } = loadSafetensorsFile(file);
    expect(metadata).toEqual({ format: 'pt' });
    const shapes = Object.fromEntries(Object.entries(tensors).map(([k, t]) => [k, t.shape]));
    expect(shapes).toEqual({
      'embedding.weight': [65, 16],
      'lstm.weight_ih_l0': [128, 16],
      'lstm.weight_hh_l0': [128, 32],
      'lstm.bias_ih_l0': [128],
      'lstm.bias_hh_l0': [128],
      'lstm.weight_ih_l1': [128, 32],
      'lstm.weight_hh_l1': [128, 32],
      'lstm.bias_ih_l1': [128],
      'lstm.bias_hh_l1': [128],
      'head.weight': [65, 32],
      'head.bias': [65],
    });
    expect(new Set(Object.values(dtypes))).toEqual(new Set(['F32']));
    expect(Object.values(tensors).every((t) => t.dtype === 'float32' && t.toArray().every(Number.isFinite))).toBe(true);
  });

  it('re-encodes to exactly the bytes the Python library wrote', () => {
    const original = readFileSync(file);
    const { tensors, metadata } = loadSafetensorsFile(file);
    expect(Buffer.from(encodeSafetensors(tensors, metadata)).equals(original)).toBe(true);
  });
});

describe('safetensors files and modules', () => {
  const dir = mkdtempSync(join(tmpdir(), 'recurrent-st-'));

  it('saves atomically (no temporary file left) and overwrites', () => {
    const path = join(dir, 'a.safetensors');
    saveSafetensorsFile(path, { x: tensor([1, 2], [2]) });
    saveSafetensorsFile(path, { x: tensor([3, 4, 5], [3]) }, { step: '2' });
    expect(readdirSync(dir)).toEqual(['a.safetensors']);
    const back = loadSafetensorsFile(path);
    expect(back.tensors.x!.toArray()).toEqual([3, 4, 5]);
    expect(back.metadata).toEqual({ step: '2' });
  });

  it('names the file in format errors', () => {
    const path = join(dir, 'bad.safetensors');
    writeFileSync(path, new Uint8Array(3));
    expect(() => loadSafetensorsFile(path)).toThrow(FormatError);
    expect(() => loadSafetensorsFile(path)).toThrow(`${path}: safetensors: 3 bytes is too short`);
  });

  it('saveModule / loadModule round-trip, and a bad file leaves the module untouched', () => {
    const src = new Linear({ inFeatures: 3, outFeatures: 2, generator: new Generator(1) });
    const path = join(dir, 'lin.safetensors');
    saveModule(src, path, { epoch: '1' });
    const dst = new Linear({ inFeatures: 3, outFeatures: 2, generator: new Generator(2) });
    expect(loadModule(dst, path)).toEqual({ epoch: '1' });
    expect(dst.weight.toArray()).toEqual(src.weight.toArray());
    expect(dst.bias!.toArray()).toEqual(src.bias!.toArray());

    const other = new Linear({ inFeatures: 3, outFeatures: 2, generator: new Generator(3) });
    const before = other.weight.toArray();
    const wrongShape = join(dir, 'wrong.safetensors');
    saveModule(new Linear({ inFeatures: 4, outFeatures: 2 }), wrongShape);
    expect(() => loadModule(other, wrongShape)).toThrow(ShapeError);
    const truncated = join(dir, 'truncated.safetensors');
    writeFileSync(truncated, readFileSync(path).subarray(0, 60));
    expect(() => loadModule(other, truncated)).toThrow(FormatError);
    expect(other.weight.toArray()).toEqual(before);
  });
});

describe('safetensors from Node Buffers', () => {
  it('decodes a Buffer that sits at an offset inside a larger pool', async () => {
    const { encodeSafetensors, decodeSafetensors } = await import('../src/io/safetensors.js');
    const { tensor } = await import('../src/tensor/creation.js');
    const bytes = encodeSafetensors({
      a: tensor([1.5, -2, 3.25], [3]),
      b: tensor(
        [
          [1, 2],
          [3, 4],
        ],
        [2, 2],
        { dtype: 'float64' },
      ),
    });
    const pool = Buffer.alloc(bytes.length + 13);
    pool.set(bytes, 13);
    const view = pool.subarray(13); // a Buffer with a non-zero byteOffset, like readFileSync's small files
    const decoded = decodeSafetensors(view);
    expect(Array.from(decoded.tensors.a!.data)).toEqual([1.5, -2, 3.25]);
    expect(Array.from(decoded.tensors.b!.data)).toEqual([1, 2, 3, 4]);
  });
});
