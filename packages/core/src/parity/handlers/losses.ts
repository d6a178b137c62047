import { registerParityHandler } from '../registry.js';
import type { ParityCase } from '../case.js';
import { Module } from '../../nn/module.js';
import { Embedding } from '../../nn/embedding.js';
import { Linear } from '../../nn/linear.js';
import { Tensor } from '../../tensor/tensor.js';
import { allocate } from '../../tensor/dtype.js';
import { FormatError } from '../../errors.js';
import { crossEntropy } from '../../losses/cross-entropy.js';
import { logSoftmaxRows } from '../../losses/log-softmax.js';

/** embedding.weight, linear.weight, linear.bias — the reference's tiny token classifier. */
class EmbeddingLinear extends Module {
  readonly embedding: Embedding;
  readonly linear: Linear;
  constructor(num: number, dim: number, paddingIdx: number | null, c: ParityCase) {
    super();
    this.embedding = this.registerModule(
      'embedding',
      new Embedding({ numEmbeddings: num, embeddingDim: dim, paddingIdx, dtype: c.dtype }),
    );
    this.linear = this.registerModule('linear', new Linear({ inFeatures: dim, outFeatures: num, dtype: c.dtype }));
  }
}

function intGrid(c: ParityCase, key: string): { values: number[]; shape: number[] } {
  const v = c.inputs[key];
  if (!Array.isArray(v) || !v.every((row) => Array.isArray(row) && row.length === (v[0] as unknown[]).length)) {
    throw new FormatError(`${c.name}: input '${key}' must be a rectangular list of lists of integers`);
  }
  const rows = v as unknown[][];
  const values = rows.flat().map((x) => {
    if (typeof x !== 'number' || !Number.isInteger(x))
      throw new FormatError(`${c.name}: input '${key}' holds a non-integer ${String(x)}`);
    return x;
  });
  return { values, shape: [rows.length, rows[0]?.length ?? 0] };
}

function numberConfig(c: ParityCase, key: string, fallback: number): number {
  const v = c.config[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number') throw new FormatError(`${c.name}: config.${key} must be a number`);
  return v;
}

registerParityHandler('Embedding+Linear+cross_entropy', (c) => {
  const num = numberConfig(c, 'num_embeddings', NaN);
  const dim = numberConfig(c, 'embedding_dim', NaN);
  const pad = c.config.padding_idx;
  const model = new EmbeddingLinear(num, dim, typeof pad === 'number' ? pad : null, c);
  model.loadStateDict(c.stateDict);
  const tokens = intGrid(c, 'tokens');
  const targets = intGrid(c, 'targets');
  const logits = model.linear.forward(model.embedding.forward(tokens.values, tokens.shape));
  const logp = allocate(logits.dtype, logits.size);
  logSoftmaxRows(logits.data, logits.size / num, num, logp);
  const loss = crossEntropy(logits, targets.values, {
    ignoreIndex: numberConfig(c, 'ignore_index', -100),
    labelSmoothing: numberConfig(c, 'label_smoothing', 0),
    reduction: 'mean',
  });
  loss.backward();
  const grads: Record<string, Tensor | null> = {};
  for (const [name, p] of model.namedParameters()) grads[name] = p.grad;
  return {
    outputs: { logits: logits.detach(), log_softmax: new Tensor(logp, logits.shape) },
    loss: loss.item(),
    grads,
  };
});
