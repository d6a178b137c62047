// Geometry of the per-word trajectory chart (components/TrajectoryChart.tsx): pure, so it is unit-tested.

export interface TrajectorySample {
  /** Token position (0-based). */
  index: number;
  /** Probability of positive after that token. */
  value: number;
}

/**
 * At most ~maxPoints samples of `values` for drawing: all of them when they fit, else the minimum and maximum of each
 * of maxPoints/2 equal buckets (in position order), so spikes survive in a 10,000-token review.
 */
export function downsample(values: readonly number[], maxPoints: number): TrajectorySample[] {
  if (!Number.isInteger(maxPoints) || maxPoints < 2) throw new RangeError(`downsample: maxPoints must be an integer ≥ 2, got ${maxPoints}`);
  if (values.length <= maxPoints) return values.map((value, index) => ({ index, value }));
  const buckets = Math.floor(maxPoints / 2);
  const out: TrajectorySample[] = [];
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor((b * values.length) / buckets);
    const end = Math.floor(((b + 1) * values.length) / buckets);
    let lo = start;
    let hi = start;
    for (let i = start; i < end; i++) {
      if (values[i]! < values[lo]!) lo = i;
      if (values[i]! > values[hi]!) hi = i;
    }
    for (const i of lo === hi ? [lo] : [Math.min(lo, hi), Math.max(lo, hi)]) out.push({ index: i, value: values[i]! });
  }
  return out;
}

export interface PlotArea {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** x of token position `index` of `count` (a single token sits in the middle). */
export function xOf(index: number, count: number, area: PlotArea): number {
  return count <= 1 ? area.left + area.width / 2 : area.left + (index / (count - 1)) * area.width;
}

/** y of probability p (1 at the top). */
export function yOf(p: number, area: PlotArea): number {
  return area.top + (1 - Math.min(1, Math.max(0, p))) * area.height;
}

/** SVG path ("M x y L x y …") through the samples. */
export function linePath(samples: readonly TrajectorySample[], count: number, area: PlotArea): string {
  return samples.map((s, i) => `${i === 0 ? 'M' : 'L'}${xOf(s.index, count, area).toFixed(1)} ${yOf(s.value, area).toFixed(1)}`).join(' ');
}
