import type { Tensor } from '../tensor/tensor.js';
import type { DType } from '../tensor/dtype.js';
import { isGradEnabled } from './grad-mode.js';

/**
 * Receives the gradient of every output (zeros for outputs nothing depended on) and returns the
 * gradient for every input, in order; null where an input needs none.
 */
export type BackwardFn = (gradOutputs: Tensor[]) => (Tensor | null | undefined)[];

/** One recorded operation in the autograd graph. Cleared after backward unless the graph is retained. */
export class Node {
  inputs: Tensor[];
  backwardFn: BackwardFn | null;
  readonly outputShapes: number[][];
  readonly outputDType: DType;
  /** Outputs that asked for retainGrad(); filled lazily. */
  retained: Tensor[] | null = null;

  constructor(
    readonly name: string,
    inputs: Tensor[],
    backwardFn: BackwardFn,
    outputs: Tensor[],
  ) {
    this.inputs = inputs;
    this.backwardFn = backwardFn;
    this.outputShapes = outputs.map((t) => [...t.shape]);
    this.outputDType = outputs[0]!.dtype;
  }
}

function needsGrad(inputs: Tensor[]): boolean {
  if (!isGradEnabled()) return false;
  for (const t of inputs) if (t.requiresGrad) return true;
  return false;
}

/**
 * Record `output = op(inputs)` for autograd. `backward(g)` returns one gradient per input.
 * Returns `output` so ops can `return attach(...)`.
 */
export function attach(
  output: Tensor,
  name: string,
  inputs: Tensor[],
  backward: (grad: Tensor) => (Tensor | null | undefined)[],
): Tensor {
  if (!needsGrad(inputs)) return output;
  const node = new Node(name, inputs, (gs) => backward(gs[0]!), [output]);
  output.requiresGrad = true;
  output.gradFn = node;
  output.outputIndex = 0;
  return output;
}

/** Record an op with several outputs (a fused LSTM returns output, h_n and c_n from one node). */
export function attachMany<T extends Tensor[]>(outputs: T, name: string, inputs: Tensor[], backward: BackwardFn): T {
  if (!needsGrad(inputs)) return outputs;
  const node = new Node(name, inputs, backward, outputs);
  outputs.forEach((t, i) => {
    t.requiresGrad = true;
    t.gradFn = node;
    t.outputIndex = i;
  });
  return outputs;
}
