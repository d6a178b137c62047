import { Tensor } from '../../tensor/tensor.js';
import { registerParityHandler } from '../registry.js';
import { inputNumbers, inputTensor } from '../case.js';
import { backwardWeighted } from '../loss.js';
import { AdditiveAttention, LuongAttention } from '../../nn/attention.js';
import { FormatError } from '../../errors.js';

/**
 * 'attention': additive (Wa, Ua, va) and Luong general (Wg) attention over `enc` [B, S, D] from `q` [B, D]
 * with a length mask. The reference passes the weights as raw tensors; they load into the modules'
 * `query_proj.weight`, `key_proj.weight`, `v.weight` and the Luong `query_proj.weight`.
 */
registerParityHandler('attention', (c) => {
  const enc = inputTensor(c, 'enc').requiresGrad_();
  const q = inputTensor(c, 'q').requiresGrad_();
  const lengths = inputNumbers(c, 'lengths');
  if (!lengths) throw new FormatError(`${c.name}: input 'lengths' missing`);
  const Wa = inputTensor(c, 'Wa');
  const Ua = inputTensor(c, 'Ua');
  const va = inputTensor(c, 'va');
  const Wg = inputTensor(c, 'Wg');
  const [, , D] = enc.shape as [number, number, number];
  const dtype = c.dtype;
  const additive = new AdditiveAttention({ queryDim: q.shape[1]!, keyDim: D, hiddenDim: Wa.shape[0]!, dtype });
  additive.loadStateDict({
    'query_proj.weight': Wa,
    'key_proj.weight': Ua,
    'v.weight': new Tensor(va.data, [1, va.size]),
  });
  const general = new LuongAttention({ queryDim: q.shape[1]!, keyDim: D, score: 'general', dtype });
  general.loadStateDict({ 'query_proj.weight': Wg });

  const add = additive.forward(q, additive.precomputeKeys(enc), { lengths });
  const gen = general.forward(q, enc, { lengths });
  const outputs = { a_add: add.weights, ctx_add: add.context, a_gen: gen.weights, ctx_gen: gen.context };
  const loss = backwardWeighted(c, outputs);
  const vGrad = additive.v.weight.grad;
  return {
    outputs,
    loss,
    grads: {
      enc: enc.grad,
      q: q.grad,
      Wa: additive.queryProj.weight.grad,
      Ua: additive.keyProj.weight.grad,
      va: vGrad ? new Tensor(vGrad.data, va.shape) : null,
      Wg: general.queryProj!.weight.grad,
    },
  };
});
