import { Tensor } from '../tensor/tensor.js';
import { ValueError } from '../errors.js';

/** Parameters to optimise: a list (or any iterable) of tensors, or anything with `parameters()` such as a Module. */
export type ParamSource = Iterable<Tensor> | { parameters(): Iterable<Tensor> };

/** The distinct tensors of `source`, checked to be tensors and leaves. */
export function collectParams(what: string, source: ParamSource): Tensor[] {
  const iterable =
    Symbol.iterator in source
      ? (source as Iterable<Tensor>)
      : (source as { parameters(): Iterable<Tensor> }).parameters();
  const params: Tensor[] = [];
  const seen = new Set<Tensor>();
  let i = 0;
  for (const p of iterable) {
    if (!(p instanceof Tensor)) throw new ValueError(`${what}: parameter ${i} is not a Tensor`);
    if (!p.isLeaf)
      throw new ValueError(
        `${what}: parameter ${i} is not a leaf tensor (it was computed by '${p.gradFn!.name}'); optimise leaves only`,
      );
    if (seen.has(p)) throw new ValueError(`${what}: parameter ${i} appears more than once`);
    seen.add(p);
    params.push(p);
    i++;
  }
  return params;
}

/** The accepted range of a hyperparameter: [min, below) (defaults: min 0, no upper bound). */
export interface HyperRange {
  min?: number;
  below?: number;
}

/** Throw a ValueError unless `value` is a finite number ≥ `min` (and < `below` when given). */
export function checkHyper(what: string, name: string, value: number, range: HyperRange = {}): number {
  const min = range.min ?? 0;
  const below = range.below ?? Infinity;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value >= below) {
    const range = below === Infinity ? `≥ ${min}` : `in [${min}, ${below})`;
    throw new ValueError(`${what}: invalid ${name} ${String(value)} (must be a finite number ${range})`);
  }
  return value;
}
