import { Tensor } from '../tensor/tensor.js';
import { allocate } from '../tensor/dtype.js';
import type { ParityCase } from './case.js';
import { FormatError } from '../errors.js';
import { attach } from '../autograd/node.js';

/**
 * Back-propagate the reference scalar `sum(out_X * w_X)` over every `w_X` in the case's loss_weights,
 * seeding each output with its weight (equivalent to building the sum). Returns the scalar's value.
 */
export function backwardWeighted(c: ParityCase, outputs: Record<string, Tensor>): number {
  let loss = 0;
  const seeds: [Tensor, Tensor][] = [];
  for (const [wName, w] of Object.entries(c.lossWeights)) {
    const outName = wName.replace(/^w_/, '');
    const out = outputs[outName];
    if (!out) throw new FormatError(`${c.name}: loss weight '${wName}' has no output '${outName}'`);
    for (let i = 0; i < w.size; i++) loss += out.data[i]! * w.data[i]!;
    seeds.push([out, w]);
  }
  // Seed all outputs through one synthetic sum so the graph runs once even when outputs share nodes.
  let total: Tensor | null = null;
  for (const [out, w] of seeds) {
    const term = weightedSum(out, w);
    total = total ? addScalars(total, term) : term;
  }
  total?.backward();
  return loss;
}

function weightedSum(out: Tensor, w: Tensor): Tensor {
  const s = allocate(out.dtype, 1);
  for (let i = 0; i < out.size; i++) s[0]! += out.data[i]! * w.data[i]!;
  return attach(new Tensor(s, []), 'weighted_sum', [out], (g) => {
    const d = allocate(out.dtype, out.size);
    const gv = g.data[0]!;
    for (let i = 0; i < d.length; i++) d[i] = gv * w.data[i]!;
    return [new Tensor(d, out.shape)];
  });
}

function addScalars(a: Tensor, b: Tensor): Tensor {
  const s = allocate(a.dtype, 1);
  s[0] = a.data[0]! + b.data[0]!;
  return attach(new Tensor(s, []), 'add_scalars', [a, b], (g) => [g, g]);
}
