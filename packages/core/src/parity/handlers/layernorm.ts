import type { Tensor } from '../../tensor/tensor.js';
import { registerParityHandler } from '../registry.js';
import { inputTensor } from '../case.js';
import { backwardWeighted } from '../loss.js';
import { LayerNorm } from '../../nn/layernorm.js';
import { gelu } from '../../ops/unary.js';
import { FormatError } from '../../errors.js';

/** y = gelu(layer_norm(x)) with exact (erf) GELU; parameters `weight`, `bias`. */
registerParityHandler('LayerNorm+GELU(erf)', (c) => {
  const shape = c.config.normalized_shape;
  const normalizedShape = typeof shape === 'number' ? shape : Array.isArray(shape) ? (shape as number[]) : null;
  if (normalizedShape === null)
    throw new FormatError(
      `${c.name}: config.normalized_shape must be a number or a list, got ${JSON.stringify(shape)}`,
    );
  const eps = c.config.eps === undefined ? 1e-5 : c.config.eps;
  if (typeof eps !== 'number')
    throw new FormatError(`${c.name}: config.eps must be a number, got ${JSON.stringify(eps)}`);
  const ln = new LayerNorm({ normalizedShape, eps, dtype: c.dtype });
  ln.loadStateDict(c.stateDict);
  const x = inputTensor(c, 'x').requiresGrad_();
  const outputs = { y: gelu(ln.forward(x)) };
  const loss = backwardWeighted(c, outputs);
  const grads: Record<string, Tensor | null> = { x: x.grad };
  for (const [name, p] of ln.namedParameters()) grads[name] = p.grad;
  return { outputs, loss, grads };
});
