import { describe, expect, it } from 'vitest';
import { GRUCell } from '../src/nn/cells.js';
import { Linear } from '../src/nn/linear.js';
import { Module } from '../src/nn/module.js';
import { ModuleList } from '../src/nn/module-list.js';

describe('ModuleList', () => {
  it('registers its modules as 0, 1, … so a stack gets PyTorch parameter names', () => {
    class Stack extends Module {
      readonly cells = this.registerModule(
        'cells',
        new ModuleList([new GRUCell({ inputSize: 3, hiddenSize: 4 }), new GRUCell({ inputSize: 4, hiddenSize: 4 })]),
      );
    }
    const names = Object.keys(new Stack().stateDict());
    expect(names).toContain('cells.0.weight_ih');
    expect(names).toContain('cells.1.bias_hh');
    expect(names.every((n) => /^cells\.[01]\./.test(n))).toBe(true);
  });

  it("keeps order, length and iteration, and its parameters are its modules'", () => {
    const layers = [new Linear({ inFeatures: 2, outFeatures: 3 }), new Linear({ inFeatures: 3, outFeatures: 1 })];
    const list = new ModuleList(layers);
    expect(list.length).toBe(2);
    expect([...list]).toEqual(layers);
    expect(list.items[1]).toBe(layers[1]);
    expect(list.parameters().length).toBe(4);
  });
});
