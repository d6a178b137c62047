import type { Tensor } from '../tensor/tensor.js';
import type { Module } from '../nn/module.js';
import type { Optimizer } from '../optim/optimizer.js';
import { clipGradNorm } from '../optim/clip-grad-norm.js';
import { NonFiniteLossError } from './errors.js';

/**
 * Backward, clip (when `clip` > 0) and step; returns the loss value. Throws NonFiniteLossError before touching the
 * weights when the loss or the gradient norm is not finite.
 */
export function optimizerStep(loss: Tensor, model: Module, optimizer: Optimizer, clip: number, where: string): number {
  const value = loss.item();
  if (!Number.isFinite(value)) {
    throw new NonFiniteLossError(
      `training loss is ${value} at ${where}; stopping. The last checkpoint was kept as it was (the weights of this ` +
        'step were not saved); lower the learning rate or enable clipping and resume or restart',
    );
  }
  loss.backward();
  if (clip > 0) {
    const norm = clipGradNorm(model, clip);
    if (!Number.isFinite(norm)) {
      optimizer.zeroGrad();
      throw new NonFiniteLossError(
        `gradient norm is ${norm} at ${where}; stopping. The last checkpoint was kept as it was`,
      );
    }
  }
  optimizer.step();
  optimizer.zeroGrad();
  return value;
}

/** Refuse to checkpoint or save weights that are no longer finite (the previous checkpoint stays the last good one). */
export function assertFiniteWeights(model: Module, where: string): void {
  for (const [name, p] of model.namedParameters()) {
    const d = p.data;
    for (let i = 0; i < d.length; i++) {
      if (!Number.isFinite(d[i]!)) {
        throw new NonFiniteLossError(
          `weight '${name}' became ${d[i]} at ${where}; stopping without writing a checkpoint, ` +
            'the last one on disk is kept',
        );
      }
    }
  }
}
