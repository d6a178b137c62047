import { Module } from './module.js';

/**
 * PyTorch's `nn.ModuleList`: modules held in order and registered as `0`, `1`, …, so a stack of cells or layers
 * gets PyTorch's parameter names (`cells.0.weight_ih`, `cells.1.weight_ih`, …).
 */
export class ModuleList<M extends Module = Module> extends Module {
  readonly items: readonly M[];

  constructor(modules: readonly M[]) {
    super();
    this.items = [...modules];
    this.items.forEach((m, i) => {
      this.registerModule(String(i), m);
    });
  }

  get length(): number {
    return this.items.length;
  }

  [Symbol.iterator](): Iterator<M> {
    return this.items[Symbol.iterator]();
  }
}
