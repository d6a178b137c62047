// Geometry of the kit's charts: pure functions, unit-tested, so the components only draw.

export interface PlotArea {
  left: number;
  top: number;
  width: number;
  height: number;
}

export type Domain = readonly [number, number];

/** A point of a line: its position (0-based index) and value. */
export interface Sample {
  index: number;
  value: number;
}

/** x of position `index` of `count` (a single point sits in the middle). */
export function xOf(index: number, count: number, area: PlotArea): number {
  return count <= 1 ? area.left + area.width / 2 : area.left + (index / (count - 1)) * area.width;
}

/** y of `value` within `domain` (its top at the top of the area), clamped to the area. */
export function yOf(value: number, area: PlotArea, domain: Domain = [0, 1]): number {
  const [lo, hi] = domain;
  const t = hi === lo ? 0.5 : (value - lo) / (hi - lo);
  return area.top + (1 - Math.min(1, Math.max(0, t))) * area.height;
}

/**
 * At most ~maxPoints samples of `values` for drawing: all of them when they fit, else the minimum and maximum of each
 * of maxPoints/2 equal buckets (in position order), so spikes survive in a 10,000-point series. Non-finite values
 * (a gap, e.g. a loss not measured at that step) are left out.
 */
export function downsample(values: readonly number[], maxPoints: number): Sample[] {
  if (!Number.isInteger(maxPoints) || maxPoints < 2) {
    throw new RangeError(`downsample: maxPoints must be an integer ≥ 2, got ${maxPoints}`);
  }
  if (values.length <= maxPoints) {
    return values.flatMap((value, index) => (Number.isFinite(value) ? [{ index, value }] : []));
  }
  const buckets = Math.floor(maxPoints / 2);
  const out: Sample[] = [];
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor((b * values.length) / buckets);
    const end = Math.floor(((b + 1) * values.length) / buckets);
    let lo = -1;
    let hi = -1;
    for (let i = start; i < end; i++) {
      const v = values[i] as number;
      if (!Number.isFinite(v)) continue;
      if (lo < 0 || v < (values[lo] as number)) lo = i;
      if (hi < 0 || v > (values[hi] as number)) hi = i;
    }
    if (lo < 0) continue;
    for (const i of lo === hi ? [lo] : [Math.min(lo, hi), Math.max(lo, hi)])
      out.push({ index: i, value: values[i] as number });
  }
  return out;
}

/** SVG path ("M x y L x y …") through the samples of a series of `count` positions. */
export function linePath(samples: readonly Sample[], count: number, area: PlotArea, domain: Domain = [0, 1]): string {
  return samples
    .map(
      (s, i) =>
        `${i === 0 ? 'M' : 'L'}${xOf(s.index, count, area).toFixed(1)} ${yOf(s.value, area, domain).toFixed(1)}`,
    )
    .join(' ');
}

/** Smallest and largest finite value over every series ([0, 1] when there is none). */
export function extent(series: readonly (readonly number[])[]): Domain {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const values of series) {
    for (const v of values) {
      if (!Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return lo <= hi ? [lo, hi] : [0, 1];
}

/** A round step (1, 2 or 5 × 10^k) that cuts `span` into about `count` intervals. */
function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
}

/**
 * Round ticks covering [lo, hi] with about `count` intervals, and the domain they span (so the axis ends on a tick).
 * A flat series (lo = hi) gets a unit-wide domain around its value.
 */
export function niceTicks(lo: number, hi: number, count = 5): { domain: Domain; ticks: number[] } {
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || lo > hi) {
    throw new RangeError(`niceTicks: expected finite lo ≤ hi, got ${lo} and ${hi}`);
  }
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const step = niceStep(hi - lo, count);
  const start = Math.floor(lo / step) * step;
  const end = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  for (let i = 0; start + i * step <= end + step * 1e-9; i++) ticks.push(Number((start + i * step).toPrecision(12)));
  return { domain: [ticks[0] as number, ticks[ticks.length - 1] as number], ticks };
}

/** The position whose x is nearest to `x` (for hover read-outs), clamped to [0, count - 1]. */
export function indexAt(x: number, count: number, area: PlotArea): number {
  if (count <= 1) return 0;
  const t = (x - area.left) / area.width;
  return Math.min(count - 1, Math.max(0, Math.round(t * (count - 1))));
}
