import { Module } from './module.js';
import type { Tensor } from '../tensor/tensor.js';
import { zeros } from '../tensor/creation.js';
import { embedding, type Indices } from '../ops/embedding.js';
import { normal_ } from './init.js';
import type { ParameterOptions } from './options.js';
import { ValueError } from '../errors.js';

export interface EmbeddingOptions extends ParameterOptions {
  numEmbeddings: number;
  embeddingDim: number;
  /** Index whose vector is zero-initialised and receives no gradient. */
  paddingIdx?: number | null;
}

/** Lookup table [numEmbeddings, embeddingDim], initialised N(0, 1) as in PyTorch. */
export class Embedding extends Module {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  readonly paddingIdx: number | null;
  readonly weight: Tensor;

  constructor(options: EmbeddingOptions) {
    super();
    this.numEmbeddings = options.numEmbeddings;
    this.embeddingDim = options.embeddingDim;
    let pad = options.paddingIdx ?? null;
    if (pad !== null && pad < 0) pad += options.numEmbeddings;
    if (pad !== null && (pad < 0 || pad >= options.numEmbeddings)) {
      throw new ValueError(
        `Embedding: paddingIdx ${options.paddingIdx} is out of range for ${options.numEmbeddings} embeddings`,
      );
    }
    this.paddingIdx = pad;
    this.weight = this.registerParameter(
      'weight',
      normal_(zeros([options.numEmbeddings, options.embeddingDim], { dtype: options.dtype }), 0, 1, options.generator),
    );
    if (pad !== null) this.weight.data.fill(0, pad * this.embeddingDim, (pad + 1) * this.embeddingDim);
  }

  /** `indices` of any shape (tensor or flat array; pass `shape` to give a flat array its shape). */
  forward(indices: Indices, shape?: readonly number[]): Tensor {
    return embedding(indices, this.weight, this.paddingIdx, shape);
  }
}
