import type { Tensor } from '../../tensor/tensor.js';
import { registerParityHandler } from '../registry.js';
import { inputTensor, type ParityCase } from '../case.js';
import { backwardWeighted } from '../loss.js';
import { Module } from '../../nn/module.js';
import { Conv2d } from '../../nn/conv2d.js';
import { AdaptiveAvgPool2d, MaxPool2d } from '../../nn/pool.js';
import { relu } from '../../ops/unary.js';
import { flatten } from '../../ops/shape.js';
import type { DType } from '../../tensor/dtype.js';
import { FormatError } from '../../errors.js';

/** A section of the case config holding only numbers, e.g. conv1: {in, out, k, stride, padding}. */
function numbers(c: ParityCase, key: string, fields: string[]): Record<string, number> {
  const section = c.config[key] as Record<string, unknown> | undefined;
  const out: Record<string, number> = {};
  for (const f of fields) {
    const v = section?.[f];
    if (typeof v !== 'number')
      throw new FormatError(`${c.name}: config.${key}.${f} must be a number, got ${JSON.stringify(v)}`);
    out[f] = v;
  }
  return out;
}

/** conv1 → ReLU → MaxPool2d → conv2 → ReLU → AdaptiveAvgPool2d(1), with the reference's parameter names. */
class SmallConvNet extends Module {
  readonly conv1: Conv2d;
  readonly pool: MaxPool2d;
  readonly conv2: Conv2d;
  readonly gap = new AdaptiveAvgPool2d({ outputSize: 1 });

  constructor(c: ParityCase, dtype: DType) {
    super();
    const conv = (key: string): Conv2d => {
      const k = numbers(c, key, ['in', 'out', 'k', 'stride', 'padding']);
      return new Conv2d({
        inChannels: k.in!,
        outChannels: k.out!,
        kernelSize: k.k!,
        stride: k.stride!,
        padding: k.padding!,
        dtype,
      });
    };
    const p = numbers(c, 'pool', ['kernel', 'stride']);
    this.conv1 = this.registerModule('conv1', conv('conv1'));
    this.pool = new MaxPool2d({ kernelSize: p.kernel!, stride: p.stride! });
    this.conv2 = this.registerModule('conv2', conv('conv2'));
  }

  /** y1 = maxpool(relu(conv1(x))) [N, C1, H', W']; y2 = global average of relu(conv2(y1)), flattened to [N, C2]. */
  forward(x: Tensor): { y1: Tensor; y2: Tensor } {
    const y1 = this.pool.forward(relu(this.conv1.forward(x)));
    const y2 = flatten(this.gap.forward(relu(this.conv2.forward(y1))), 1);
    return { y1, y2 };
  }
}

registerParityHandler('Conv2d+ReLU+MaxPool2d+Conv2d(stride2)+ReLU+AdaptiveAvgPool2d(1)', (c) => {
  const net = new SmallConvNet(c, c.dtype);
  net.loadStateDict(c.stateDict);
  const x = inputTensor(c, 'x').requiresGrad_();
  const outputs = net.forward(x);
  const loss = backwardWeighted(c, outputs);
  const grads: Record<string, Tensor | null> = { x: x.grad };
  for (const [name, p] of net.namedParameters()) grads[name] = p.grad;
  return { outputs, loss, grads };
});

/** A module holding one Conv2d as `conv`, so state-dict names are conv.weight / conv.bias. */
class SingleConv extends Module {
  readonly conv: Conv2d;
  constructor(conv: Conv2d) {
    super();
    this.conv = this.registerModule('conv', conv);
  }
}

/**
 * One Conv2d with any groups (depthwise when groups = in), dilation and optional bias, named `conv` as in the
 * reference: config.conv {in, out, k, stride, padding, dilation, groups, bias (0/1)}; input x, output y.
 */
registerParityHandler('Conv2d(groups)', (c) => {
  const k = numbers(c, 'conv', ['in', 'out', 'k', 'stride', 'padding', 'dilation', 'groups', 'bias']);
  const conv = new Conv2d({
    inChannels: k.in!,
    outChannels: k.out!,
    kernelSize: k.k!,
    stride: k.stride!,
    padding: k.padding!,
    dilation: k.dilation!,
    groups: k.groups!,
    bias: k.bias === 1,
    dtype: c.dtype,
  });
  const net = new SingleConv(conv);
  net.loadStateDict(c.stateDict);
  const x = inputTensor(c, 'x').requiresGrad_();
  const outputs = { y: conv.forward(x) };
  const loss = backwardWeighted(c, outputs);
  const grads: Record<string, Tensor | null> = { x: x.grad };
  for (const [name, p] of net.namedParameters()) grads[name] = p.grad;
  return { outputs, loss, grads };
});
