import { describe, expect, it } from 'vitest';
import { GELU, ReLU, Sequential, Sigmoid, Tanh } from '../src/nn/activations.js';
import { Conv2d } from '../src/nn/conv2d.js';
import { LayerNorm } from '../src/nn/layernorm.js';
import { MaxPool2d } from '../src/nn/pool.js';
import { Linear } from '../src/nn/linear.js';
import { Module } from '../src/nn/module.js';
import { tensor, randn } from '../src/tensor/creation.js';
import { Generator } from '../src/random.js';
import { ValueError } from '../src/errors.js';

describe('activation modules', () => {
  it('compute ReLU, Tanh, Sigmoid and exact GELU', () => {
    const x = tensor([-2, -0.5, 0, 1.5], undefined, { dtype: 'float64' });
    expect(new ReLU().forward(x).toArray()).toEqual([0, 0, 0, 1.5]);
    const close = (got: number[], want: number[]): void =>
      got.forEach((v, i) => {
        expect(v).toBeCloseTo(want[i]!, 12);
      });
    close(new Tanh().forward(x).toArray(), [-2, -0.5, 0, 1.5].map(Math.tanh));
    close(
      new Sigmoid().forward(x).toArray(),
      [-2, -0.5, 0, 1.5].map((v) => 1 / (1 + Math.exp(-v))),
    );
    // x·Φ(x) with Φ(−2) = 0.022750131948179, Φ(−0.5) = 0.308537538725987, Φ(1.5) = 0.933192798731142.
    close(new GELU().forward(x).toArray(), [
      -2 * 0.022750131948179,
      -0.5 * 0.308537538725987,
      0,
      1.5 * 0.933192798731142,
    ]);
    expect(new GELU().parameters()).toEqual([]);
  });
});

describe('Sequential', () => {
  it("registers children as '0', '1', … like PyTorch and chains their forwards", () => {
    const g = new Generator(0);
    const net = new Sequential(
      new Conv2d({ inChannels: 1, outChannels: 2, kernelSize: 3, padding: 1, generator: g }),
      new ReLU(),
      new MaxPool2d({ kernelSize: 2 }),
      new LayerNorm({ normalizedShape: 2 }),
    );
    expect(Object.keys(net.stateDict())).toEqual(['0.weight', '0.bias', '3.weight', '3.bias']);
    expect(net.length).toBe(4);
    expect(net.at(1)).toBeInstanceOf(ReLU);
    expect(net.at(-1)).toBeInstanceOf(LayerNorm);
    expect([...net].length).toBe(4);
    const x = randn([2, 1, 4, 4], { generator: g });
    const y = net.forward(x);
    expect(y.shape).toEqual([2, 2, 2, 2]);
    let manual = x;
    for (const layer of net) manual = layer.forward(manual);
    expect(y.toArray()).toEqual(manual.toArray());
    y.backward(randn(y.shape, { generator: g }));
    expect(net.parameters().every((p) => p.grad !== null)).toBe(true);
  });

  it('nests and loads state dicts by dotted names', () => {
    const inner = new Sequential(new Linear({ inFeatures: 3, outFeatures: 2 }), new Tanh());
    const outer = new Sequential(inner, new Linear({ inFeatures: 2, outFeatures: 1 }));
    expect(Object.keys(outer.stateDict())).toEqual(['0.0.weight', '0.0.bias', '1.weight', '1.bias']);
    const copy = new Sequential(
      new Sequential(new Linear({ inFeatures: 3, outFeatures: 2 }), new Tanh()),
      new Linear({ inFeatures: 2, outFeatures: 1 }),
    );
    copy.loadStateDict(outer.stateDict());
    const x = randn([4, 3]);
    expect(copy.forward(x).toArray()).toEqual(outer.forward(x).toArray());
  });

  it('rejects things that are not one-tensor modules and bad indices', () => {
    expect(() => new Sequential(new ReLU(), {} as unknown as ReLU)).toThrow(/argument 1 is not a Module/);
    expect(() => new Sequential(new Module() as unknown as ReLU)).toThrow(ValueError);
    expect(() => new Sequential(new ReLU()).at(3)).toThrow(/index 3 is out of range for 1 layer/);
  });
});
