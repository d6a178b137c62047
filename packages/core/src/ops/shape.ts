import { Tensor } from '../tensor/tensor.js';
import { attach, attachMany } from '../autograd/node.js';
import { allocate, promote, type Storage } from '../tensor/dtype.js';
import { formatShape, normalizeAxis, shapesEqual, sizeOf, stridesOf, type Shape } from '../tensor/shape.js';
import { ShapeError, ValueError } from '../errors.js';
import { broadcastIndex, unbroadcast } from './broadcast.js';

// Shape ops. Tensors are always contiguous: reshape-like ops (reshape, view, flatten, squeeze, unsqueeze)
// share storage with their input; everything that reorders or selects elements copies.

/** Same storage under another shape; the gradient is reshaped back. */
function relabel(x: Tensor, shape: number[], name: string): Tensor {
  return attach(new Tensor(x.data, shape), name, [x], (g) => [new Tensor(g.data, x.shape)]);
}

/** Resolve a target shape with at most one −1 against `size` elements. */
function resolveShape(shape: Shape, size: number, from: Shape, what: string): number[] {
  let infer = -1;
  let known = 1;
  const out = [...shape];
  for (let i = 0; i < out.length; i++) {
    const d = out[i]!;
    if (d === -1) {
      if (infer >= 0) throw new ShapeError(`${what}: only one dimension can be -1, got ${formatShape(shape)}`);
      infer = i;
    } else if (!Number.isInteger(d) || d < 0) {
      throw new ShapeError(`${what}: invalid dimension ${d} in ${formatShape(shape)}`);
    } else known *= d;
  }
  if (infer >= 0) {
    if (known === 0 || size % known !== 0) {
      throw new ShapeError(
        `${what}: cannot reshape ${formatShape(from)} (${size} elements) into ${formatShape(shape)}`,
      );
    }
    out[infer] = size / known;
  } else if (known !== size) {
    throw new ShapeError(
      `${what}: cannot reshape ${formatShape(from)} (${size} elements) into ${formatShape(shape)} (${known} elements)`,
    );
  }
  return out;
}

/** The same elements under a new shape (one dimension may be −1 and is inferred). Shares storage. */
export function reshape(x: Tensor, shape: Shape): Tensor {
  return relabel(x, resolveShape(shape, x.size, x.shape, 'reshape'), 'reshape');
}

/** Alias of {@link reshape}: every tensor is contiguous, so a view is always possible. */
export function view(x: Tensor, shape: Shape): Tensor {
  return relabel(x, resolveShape(shape, x.size, x.shape, 'view'), 'view');
}

/** Merge dimensions startDim..endDim (inclusive, negative allowed) into one. A 0-d tensor becomes [1]. */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  if (x.ndim === 0) return relabel(x, [1], 'flatten');
  const s = normalizeAxis(startDim, x.ndim, 'flatten: startDim');
  const e = normalizeAxis(endDim, x.ndim, 'flatten: endDim');
  if (s > e)
    throw new ValueError(`flatten: startDim ${startDim} comes after endDim ${endDim} for a ${x.ndim}-d tensor`);
  const shape = [...x.shape.slice(0, s), sizeOf(x.shape.slice(s, e + 1)), ...x.shape.slice(e + 1)];
  return relabel(x, shape, 'flatten');
}

/**
 * Remove dimensions of size 1: all of them, or only those listed in `axis` (a listed dimension whose size is
 * not 1 is left alone, as in PyTorch).
 */
export function squeeze(x: Tensor, axis?: number | readonly number[]): Tensor {
  let drop: Set<number>;
  if (axis === undefined) drop = new Set(x.shape.flatMap((d, i) => (d === 1 ? [i] : [])));
  else {
    const list = typeof axis === 'number' ? [axis] : axis;
    drop = new Set(
      list.map((a) => normalizeAxis(a, Math.max(x.ndim, 1), 'squeeze: axis')).filter((a) => x.shape[a] === 1),
    );
  }
  return relabel(
    x,
    x.shape.filter((_, i) => !drop.has(i)),
    'squeeze',
  );
}

/** Insert a dimension of size 1 at `axis` (−1 appends one at the end). */
export function unsqueeze(x: Tensor, axis: number): Tensor {
  const a = normalizeAxis(axis, x.ndim + 1, 'unsqueeze: axis');
  const shape = [...x.shape];
  shape.splice(a, 0, 1);
  return relabel(x, shape, 'unsqueeze');
}

/** Copy `src` (of `shape`) into `out` with its dimensions reordered so out dim d is input dim perm[d]. */
function permuteInto(src: Storage, shape: Shape, perm: readonly number[], out: Storage): void {
  const nd = shape.length;
  const n = src.length;
  if (n === 0) return;
  if (nd === 0 || perm.every((p, i) => p === i)) {
    out.set(src);
    return;
  }
  const inStrides = stridesOf(shape);
  const dims = perm.map((p) => shape[p]!);
  const strides = perm.map((p) => inStrides[p]!);
  const last = nd - 1;
  const nLast = dims[last]!;
  const sLast = strides[last]!;
  const counter = new Array<number>(nd).fill(0);
  let offset = 0;
  let k = 0;
  while (k < n) {
    if (sLast === 1) {
      // The innermost run is contiguous in the input too: one block copy.
      out.set(src.subarray(offset, offset + nLast), k);
      k += nLast;
    } else {
      let at = offset;
      for (let j = 0; j < nLast; j++, at += sLast) out[k++] = src[at]!;
    }
    for (let d = last - 1; d >= 0; d--) {
      counter[d]!++;
      offset += strides[d]!;
      if (counter[d]! < dims[d]!) break;
      offset -= strides[d]! * counter[d]!;
      counter[d] = 0;
    }
  }
}

/** Reorder dimensions: output dimension d is input dimension dims[d] (negative allowed). Copies. */
export function permute(x: Tensor, dims: readonly number[]): Tensor {
  if (dims.length !== x.ndim) {
    throw new ShapeError(
      `permute: expected ${x.ndim} dimensions for input ${formatShape(x.shape)}, got ${dims.length} ` +
        `(${formatShape(dims)})`,
    );
  }
  const perm = dims.map((d) => normalizeAxis(d, x.ndim, 'permute: dimension'));
  if (new Set(perm).size !== perm.length) throw new ValueError(`permute: ${formatShape(dims)} repeats a dimension`);
  const inverse = new Array<number>(perm.length);
  perm.forEach((p, i) => {
    inverse[p] = i;
  });
  const shape = perm.map((p) => x.shape[p]!);
  const out = allocate(x.dtype, x.size);
  permuteInto(x.data, x.shape, perm, out);
  return attach(new Tensor(out, shape), 'permute', [x], (g) => {
    const gx = allocate(x.dtype, x.size);
    permuteInto(g.data, shape, inverse, gx);
    return [new Tensor(gx, x.shape)];
  });
}

/** Swap two dimensions (negative allowed). Copies. */
export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  if (x.ndim === 0) {
    normalizeAxis(dim0, 1, 'transpose: dim0');
    normalizeAxis(dim1, 1, 'transpose: dim1');
    return permute(x, []);
  }
  const a = normalizeAxis(dim0, x.ndim, 'transpose: dim0');
  const b = normalizeAxis(dim1, x.ndim, 'transpose: dim1');
  const perm = x.shape.map((_, i) => i);
  perm[a] = b;
  perm[b] = a;
  return permute(x, perm);
}

/** `len` entries along one axis starting at `start`, `step` apart, of a tensor viewed [outer, n, inner]. */
interface AxisRange {
  outer: number;
  n: number;
  inner: number;
  start: number;
  len: number;
  step: number;
}

/** Copy the block `r` of `src` into `out` ([outer, len, inner]). */
function copyAxisRange(src: Storage, r: AxisRange, out: Storage): void {
  const { outer, n, inner, start, len, step } = r;
  for (let o = 0; o < outer; o++) {
    const from = (o * n + start) * inner;
    const to = o * len * inner;
    if (step === 1) out.set(src.subarray(from, from + len * inner), to);
    else
      for (let r = 0; r < len; r++)
        out.set(src.subarray(from + r * step * inner, from + (r * step + 1) * inner), to + r * inner);
  }
}

/** The reverse of copyAxisRange: add `g` into the selected positions of `dst`. */
function scatterAxisRange(g: Storage, rng: AxisRange, dst: Storage): void {
  const { outer, n, inner, start, len, step } = rng;
  for (let o = 0; o < outer; o++) {
    for (let r = 0; r < len; r++) {
      const to = (o * n + start + r * step) * inner;
      const from = (o * len + r) * inner;
      for (let i = 0; i < inner; i++) dst[to + i]! += g[from + i]!;
    }
  }
}

function axisDims(shape: Shape, a: number): { outer: number; n: number; inner: number } {
  return { outer: sizeOf(shape.slice(0, a)), n: shape[a]!, inner: sizeOf(shape.slice(a + 1)) };
}

/** The differentiable `name` op taking `len` entries of axis `axis` from `start`, `step` apart. */
function takeRange(x: Tensor, name: string, take: { axis: number; start: number; len: number; step: number }): Tensor {
  const { axis: a, start, len, step } = take;
  const range: AxisRange = { ...axisDims(x.shape, a), start, len, step };
  const shape = [...x.shape];
  shape[a] = len;
  const out = allocate(x.dtype, range.outer * len * range.inner);
  copyAxisRange(x.data, range, out);
  return attach(new Tensor(out, shape), name, [x], (g) => {
    const gx = allocate(x.dtype, x.size);
    scatterAxisRange(g.data, range, gx);
    return [new Tensor(gx, x.shape)];
  });
}

function requireDims(x: Tensor, what: string): void {
  if (x.ndim === 0) throw new ShapeError(`${what}: expected a tensor with at least 1 dimension, got shape []`);
}

/** `length` entries of `axis` starting at `start` (negative start counts from the end), like torch.narrow. */
export function narrow(x: Tensor, axis: number, start: number, length: number): Tensor {
  requireDims(x, 'narrow');
  const a = normalizeAxis(axis, x.ndim, 'narrow: axis');
  const n = x.shape[a]!;
  const s = start < 0 ? start + n : start;
  if (!Number.isInteger(s) || !Number.isInteger(length) || s < 0 || length < 0 || s + length > n) {
    throw new ValueError(
      `narrow: start ${start} and length ${length} do not fit axis ${axis} of size ${n} (input ` +
        `${formatShape(x.shape)})`,
    );
  }
  return takeRange(x, 'narrow', { axis: a, start: s, len: length, step: 1 });
}

/**
 * Python-style slice `x[..., start:end:step, ...]` along `axis`: negative start/end count from the end and
 * out-of-range bounds are clamped; step must be a positive integer. Copies.
 */
export function slice(x: Tensor, axis: number, start?: number | null, end?: number | null, step = 1): Tensor {
  requireDims(x, 'slice');
  const a = normalizeAxis(axis, x.ndim, 'slice: axis');
  if (!Number.isInteger(step) || step <= 0) throw new ValueError(`slice: step must be a positive integer, got ${step}`);
  const n = x.shape[a]!;
  const clampIndex = (v: number): number => {
    if (!Number.isInteger(v)) throw new ValueError(`slice: bounds must be integers, got ${v}`);
    const w = v < 0 ? v + n : v;
    return Math.min(Math.max(w, 0), n);
  };
  const s = clampIndex(start ?? 0);
  const e = clampIndex(end ?? n);
  const len = e > s ? Math.ceil((e - s) / step) : 0;
  return takeRange(x, 'slice', { axis: a, start: s, len, step });
}

/** Below this many elements a chunk is copied by a loop: `subarray` + `set` allocates a view per chunk. */
const CHUNK_SET_MIN = 64;

/**
 * Copy `outer` consecutive chunks of `chunk` elements of `src` into `out`, chunk o at `start + o·stride` (cat's
 * inner loop). Short chunks — cat along the last axis of an image, e.g. one zero column of SAME padding — are copied
 * element by element instead of through one typed-array view each.
 */
function copyChunks(src: Storage, chunk: number, outer: number, out: Storage, start: number, stride: number): void {
  if (chunk >= CHUNK_SET_MIN) {
    for (let o = 0; o < outer; o++) out.set(src.subarray(o * chunk, (o + 1) * chunk), start + o * stride);
    return;
  }
  for (let o = 0, from = 0, to = start; o < outer; o++, from += chunk, to += stride) {
    for (let j = 0; j < chunk; j++) out[to + j] = src[from + j]!;
  }
}

/**
 * Join tensors along an existing axis (default 0). All must have the same number of dimensions and equal sizes
 * except along `axis`. The result has the promoted dtype.
 */
export function cat(tensors: readonly Tensor[], axis = 0): Tensor {
  if (tensors.length === 0) throw new ValueError('cat: expected at least one tensor');
  const first = tensors[0]!;
  requireDims(first, 'cat');
  const a = normalizeAxis(axis, first.ndim, 'cat: axis');
  tensors.forEach((t, k) => {
    const ok = t.ndim === first.ndim && t.shape.every((d, i) => i === a || d === first.shape[i]);
    if (!ok) {
      const expected = first.shape.map((d, i) => (i === a ? '*' : String(d)));
      throw new ShapeError(
        `cat along axis ${axis}: expected tensor ${k} to have shape [${expected.join(', ')}], got ` +
          `${formatShape(t.shape)}`,
      );
    }
  });
  const dtype = promote(...tensors.map((t) => t.dtype));
  const { outer, inner } = axisDims(first.shape, a);
  const sizes = tensors.map((t) => t.shape[a]!);
  const total = sizes.reduce((p, q) => p + q, 0);
  const shape = [...first.shape];
  shape[a] = total;
  const out = allocate(dtype, outer * total * inner);
  let offset = 0;
  tensors.forEach((t, k) => {
    copyChunks(t.data, sizes[k]! * inner, outer, out, offset * inner, total * inner);
    offset += sizes[k]!;
  });
  return attach(new Tensor(out, shape), 'cat', [...tensors], (g) => {
    let start = 0;
    return tensors.map((t, k) => {
      const len = sizes[k]!;
      const s = start;
      start += len;
      if (!t.requiresGrad) return null;
      const gx = allocate(t.dtype, t.size);
      copyAxisRange(g.data, { outer, n: total, inner, start: s, len, step: 1 }, gx);
      return new Tensor(gx, t.shape);
    });
  });
}

/** Join same-shaped tensors along a new axis (default 0). */
export function stack(tensors: readonly Tensor[], axis = 0): Tensor {
  if (tensors.length === 0) throw new ValueError('stack: expected at least one tensor');
  const first = tensors[0]!;
  tensors.forEach((t, k) => {
    if (!shapesEqual(t.shape, first.shape)) {
      throw new ShapeError(
        `stack: expected tensor ${k} to have shape ${formatShape(first.shape)}, got ${formatShape(t.shape)}`,
      );
    }
  });
  const a = normalizeAxis(axis, first.ndim + 1, 'stack: axis');
  return cat(
    tensors.map((t) => unsqueeze(t, a)),
    a,
  );
}

/**
 * Split along `axis` (default 0) into pieces of `size` (the last may be smaller) or of the listed sizes,
 * which must add up to the axis length. One autograd node for all pieces.
 */
export function split(x: Tensor, sizeOrSizes: number | readonly number[], axis = 0): Tensor[] {
  requireDims(x, 'split');
  const a = normalizeAxis(axis, x.ndim, 'split: axis');
  const n = x.shape[a]!;
  let sizes: number[];
  if (typeof sizeOrSizes === 'number') {
    const size = sizeOrSizes;
    if (!Number.isInteger(size) || size < 0 || (size === 0 && n > 0))
      throw new ValueError(`split: size must be a positive integer, got ${size}`);
    sizes = [];
    for (let s = 0; s < n; s += size) sizes.push(Math.min(size, n - s));
    if (sizes.length === 0) sizes.push(0);
  } else {
    sizes = [...sizeOrSizes];
    if (sizes.some((s) => !Number.isInteger(s) || s < 0))
      throw new ValueError(`split: sizes must be non-negative integers, got ${formatShape(sizes)}`);
    const total = sizes.reduce((p, q) => p + q, 0);
    if (total !== n)
      throw new ShapeError(
        `split: sizes ${formatShape(sizes)} add up to ${total}, expected the length of axis ${axis}: ${n} (input ` +
          `${formatShape(x.shape)})`,
      );
  }
  const { outer, inner } = axisDims(x.shape, a);
  const starts: number[] = [];
  let start = 0;
  const pieces = sizes.map((len) => {
    starts.push(start);
    const shape = [...x.shape];
    shape[a] = len;
    const out = allocate(x.dtype, outer * len * inner);
    copyAxisRange(x.data, { outer, n, inner, start, len, step: 1 }, out);
    start += len;
    return new Tensor(out, shape);
  });
  return attachMany(pieces, 'split', [x], (gs) => {
    const gx = allocate(x.dtype, x.size);
    gs.forEach((g, k) => {
      scatterAxisRange(g.data, { outer, n, inner, start: starts[k]!, len: sizes[k]!, step: 1 }, gx);
    });
    return [new Tensor(gx, x.shape)];
  });
}

/** Split into `chunks` nearly equal pieces along `axis` (each ⌈n/chunks⌉ long, the last shorter), like torch.chunk. */
export function chunk(x: Tensor, chunks: number, axis = 0): Tensor[] {
  if (!Number.isInteger(chunks) || chunks <= 0)
    throw new ValueError(`chunk: chunks must be a positive integer, got ${chunks}`);
  requireDims(x, 'chunk');
  const n = x.shape[normalizeAxis(axis, x.ndim, 'chunk: axis')]!;
  return split(x, Math.ceil(n / chunks), axis);
}

/** Resolve torch.expand's target shape: −1 keeps a size; only size-1 dimensions (or new leading ones) grow. */
function expandedShape(from: Shape, shape: Shape, what: string): number[] {
  if (shape.length < from.length) {
    throw new ShapeError(
      `${what}: target ${formatShape(shape)} has fewer dimensions than the input ${formatShape(from)}`,
    );
  }
  const lead = shape.length - from.length;
  return shape.map((d, i) => {
    const src = i >= lead ? from[i - lead]! : null;
    if (d === -1) {
      if (src === null)
        throw new ShapeError(`${what}: -1 is not allowed for a new leading dimension (target ${formatShape(shape)})`);
      return src;
    }
    if (!Number.isInteger(d) || d < 0) throw new ShapeError(`${what}: invalid size ${d} in ${formatShape(shape)}`);
    if (src !== null && src !== 1 && src !== d) {
      throw new ShapeError(
        `${what}: cannot expand ${formatShape(from)} to ${formatShape(shape)}: dimension ${i} must be ${src} or ` +
          `the input's size must be 1`,
      );
    }
    return d;
  });
}

/** Broadcast to a larger shape (−1 keeps a size). Copies, since tensors are contiguous; the gradient is summed back. */
export function expand(x: Tensor, shape: Shape): Tensor {
  const target = expandedShape(x.shape, shape, 'expand');
  if (shapesEqual(target, x.shape)) return x;
  const idx = broadcastIndex(x.shape, target);
  const out = allocate(x.dtype, idx.length);
  const xd = x.data;
  for (let i = 0; i < out.length; i++) out[i] = xd[idx[i]!]!;
  return attach(new Tensor(out, target), 'expand', [x], (g) => [unbroadcast(g, x.shape)]);
}

/** Alias of {@link expand} with torch.broadcast_to's name. */
export function broadcastTo(x: Tensor, shape: Shape): Tensor {
  return expand(x, shape);
}

/** Tile `x` `repeats[d]` times along each dimension, like torch.Tensor.repeat (extra leading repeats add dims). */
export function repeat(x: Tensor, repeats: readonly number[]): Tensor {
  if (repeats.length < x.ndim) {
    throw new ShapeError(
      `repeat: expected at least ${x.ndim} repeat counts for input ${formatShape(x.shape)}, got ${repeats.length}`,
    );
  }
  if (repeats.some((r) => !Number.isInteger(r) || r < 0))
    throw new ValueError(`repeat: counts must be non-negative integers, got ${formatShape(repeats)}`);
  const padded = [...new Array<number>(repeats.length - x.ndim).fill(1), ...x.shape];
  const shape = padded.map((d, i) => d * repeats[i]!);
  const size = sizeOf(shape);
  const strides = stridesOf(padded);
  const nd = shape.length;
  // Input offset of every output position: coordinate c along dim d reads (c mod padded[d]) · stride[d].
  const idx = new Int32Array(size);
  const counter = new Array<number>(nd).fill(0);
  const inCoord = new Array<number>(nd).fill(0);
  let offset = 0;
  for (let k = 0; k < size; k++) {
    idx[k] = offset;
    for (let d = nd - 1; d >= 0; d--) {
      counter[d]!++;
      inCoord[d]!++;
      offset += strides[d]!;
      if (inCoord[d] === padded[d]) {
        offset -= strides[d]! * padded[d]!;
        inCoord[d] = 0;
      }
      if (counter[d]! < shape[d]!) break;
      // shape[d] is a multiple of padded[d], so inCoord[d] and the offset have already wrapped to 0 here.
      counter[d] = 0;
    }
  }
  const out = allocate(x.dtype, size);
  const xd = x.data;
  for (let i = 0; i < size; i++) out[i] = xd[idx[i]!]!;
  return attach(new Tensor(out, shape), 'repeat', [x], (g) => {
    const gx = allocate(x.dtype, x.size);
    const gd = g.data;
    for (let i = 0; i < size; i++) gx[idx[i]!]! += gd[i]!;
    return [new Tensor(gx, x.shape)];
  });
}
