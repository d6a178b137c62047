// Parity for module 'functional' (shared/reference/pytorch/stable_math.json): numerically extreme inputs
// (±1000, 88.7, −103, 1e−8) through the softmax family and the saturating activations, forward only.
import { Tensor } from '../../tensor/tensor.js';
import { allocate } from '../../tensor/dtype.js';
import { inputTensor, type ParityCase } from '../case.js';
import { registerParityHandler, type ParityResult } from '../registry.js';
import { logSoftmax, logsumexp, softmax } from '../../ops/softmax.js';
import { sigmoid, tanh } from '../../ops/unary.js';
import { FormatError } from '../../errors.js';

/**
 * The reference formula for binary cross-entropy with logits against target 1, elementwise, no reduction:
 * max(x, 0) − x·t + log1p(exp(−|x|)). It is stable for any |x|; the losses module has its own op and tests.
 */
function bceWithLogitsTarget1(x: Tensor): Tensor {
  const out = allocate(x.dtype, x.size);
  const t = 1;
  for (let i = 0; i < out.length; i++) {
    const v = x.data[i]!;
    out[i] = Math.max(v, 0) - v * t + Math.log1p(Math.exp(-Math.abs(v)));
  }
  return new Tensor(out, x.shape);
}

const OUTPUTS: Record<string, (x: Tensor) => Tensor> = {
  softmax: (x) => softmax(x, -1),
  log_softmax: (x) => logSoftmax(x, -1),
  logsumexp: (x) => logsumexp(x, -1),
  sigmoid: (x) => sigmoid(x),
  tanh: (x) => tanh(x),
  bce_with_logits_target1: bceWithLogitsTarget1,
};

registerParityHandler('functional', (c: ParityCase): ParityResult => {
  const x = inputTensor(c, 'x');
  const outputs: Record<string, Tensor> = {};
  for (const key of Object.keys(c.outputs)) {
    const f = OUTPUTS[key];
    if (!f)
      throw new FormatError(
        `${c.name}: no functional op for output '${key}' (known: ${Object.keys(OUTPUTS).join(', ')})`,
      );
    outputs[key] = f(x);
  }
  return { outputs };
});
