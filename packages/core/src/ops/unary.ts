import { Tensor } from '../tensor/tensor.js';
import { attach } from '../autograd/node.js';
import { allocate, type Storage } from '../tensor/dtype.js';
import { ValueError } from '../errors.js';

// Elementwise functions of one tensor. Each forward is one loop over the flat storage; each backward is one loop
// using whichever of input/output makes the derivative cheapest and most accurate.

function like(x: Tensor): Storage {
  return allocate(x.dtype, x.size);
}

/** -x */
export function neg(x: Tensor): Tensor {
  const xd = x.data;
  const out = like(x);
  for (let i = 0; i < out.length; i++) out[i] = -xd[i]!;
  return attach(new Tensor(out, x.shape), 'neg', [x], (g) => {
    const gd = g.data;
    const gx = like(x);
    for (let i = 0; i < gx.length; i++) gx[i] = -gd[i]!;
    return [new Tensor(gx, x.shape)];
  });
}

/** eˣ */
export function exp(x: Tensor): Tensor {
  const xd = x.data;
  const out = like(x);
  for (let i = 0; i < out.length; i++) out[i] = Math.exp(xd[i]!);
  return attach(new Tensor(out, x.shape), 'exp', [x], (g) => {
    const gd = g.data;
    const gx = like(x);
    for (let i = 0; i < gx.length; i++) gx[i] = gd[i]! * out[i]!;
    return [new Tensor(gx, x.shape)];
  });
}

/** Natural logarithm (−∞ at 0, NaN below, as in PyTorch). */
export function log(x: Tensor): Tensor {
  const xd = x.data;
  const out = like(x);
  for (let i = 0; i < out.length; i++) out[i] = Math.log(xd[i]!);
  return attach(new Tensor(out, x.shape), 'log', [x], (g) => {
    const gd = g.data;
    const gx = like(x);
    for (let i = 0; i < gx.length; i++) gx[i] = gd[i]! / xd[i]!;
    return [new Tensor(gx, x.shape)];
  });
}

/** log(1 + x), accurate for small x. */
export function log1p(x: Tensor): Tensor {
  const xd = x.data;
  const out = like(x);
  for (let i = 0; i < out.length; i++) out[i] = Math.log1p(xd[i]!);
  return attach(new Tensor(out, x.shape), 'log1p', [x], (g) => {
    const gd = g.data;
    const gx = like(x);
    for (let i = 0; i < gx.length; i++) gx[i] = gd[i]! / (1 + xd[i]!);
    return [new Tensor(gx, x.shape)];
  });
}

/** Hyperbolic tangent; saturates to ±1 for large |x| without overflow. */
export function tanh(x: Tensor): Tensor {
  const xd = x.data;
  const out = like(x);
  for (let i = 0; i < out.length; i++) out[i] = Math.tanh(xd[i]!);
  return attach(new Tensor(out, x.shape), 'tanh', [x], (g) => {
    const gd = g.data;
    const gx = like(x);
    for (let i = 0; i < gx.length; i++) {
      const y = out[i]!;
      gx[i] = gd[i]! * (1 - y * y);
    }
    return [new Tensor(gx, x.shape)];
  });
}

/** Logistic sigmoid of one number, stable for any magnitude (never evaluates exp of a large positive). */
export function sigmoidScalar(v: number): number {
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}

/** 1 / (1 + e⁻ˣ), stable at ±1000. */
export function sigmoid(x: Tensor): Tensor {
  const xd = x.data;
  const out = like(x);
  for (let i = 0; i < out.length; i++) out[i] = sigmoidScalar(xd[i]!);
  return attach(new Tensor(out, x.shape), 'sigmoid', [x], (g) => {
    const gd = g.data;
    const gx = like(x);
    for (let i = 0; i < gx.length; i++) {
      const y = out[i]!;
      gx[i] = gd[i]! * y * (1 - y);
    }
    return [new Tensor(gx, x.shape)];
  });
}

/** max(x, 0); NaN propagates; the gradient at 0 is 0, as in PyTorch. */
export function relu(x: Tensor): Tensor {
  const xd = x.data;
  const out = like(x);
  for (let i = 0; i < out.length; i++) {
    const v = xd[i]!;
    // biome-ignore lint/complexity/useMathMinMax: keeps the sign of −0 (Math.max(-0, 0) is +0)
    out[i] = v < 0 ? 0 : v;
  }
  return attach(new Tensor(out, x.shape), 'relu', [x], (g) => {
    const gd = g.data;
    const gx = like(x);
    for (let i = 0; i < gx.length; i++) gx[i] = xd[i]! > 0 ? gd[i]! : 0;
    return [new Tensor(gx, x.shape)];
  });
}

// ---- erf: FreeBSD/fdlibm s_erf.c (Copyright (C) 1993 Sun Microsystems, Inc.; "Permission to use, copy, modify,
// and distribute this software is freely granted, provided that this notice is preserved."). Rational
// approximations on four intervals, error < 1 ulp in float64; this is what glibc's and PyTorch's erf agree with.
const ERX = 8.45062911510467529297e-1;
const EFX = 1.28379167095512586316e-1;
const PP = [
  1.28379167095512558561e-1, -3.2504210724700149937e-1, -2.84817495755985104766e-2, -5.77027029648944159157e-3,
  -2.37630166566501626084e-5,
] as const;
const QQ = [
  3.97917223959155352819e-1, 6.50222499887672944485e-2, 5.08130628187576562776e-3, 1.32494738004321644526e-4,
  -3.9602282787753681232e-6,
] as const;
const PA = [
  -2.36211856075265944077e-3, 4.14856118683748331666e-1, -3.72207876035701323847e-1, 3.18346619901161753674e-1,
  -1.10894694282396677476e-1, 3.54783043256182359371e-2, -2.166375594868790843e-3,
] as const;
const QA = [
  1.06420880400844228286e-1, 5.40397917702171048937e-1, 7.18286544141962662868e-2, 1.26171219808761642112e-1,
  1.36370839120290507362e-2, 1.1984499846799107417e-2,
] as const;
const RA = [
  -9.86494403484714822705e-3, -6.93858572707181764372e-1, -1.05586262253232909814e1, -6.23753324503260060396e1,
  -1.62396669462573470355e2, -1.84605092906711035994e2, -8.12874355063065934246e1, -9.81432934416914548592,
] as const;
const SA = [
  1.96512716674392571292e1, 1.376577541435190426e2, 4.34565877475229228821e2, 6.45387271733267880336e2,
  4.29008140027567833386e2, 1.08635005541779435134e2, 6.57024977031928170135, -6.04244152148580987438e-2,
] as const;
const RB = [
  -9.86494292470009928597e-3, -7.99283237680523006574e-1, -1.77579549177547519889e1, -1.60636384855821916062e2,
  -6.37566443368389627722e2, -1.02509513161107724954e3, -4.83519191608651397019e2,
] as const;
const SB = [
  3.03380607434824582924e1, 3.25792512996573918826e2, 1.53672958608443695994e3, 3.19985821950859553908e3,
  2.55305040643316442583e3, 4.74528541206955367215e2, -2.24409524465858183362e1,
] as const;

const splitF64 = new Float64Array(1);
const splitU32 = new Uint32Array(splitF64.buffer);
const LOW_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;

/** `v` with the low 32 bits of its mantissa cleared, so v·v is exact in the erfc tail (fdlibm's trick). */
function highPart(v: number): number {
  splitF64[0] = v;
  splitU32[LOW_WORD] = 0;
  return splitF64[0]!;
}

/** The error function erf(v) = 2/√π ∫₀ᵛ e^(−t²) dt, accurate to float64 rounding. */
export function erfScalar(v: number): number {
  if (Number.isNaN(v)) return v;
  const ax = Math.abs(v);
  const sign = v < 0 ? -1 : 1;
  if (ax < 0.84375) {
    if (ax < 3.725290298461914e-9) return v + EFX * v;
    const z = v * v;
    const r = PP[0] + z * (PP[1] + z * (PP[2] + z * (PP[3] + z * PP[4])));
    const s = 1 + z * (QQ[0] + z * (QQ[1] + z * (QQ[2] + z * (QQ[3] + z * QQ[4]))));
    return v + v * (r / s);
  }
  if (ax < 1.25) {
    const s = ax - 1;
    const p = PA[0] + s * (PA[1] + s * (PA[2] + s * (PA[3] + s * (PA[4] + s * (PA[5] + s * PA[6])))));
    const q = 1 + s * (QA[0] + s * (QA[1] + s * (QA[2] + s * (QA[3] + s * (QA[4] + s * QA[5])))));
    return sign * (ERX + p / q);
  }
  if (ax >= 6) return sign;
  const s = 1 / (ax * ax);
  let r: number;
  let q: number;
  if (ax < 1 / 0.35) {
    r = RA[0] + s * (RA[1] + s * (RA[2] + s * (RA[3] + s * (RA[4] + s * (RA[5] + s * (RA[6] + s * RA[7]))))));
    q = 1 + s * (SA[0] + s * (SA[1] + s * (SA[2] + s * (SA[3] + s * (SA[4] + s * (SA[5] + s * (SA[6] + s * SA[7])))))));
  } else {
    r = RB[0] + s * (RB[1] + s * (RB[2] + s * (RB[3] + s * (RB[4] + s * (RB[5] + s * RB[6])))));
    q = 1 + s * (SB[0] + s * (SB[1] + s * (SB[2] + s * (SB[3] + s * (SB[4] + s * (SB[5] + s * SB[6]))))));
  }
  const z = highPart(ax);
  const tail = Math.exp(-z * z - 0.5625) * Math.exp((z - ax) * (z + ax) + r / q);
  return sign * (1 - tail / ax);
}

const TWO_OVER_SQRT_PI = 1.1283791670955126;
const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 0.3989422804014327;

/** Elementwise error function. */
export function erf(x: Tensor): Tensor {
  const xd = x.data;
  const out = like(x);
  for (let i = 0; i < out.length; i++) out[i] = erfScalar(xd[i]!);
  return attach(new Tensor(out, x.shape), 'erf', [x], (g) => {
    const gd = g.data;
    const gx = like(x);
    for (let i = 0; i < gx.length; i++) {
      const v = xd[i]!;
      gx[i] = gd[i]! * TWO_OVER_SQRT_PI * Math.exp(-v * v);
    }
    return [new Tensor(gx, x.shape)];
  });
}

/** GELU, exact form x·Φ(x) = x/2·(1 + erf(x/√2)) (PyTorch's default approximate='none'). */
export function gelu(x: Tensor): Tensor {
  const xd = x.data;
  const out = like(x);
  for (let i = 0; i < out.length; i++) {
    const v = xd[i]!;
    out[i] = v * 0.5 * (1 + erfScalar(v * SQRT1_2));
  }
  return attach(new Tensor(out, x.shape), 'gelu', [x], (g) => {
    const gd = g.data;
    const gx = like(x);
    for (let i = 0; i < gx.length; i++) {
      const v = xd[i]!;
      // d/dx x·Φ(x) = Φ(x) + x·φ(x)
      const cdf = 0.5 * (1 + erfScalar(v * SQRT1_2));
      const pdf = INV_SQRT_2PI * Math.exp(-0.5 * v * v);
      gx[i] = gd[i]! * (cdf + v * pdf);
    }
    return [new Tensor(gx, x.shape)];
  });
}

/** x ** exponent for a number exponent. The gradient is 0 where exponent is 0, as in PyTorch. */
export function pow(x: Tensor, exponent: number): Tensor {
  if (typeof exponent !== 'number' || Number.isNaN(exponent))
    throw new ValueError(`pow: exponent must be a number, got ${String(exponent)}`);
  const xd = x.data;
  const out = like(x);
  if (exponent === 2) for (let i = 0; i < out.length; i++) out[i] = xd[i]! * xd[i]!;
  else for (let i = 0; i < out.length; i++) out[i] = xd[i]! ** exponent;
  return attach(new Tensor(out, x.shape), 'pow', [x], (g) => {
    const gd = g.data;
    const gx = like(x);
    if (exponent !== 0) {
      const e1 = exponent - 1;
      for (let i = 0; i < gx.length; i++) gx[i] = gd[i]! * exponent * (e1 === 1 ? xd[i]! : xd[i]! ** e1);
    }
    return [new Tensor(gx, x.shape)];
  });
}

/** x·x */
export function square(x: Tensor): Tensor {
  return pow(x, 2);
}

/** √x (NaN below 0; the gradient at 0 is +∞, as in PyTorch). */
export function sqrt(x: Tensor): Tensor {
  const xd = x.data;
  const out = like(x);
  for (let i = 0; i < out.length; i++) out[i] = Math.sqrt(xd[i]!);
  return attach(new Tensor(out, x.shape), 'sqrt', [x], (g) => {
    const gd = g.data;
    const gx = like(x);
    for (let i = 0; i < gx.length; i++) gx[i] = gd[i]! / (2 * out[i]!);
    return [new Tensor(gx, x.shape)];
  });
}

/** 1 / x */
export function reciprocal(x: Tensor): Tensor {
  const xd = x.data;
  const out = like(x);
  for (let i = 0; i < out.length; i++) out[i] = 1 / xd[i]!;
  return attach(new Tensor(out, x.shape), 'reciprocal', [x], (g) => {
    const gd = g.data;
    const gx = like(x);
    for (let i = 0; i < gx.length; i++) {
      const y = out[i]!;
      gx[i] = -gd[i]! * y * y;
    }
    return [new Tensor(gx, x.shape)];
  });
}

/** |x|; the gradient is sign(x), 0 at 0, as in PyTorch. */
export function abs(x: Tensor): Tensor {
  const xd = x.data;
  const out = like(x);
  for (let i = 0; i < out.length; i++) out[i] = Math.abs(xd[i]!);
  return attach(new Tensor(out, x.shape), 'abs', [x], (g) => {
    const gd = g.data;
    const gx = like(x);
    for (let i = 0; i < gx.length; i++) {
      const v = xd[i]!;
      gx[i] = v > 0 ? gd[i]! : v < 0 ? -gd[i]! : 0;
    }
    return [new Tensor(gx, x.shape)];
  });
}

/** Sign of each element (−1, 0 or 1); piecewise constant, so it records no gradient. */
export function sign(x: Tensor): Tensor {
  const xd = x.data;
  const out = like(x);
  for (let i = 0; i < out.length; i++) out[i] = Math.sign(xd[i]!);
  return new Tensor(out, x.shape);
}

export interface ClampOptions {
  min?: number;
  max?: number;
}

/**
 * Limit every element to [min, max] (either bound optional). The gradient passes where min ≤ x ≤ max
 * (bounds inclusive, as in PyTorch) and is 0 where the value was clipped. NaN stays NaN.
 */
export function clamp(x: Tensor, options: ClampOptions): Tensor;
export function clamp(x: Tensor, min?: number | null, max?: number | null): Tensor;
export function clamp(x: Tensor, a?: ClampOptions | number | null, b?: number | null): Tensor {
  const opts: ClampOptions = typeof a === 'object' && a !== null ? a : { min: a ?? undefined, max: b ?? undefined };
  const lo = opts.min ?? Number.NEGATIVE_INFINITY;
  const hi = opts.max ?? Number.POSITIVE_INFINITY;
  if (opts.min === undefined && opts.max === undefined) throw new ValueError('clamp: give at least one of min and max');
  if (Number.isNaN(lo) || Number.isNaN(hi))
    throw new ValueError(`clamp: bounds must be numbers, got min=${opts.min}, max=${opts.max}`);
  const xd = x.data;
  const out = like(x);
  for (let i = 0; i < out.length; i++) {
    const v = xd[i]!;
    // PyTorch applies min then max, so with min > max every element becomes max.
    // biome-ignore lint/complexity/useMathMinMax: keeps the sign of a zero (Math.max/min pick ±0 by sign)
    const m = v < lo ? lo : v;
    // biome-ignore lint/complexity/useMathMinMax: keeps the sign of a zero (Math.min(0, -0) is -0)
    out[i] = m > hi ? hi : m;
  }
  return attach(new Tensor(out, x.shape), 'clamp', [x], (g) => {
    const gd = g.data;
    const gx = like(x);
    for (let i = 0; i < gx.length; i++) {
      const v = xd[i]!;
      gx[i] = v >= lo && v <= hi ? gd[i]! : 0;
    }
    return [new Tensor(gx, x.shape)];
  });
}
