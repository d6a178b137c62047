import { ShapeError, ValueError } from '../errors.js';

export type Shape = readonly number[];

/** `[2, 3]`; a shape of more than 16 dimensions (from a hostile file) shows its first 8 and its length. */
export function formatShape(shape: Shape): string {
  if (shape.length > 16) return `[${shape.slice(0, 8).join(', ')}, …] (${shape.length} dimensions)`;
  return `[${shape.join(', ')}]`;
}

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Row-major (C order) strides in elements. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

export function checkShape(shape: Shape): number[] {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0)
      throw new ShapeError(`invalid shape ${formatShape(shape)}: dimensions must be non-negative integers`);
  }
  return [...shape];
}

/** Resolve a possibly negative axis against a rank, like PyTorch's dim wrapping. */
export function normalizeAxis(axis: number, ndim: number, what = 'axis'): number {
  const a = axis < 0 ? axis + ndim : axis;
  if (!Number.isInteger(a) || a < 0 || a >= Math.max(ndim, 1)) {
    throw new ValueError(`${what} ${axis} is out of range for a tensor with ${ndim} dimension(s)`);
  }
  return a;
}

/** NumPy/PyTorch broadcasting of two shapes; throws a ShapeError naming both. */
export function broadcastShapes(a: Shape, b: Shape): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(
        `shapes ${formatShape(a)} and ${formatShape(b)} cannot be broadcast together (dimension ${i}: ${da} vs ${db})`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Throw a ShapeError unless `got` equals `expected`; -1 in expected matches any size. */
export function expectShape(what: string, got: Shape, expected: Shape): void {
  const ok = got.length === expected.length && expected.every((d, i) => d === -1 || d === got[i]);
  if (!ok) {
    const exp = `[${expected.map((d) => (d === -1 ? '*' : String(d))).join(', ')}]`;
    throw new ShapeError(`${what}: expected shape ${exp}, got ${formatShape(got)}`);
  }
}
