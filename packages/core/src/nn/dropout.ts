import { Module } from './module.js';
import type { Tensor } from '../tensor/tensor.js';
import { dropout } from '../ops/dropout.js';
import { defaultGenerator, type Generator } from '../random.js';
import { ValueError } from '../errors.js';

export interface DropoutOptions {
  p?: number;
  generator?: Generator;
}

export class Dropout extends Module {
  readonly p: number;
  private readonly generator: Generator | undefined;

  constructor(options: DropoutOptions | number = {}) {
    super();
    const opts = typeof options === 'number' ? { p: options } : options;
    this.p = opts.p ?? 0.5;
    if (!(this.p >= 0 && this.p <= 1)) throw new ValueError(`Dropout: p must be in [0, 1], got ${this.p}`);
    this.generator = opts.generator;
  }

  forward(x: Tensor): Tensor {
    return dropout(x, this.p, this.training, this.generator ?? defaultGenerator());
  }
}
