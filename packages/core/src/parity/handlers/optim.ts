import { registerParityHandler } from '../registry.js';
import { inputTensor, type ParityCase } from '../case.js';
import { Tensor } from '../../tensor/tensor.js';
import { FormatError } from '../../errors.js';
import type { Optimizer } from '../../optim/optimizer.js';
import { SGD } from '../../optim/sgd.js';
import { Adam } from '../../optim/adam.js';
import { AdamW } from '../../optim/adamw.js';
import { RMSprop } from '../../optim/rmsprop.js';
import { Adagrad } from '../../optim/adagrad.js';
import { clipGradNorm } from '../../optim/clip-grad-norm.js';

function tensorList(c: ParityCase, key: string): Tensor[] {
  const v = c.inputs[key];
  if (!Array.isArray(v) || !v.every((t) => t instanceof Tensor))
    throw new FormatError(`${c.name}: input '${key}' must be a list of tensors`);
  return v as Tensor[];
}

function copy(t: Tensor, requiresGrad = false): Tensor {
  return new Tensor(t.data.slice(), t.shape, { requiresGrad });
}

/** PyTorch constructor arguments (snake_case) → our optimizer. */
function build(c: ParityCase, p: Tensor): Optimizer {
  const cfg = c.config as Record<string, never>;
  const kind = c.module.slice('optim.'.length);
  const common = { lr: cfg.lr, weightDecay: cfg.weight_decay, maximize: cfg.maximize };
  switch (kind) {
    case 'SGD':
      return new SGD([p], { ...common, momentum: cfg.momentum, dampening: cfg.dampening, nesterov: cfg.nesterov });
    case 'Adam':
      return new Adam([p], { ...common, betas: cfg.betas, eps: cfg.eps, amsgrad: cfg.amsgrad });
    case 'AdamW':
      return new AdamW([p], { ...common, betas: cfg.betas, eps: cfg.eps, amsgrad: cfg.amsgrad });
    case 'RMSprop':
      return new RMSprop([p], {
        ...common,
        alpha: cfg.alpha,
        eps: cfg.eps,
        momentum: cfg.momentum,
        centered: cfg.centered,
      });
    case 'Adagrad':
      return new Adagrad([p], {
        ...common,
        eps: cfg.eps,
        lrDecay: cfg.lr_decay,
        initialAccumulatorValue: cfg.initial_accumulator_value,
      });
    default:
      throw new FormatError(`${c.name}: unknown optimizer '${kind}'`);
  }
}

// Start from p0, then for each k: grad ← grads[k], step(); record the parameter after every step.
registerParityHandler('optim.*', (c) => {
  const p = copy(inputTensor(c, 'p0'), true);
  const opt = build(c, p);
  const after: Tensor[] = [];
  for (const g of tensorList(c, 'grads')) {
    p.grad = copy(g);
    opt.step();
    after.push(copy(p));
  }
  return { outputs: { params_after_each_step: after } };
});

registerParityHandler('clip_grad_norm_', (c) => {
  const params = tensorList(c, 'grads').map((g) => {
    const p = new Tensor(g.data.slice().fill(0), g.shape, { requiresGrad: true });
    p.grad = copy(g);
    return p;
  });
  const maxNorm = c.config.max_norm;
  const normType = c.config.norm_type ?? 2;
  if (typeof maxNorm !== 'number') throw new FormatError(`${c.name}: config.max_norm must be a number`);
  const total = clipGradNorm(params, maxNorm, normType === 'inf' ? Infinity : (normType as number));
  return { outputs: { total_norm: total, grads_after: params.map((p) => p.grad!) } };
});
