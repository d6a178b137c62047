// Float32 σ and tanh for the LSTM gates, operation for operation the arithmetic of lstm_gates.wat (see there):
// every step rounds to float32 with Math.fround, so the TypeScript and WebAssembly kernels agree bit for bit.
// (A float32 +, −, × or ÷ computed in float64 and then rounded is the correctly rounded float32 result.)
const f = Math.fround;

const LOG2E = f(1.44269504088896341);
const MAGIC = 12582912; // 1.5·2²³
const C1 = 0.693359375;
const C2 = f(-2.1219444e-4);
const P0 = f(1.98756915e-4);
const P1 = f(1.3981999507e-3);
const P2 = f(8.3334519073e-3);
const P3 = f(4.1665795894e-2);
const P4 = f(1.6666665459e-1);
const P5 = f(5.0000001201e-1);
const Q0 = f(-5.70498872745e-3);
const Q1 = f(2.06390887954e-2);
const Q2 = f(-5.37397155531e-2);
const Q3 = f(1.33314422036e-1);
const Q4 = f(-3.33332819422e-1);

/** exp(x) for float32 x ≤ 0 (NaN stays NaN); 0 below −86, so the result is 0 or normal. */
export function expNegF32(x: number): number {
  if (x < -86) return 0;
  const t = f(f(x * LOG2E) + MAGIC);
  const n = t - MAGIC;
  let r = f(x - n * C1);
  r = f(r - f(n * C2));
  let p = f(f(P0 * r) + P1);
  p = f(f(p * r) + P2);
  p = f(f(p * r) + P3);
  p = f(f(p * r) + P4);
  p = f(f(p * r) + P5);
  p = f(f(f(p * f(r * r)) + r) + 1);
  // n is an integer in [−124, 0] (NaN for a NaN x, which p already carries)
  return f(p * 2 ** n);
}

/** σ(x) of a float32 x, as lstm_gates.wat computes it. */
export function sigmoidF32(x: number): number {
  const e = expNegF32(-Math.abs(x));
  return f((x >= 0 ? 1 : e) / f(1 + e));
}

/** tanh(x) of a float32 x, as lstm_gates.wat computes it. */
export function tanhF32(x: number): number {
  const a = Math.abs(x);
  let y: number;
  if (a < 0.625) {
    const z = f(a * a);
    let q = f(f(Q0 * z) + Q1);
    q = f(f(q * z) + Q2);
    q = f(f(q * z) + Q3);
    q = f(f(q * z) + Q4);
    y = f(f(f(q * z) * a) + a);
  } else {
    const e = expNegF32(f(a * -2));
    y = f(f(1 - e) / f(1 + e));
  }
  return x < 0 || Object.is(x, -0) ? -y : y;
}
