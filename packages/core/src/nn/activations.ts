import { Module } from './module.js';
import type { Tensor } from '../tensor/tensor.js';
import { gelu, relu, sigmoid, tanh } from '../ops/unary.js';
import { ValueError } from '../errors.js';

/** max(x, 0) as a layer (torch.nn.ReLU). */
export class ReLU extends Module {
  forward(x: Tensor): Tensor {
    return relu(x);
  }
}

/** tanh as a layer (torch.nn.Tanh). */
export class Tanh extends Module {
  forward(x: Tensor): Tensor {
    return tanh(x);
  }
}

/** The logistic function as a layer (torch.nn.Sigmoid). */
export class Sigmoid extends Module {
  forward(x: Tensor): Tensor {
    return sigmoid(x);
  }
}

/** Exact (erf) GELU as a layer (torch.nn.GELU with approximate='none'). */
export class GELU extends Module {
  forward(x: Tensor): Tensor {
    return gelu(x);
  }
}

/** A module whose forward maps one tensor to one tensor: what Sequential can chain. */
export type TensorModule = Module & { forward(x: Tensor): Tensor };

/**
 * Chain of one-tensor layers (torch.nn.Sequential). Children are registered as '0', '1', …, so parameter names
 * match PyTorch's (`0.weight`, `2.bias`).
 */
export class Sequential extends Module {
  private readonly layers: TensorModule[];

  constructor(...layers: TensorModule[]) {
    super();
    layers.forEach((layer, i) => {
      if (!(layer instanceof Module) || typeof layer.forward !== 'function') {
        throw new ValueError(`Sequential: argument ${i} is not a Module with a forward(x) method`);
      }
      this.registerModule(String(i), layer);
    });
    this.layers = layers;
  }

  get length(): number {
    return this.layers.length;
  }

  /** The layer at `index` (negative counts from the end). */
  at(index: number): TensorModule {
    const layer = this.layers.at(index);
    if (!layer || !Number.isInteger(index))
      throw new ValueError(`Sequential: index ${index} is out of range for ${this.layers.length} layer(s)`);
    return layer;
  }

  [Symbol.iterator](): Iterator<TensorModule> {
    return this.layers[Symbol.iterator]();
  }

  forward(x: Tensor): Tensor {
    let y = x;
    for (const layer of this.layers) y = layer.forward(y);
    return y;
  }
}
