import { Tensor } from '../tensor/tensor.js';
import { attach } from '../autograd/node.js';
import { allocate, type Storage } from '../tensor/dtype.js';
import { normalizeAxis, type Shape } from '../tensor/shape.js';

// Softmax-family ops over one axis. The input is viewed as [outer, n, inner]; each of the outer·inner rows is
// n elements `inner` apart. Every row is shifted by its maximum before exponentiating, so ±1000 and −∞ (masked)
// entries neither overflow nor produce NaN; a row that is entirely −∞ gives NaN for softmax/logSoftmax and −∞
// for logsumexp, exactly as PyTorch does.

interface AxisLayout {
  outer: number;
  n: number;
  inner: number;
}

function layout(shape: Shape, axis: number, what: string): AxisLayout {
  const nd = shape.length;
  if (nd === 0) {
    normalizeAxis(axis, 1, `${what}: axis`);
    return { outer: 1, n: 1, inner: 1 };
  }
  const a = normalizeAxis(axis, nd, `${what}: axis`);
  let outer = 1;
  let inner = 1;
  for (let d = 0; d < a; d++) outer *= shape[d]!;
  for (let d = a + 1; d < nd; d++) inner *= shape[d]!;
  return { outer, n: shape[a]!, inner };
}

/** Largest element of a row; NaN if the row holds a NaN, −∞ for an empty row. */
function rowMax(x: Storage, base: number, n: number, stride: number): number {
  let m = Number.NEGATIVE_INFINITY;
  for (let r = 0; r < n; r++) {
    const v = x[base + r * stride]!;
    if (v > m || Number.isNaN(v)) {
      m = v;
      if (Number.isNaN(v)) break;
    }
  }
  return m;
}

/** softmax(x)ᵢ = exp(xᵢ − max) / Σⱼ exp(xⱼ − max) along `axis` (default −1). */
export function softmax(x: Tensor, axis = -1): Tensor {
  const { outer, n, inner } = layout(x.shape, axis, 'softmax');
  const xd = x.data;
  const out = allocate(x.dtype, x.size);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      const m = rowMax(xd, base, n, inner);
      let s = 0;
      for (let r = 0; r < n; r++) {
        const j = base + r * inner;
        const e = Math.exp(xd[j]! - m);
        out[j] = e;
        s += e;
      }
      const inv = 1 / s;
      for (let r = 0; r < n; r++) out[base + r * inner]! *= inv;
    }
  }
  return attach(new Tensor(out, x.shape), 'softmax', [x], (g) => {
    // dL/dx = y ⊙ (g − Σ g⊙y)
    const gd = g.data;
    const gx = allocate(x.dtype, x.size);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * n * inner + i;
        let dot = 0;
        for (let r = 0; r < n; r++) {
          const j = base + r * inner;
          dot += gd[j]! * out[j]!;
        }
        for (let r = 0; r < n; r++) {
          const j = base + r * inner;
          gx[j] = out[j]! * (gd[j]! - dot);
        }
      }
    }
    return [new Tensor(gx, x.shape)];
  });
}

/** log(softmax(x)) computed as x − max − log Σ exp(x − max), exact where softmax underflows (e.g. −2000). */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  const { outer, n, inner } = layout(x.shape, axis, 'logSoftmax');
  const xd = x.data;
  const out = allocate(x.dtype, x.size);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      const m = rowMax(xd, base, n, inner);
      let s = 0;
      for (let r = 0; r < n; r++) s += Math.exp(xd[base + r * inner]! - m);
      const logS = Math.log(s);
      for (let r = 0; r < n; r++) {
        const j = base + r * inner;
        // Subtract m first: (x − m) is exact near the maximum, which keeps log-probabilities ≈ 0 accurate.
        out[j] = xd[j]! - m - logS;
      }
    }
  }
  return attach(new Tensor(out, x.shape), 'log_softmax', [x], (g) => {
    // dL/dx = g − softmax ⊙ Σ g
    const gd = g.data;
    const gx = allocate(x.dtype, x.size);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * n * inner + i;
        let total = 0;
        for (let r = 0; r < n; r++) total += gd[base + r * inner]!;
        for (let r = 0; r < n; r++) {
          const j = base + r * inner;
          gx[j] = gd[j]! - Math.exp(out[j]!) * total;
        }
      }
    }
    return [new Tensor(gx, x.shape)];
  });
}

/**
 * log Σ exp(x) along `axis` (default −1), shifted by the row maximum. A row whose maximum is ±∞ is summed
 * unshifted, so all −∞ gives −∞ and any +∞ gives +∞ (PyTorch's rule).
 */
export function logsumexp(x: Tensor, axis = -1, keepdim = false): Tensor {
  const { outer, n, inner } = layout(x.shape, axis, 'logsumexp');
  const xd = x.data;
  const out = allocate(x.dtype, outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      let m = rowMax(xd, base, n, inner);
      if (m === Number.POSITIVE_INFINITY || m === Number.NEGATIVE_INFINITY) m = 0;
      let s = 0;
      for (let r = 0; r < n; r++) s += Math.exp(xd[base + r * inner]! - m);
      out[o * inner + i] = m + Math.log(s);
    }
  }
  const shape = x.shape.slice();
  if (shape.length > 0) {
    const a = normalizeAxis(axis, shape.length);
    if (keepdim) shape[a] = 1;
    else shape.splice(a, 1);
  }
  return attach(new Tensor(out, shape), 'logsumexp', [x], (g) => {
    // dL/dxⱼ = g · exp(xⱼ − lse)
    const gd = g.data;
    const gx = allocate(x.dtype, x.size);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * n * inner + i;
        const k = o * inner + i;
        const lse = out[k]!;
        const gk = gd[k]!;
        for (let r = 0; r < n; r++) {
          const j = base + r * inner;
          gx[j] = gk * Math.exp(xd[j]! - lse);
        }
      }
    }
    return [new Tensor(gx, x.shape)];
  });
}
