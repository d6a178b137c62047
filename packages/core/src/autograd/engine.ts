import type { Tensor } from '../tensor/tensor.js';
import type { Node } from './node.js';
import { noGrad } from './grad-mode.js';
import { allocate } from '../tensor/dtype.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import { RecurrentError, ShapeError } from '../errors.js';

/** Nodes reachable from `root`, inputs before the nodes that consumed them. */
function topologicalOrder(root: Node): Node[] {
  const order: Node[] = [];
  const visited = new Set<Node>([root]);
  const stack: [Node, number][] = [[root, 0]];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const [node, next] = top;
    if (next < node.inputs.length) {
      top[1] = next + 1;
      const child = node.inputs[next]!.gradFn;
      if (child && !visited.has(child)) {
        visited.add(child);
        stack.push([child, 0]);
      }
    } else {
      stack.pop();
      order.push(node);
    }
  }
  return order;
}

function sumInto(target: Float32Array | Float64Array, source: Float32Array | Float64Array): void {
  for (let i = 0; i < target.length; i++) target[i]! += source[i]!;
}

function added(a: Tensor, b: Tensor): Tensor {
  const out = allocate(a.dtype, a.size);
  out.set(a.data);
  sumInto(out, b.data);
  return a.withData(out);
}

export interface BackwardOptions {
  /** Keep the graph so backward can run through it again (torch's retain_graph). */
  retainGraph?: boolean;
}

/** Reverse-mode differentiation from `root`, seeding it with `grad`. Leaf gradients accumulate in `.grad`. */
export function runBackward(root: Tensor, grad: Tensor, options: BackwardOptions = {}): void {
  if (!root.requiresGrad) {
    throw new RecurrentError(
      'backward() called on a tensor that does not require grad (was it made inside noGrad or from detached inputs?)',
    );
  }
  if (!shapesEqual(grad.shape, root.shape)) {
    throw new ShapeError(
      `backward(): gradient shape ${formatShape(grad.shape)} does not match tensor shape ${formatShape(root.shape)}`,
    );
  }
  if (!root.gradFn) {
    root.accumulateGrad(grad);
    return;
  }
  const start = root.gradFn;
  if (!start.backwardFn) {
    throw new RecurrentError(
      'backward() through a graph that was already freed; pass {retainGraph: true} to the first backward to run ' +
        'it twice',
    );
  }
  const order = topologicalOrder(start);
  const pending = new Map<Node, (Tensor | null)[]>();
  // Sums of several gradients for one tensor that this engine allocated and no backward has seen yet: later
  // gradients for that tensor are added into them in place (a tensor used at every decoder step gets one sum
  // buffer instead of a fresh copy per step; the same additions in the same order as added()).
  const ownSums = new Set<Tensor>();
  const seed: (Tensor | null)[] = start.outputShapes.map(() => null);
  seed[root.outputIndex] = grad;
  pending.set(start, seed);

  noGrad(() => {
    for (let k = order.length - 1; k >= 0; k--) {
      const node = order[k]!;
      const slots = pending.get(node);
      if (!slots) continue;
      pending.delete(node);
      for (const g of slots) if (g) ownSums.delete(g);
      const backwardFn = node.backwardFn;
      if (!backwardFn) {
        throw new RecurrentError(
          `backward() reached '${node.name}', whose graph was already freed; use {retainGraph: true}`,
        );
      }
      const gradOutputs = slots.map((g, i) => g ?? root.zerosOfShape(node.outputShapes[i]!, node.outputDType));
      if (node.retained) for (const t of node.retained) t.accumulateGrad(gradOutputs[t.outputIndex]!);
      const gradInputs = backwardFn(gradOutputs);
      node.inputs.forEach((input, i) => {
        const g = gradInputs[i];
        if (!g || !input.requiresGrad) return;
        if (!shapesEqual(g.shape, input.shape)) {
          throw new ShapeError(
            `internal: '${node.name}' backward produced gradient ${formatShape(g.shape)} for input ` +
              `${formatShape(input.shape)}`,
          );
        }
        const producer = input.gradFn;
        if (!producer) {
          input.accumulateGrad(g);
          return;
        }
        let inSlots = pending.get(producer);
        if (!inSlots) {
          inSlots = producer.outputShapes.map(() => null);
          pending.set(producer, inSlots);
        }
        const prev = inSlots[input.outputIndex];
        if (!prev) inSlots[input.outputIndex] = g;
        else if (ownSums.has(prev)) sumInto(prev.data, g.data);
        else {
          const sum = added(prev, g);
          ownSums.add(sum);
          inSlots[input.outputIndex] = sum;
        }
      });
      if (!options.retainGraph) {
        node.inputs = [];
        node.backwardFn = null;
        node.retained = null;
      }
    }
  });
}
