import {
  AdditiveAttention,
  cat,
  dropout,
  Embedding,
  GRUCell,
  Linear,
  LSTMCell,
  LuongAttention,
  Module,
  ModuleList,
  noGrad,
  reshape,
  ShapeError,
  split,
  stack,
  tanh,
  linear,
  zeros,
  ValueError,
  type Attention,
  type DType,
  type Generator,
  type PreparedKeys,
  type Tensor,
} from '@recurrent/core';
import { memoryWidth, type TranslatorArchitecture } from './architecture.js';

/** The decoder's recurrent state: one [B, H] per layer (c only for LSTM) and the fed-back h̃ (input feeding). */
export interface TranslationDecoderState {
  h: Tensor[];
  c: Tensor[] | null;
  feed: Tensor | null;
}

/** Encoder outputs prepared once per batch: attention keys and the valid source lengths. */
export interface TranslationMemory {
  keys: PreparedKeys;
  lengths: Int32Array;
}

export interface TranslationDecoderOptions {
  generator: Generator;
  dtype?: DType;
}

/**
 * Luong-style attentional decoder with input feeding (the step of core's AttentionDecoder, plus tied output
 * embeddings):
 *   x_t = [emb(y_{t−1}); h̃_{t−1}],  h_t = cells(x_t, h_{t−1}),  (c_t, a_t) = attention(h_t, encoder outputs),
 *   h̃_t = tanh(W_c [h_t; c_t]),  logits_t = W_o h̃_t + b_o   (tied: E · P h̃_t + b, P only when E ≠ H).
 * Names: `embedding.weight`, `cells.{l}.weight_ih|weight_hh|bias_ih|bias_hh`, `attention.query_proj.weight`
 * (+ `key_proj.weight`, `v.weight` for additive), `combine.weight`, `out.weight|bias` or (tied) `out_proj.weight`,
 * `out_bias` — the same names as core's AttentionDecoder when untied.
 */
export class TranslationDecoder extends Module {
  readonly vocabSize: number;
  readonly hiddenSize: number;
  readonly memoryDim: number;
  readonly cellType: 'gru' | 'lstm';
  readonly inputFeeding: boolean;
  readonly dropoutP: number;
  readonly embedding: Embedding;
  readonly cells: ModuleList<GRUCell | LSTMCell>;
  readonly attention: Attention;
  readonly combine: Linear;
  /** Untied output layer [V, H]. */
  readonly out: Linear | null;
  /** Tied: projection h̃ → embedding space [E, H] when E ≠ H. */
  readonly outProj: Linear | null;
  /** Tied: output bias [V]. */
  readonly outBias: Tensor | null;
  private readonly generator: Generator;

  constructor(arch: TranslatorArchitecture, options: TranslationDecoderOptions) {
    super();
    const H = arch.decoderHidden;
    const E = arch.embeddingDim;
    const M = memoryWidth(arch);
    this.vocabSize = arch.vocabSize;
    this.hiddenSize = H;
    this.memoryDim = M;
    this.cellType = arch.cell;
    this.inputFeeding = arch.inputFeeding;
    this.dropoutP = arch.dropout;
    this.generator = options.generator;
    const p = { generator: options.generator, dtype: options.dtype };
    this.embedding = this.registerModule(
      'embedding',
      new Embedding({ numEmbeddings: arch.vocabSize, embeddingDim: E, paddingIdx: 0, ...p }),
    );
    const Cell = arch.cell === 'gru' ? GRUCell : LSTMCell;
    const inputOf = (l: number): number => (l === 0 ? E + (arch.inputFeeding ? H : 0) : H);
    this.cells = this.registerModule(
      'cells',
      new ModuleList<GRUCell | LSTMCell>(
        Array.from({ length: arch.decoderLayers }, (_, l) => new Cell({ inputSize: inputOf(l), hiddenSize: H, ...p })),
      ),
    );
    this.attention = this.registerModule(
      'attention',
      arch.attention === 'additive'
        ? new AdditiveAttention({ queryDim: H, keyDim: M, hiddenDim: arch.attentionSize, ...p })
        : new LuongAttention({ queryDim: H, keyDim: M, score: arch.attention, ...p }),
    );
    this.combine = this.registerModule('combine', new Linear({ inFeatures: H + M, outFeatures: H, bias: false, ...p }));
    if (arch.tieTargetEmbeddings) {
      this.out = null;
      this.outProj =
        E === H
          ? null
          : this.registerModule('out_proj', new Linear({ inFeatures: H, outFeatures: E, bias: false, ...p }));
      this.outBias = this.registerParameter('out_bias', zeros([arch.vocabSize], { dtype: options.dtype }));
    } else {
      this.out = this.registerModule('out', new Linear({ inFeatures: H, outFeatures: arch.vocabSize, ...p }));
      this.outProj = null;
      this.outBias = null;
    }
  }

  get dtype(): DType {
    return this.embedding.weight.dtype;
  }

  get numLayers(): number {
    return this.cells.length;
  }

  /** Prepare encoder outputs [B, S, memoryDim] once (additive attention projects the keys here). */
  prepareMemory(outputs: Tensor, lengths: ArrayLike<number>): TranslationMemory {
    if (outputs.ndim !== 3 || outputs.shape[2] !== this.memoryDim) {
      throw new ShapeError(
        `TranslationDecoder: memory must have shape [B, S, ${this.memoryDim}], got [${outputs.shape.join(', ')}]`,
      );
    }
    if (lengths.length !== outputs.shape[0])
      throw new ShapeError(`TranslationDecoder: ${lengths.length} source lengths for a batch of ${outputs.shape[0]}`);
    return { keys: this.attention.precomputeKeys(outputs), lengths: Int32Array.from(lengths) };
  }

  /** The fed-back vector of the first step: zeros [B, H] (null without input feeding). */
  initialFeed(batch: number): Tensor | null {
    return this.inputFeeding ? zeros([batch, this.hiddenSize], { dtype: this.dtype }) : null;
  }

  /**
   * One step on embedded inputs [R, E]: the attentional vector h̃ [R, H], the attention weights [R, S] and the new
   * state. `keyRows[r]` is the memory row that decoder row r attends over (beams sharing one source).
   */
  step(
    emb: Tensor,
    memory: TranslationMemory,
    state: TranslationDecoderState,
    keyRows?: Int32Array,
  ): { output: Tensor; weights: Tensor; state: TranslationDecoderState } {
    let x = state.feed ? cat([emb, state.feed], 1) : emb;
    const h: Tensor[] = [];
    const c: Tensor[] | null = state.c ? [] : null;
    this.cells.items.forEach((cell, l) => {
      if (l > 0) x = dropout(x, this.dropoutP, this.training, this.generator);
      const hPrev = state.h[l];
      if (!hPrev) throw new ValueError(`TranslationDecoder: the state has no layer ${l}`);
      if (cell instanceof LSTMCell) {
        const cPrev = state.c?.[l];
        if (!cPrev || !c)
          throw new ValueError(`TranslationDecoder: an LSTM decoder needs the cell state of layer ${l}`);
        const s = cell.forward(x, { h: hPrev, c: cPrev });
        h.push(s.h);
        c.push(s.c);
        x = s.h;
      } else {
        x = cell.forward(x, hPrev);
        h.push(x);
      }
    });
    const att = this.attention.forward(x, memory.keys, { lengths: memory.lengths, keyRows });
    const output = tanh(this.combine.forward(cat([x, att.context], 1)));
    return { output, weights: att.weights, state: { h, c, feed: this.inputFeeding ? output : null } };
  }

  /** Logits over the vocabulary from attentional vectors [..., H] (dropout applied while training). */
  logits(hidden: Tensor): Tensor {
    const x = dropout(hidden, this.dropoutP, this.training, this.generator);
    if (this.out) return this.out.forward(x);
    const projected = this.outProj ? this.outProj.forward(x) : x;
    return linear(projected, this.embedding.weight, this.outBias);
  }

  /**
   * Teacher forcing over decoder inputs `ids` [B·T] (bos first): logits [B, T, V], the attention of every step
   * [B, T, S] (detached) and the final state.
   */
  forward(
    ids: ArrayLike<number>,
    batch: number,
    length: number,
    memory: TranslationMemory,
    state: TranslationDecoderState,
  ): { logits: Tensor; attention: Tensor; state: TranslationDecoderState } {
    if (ids.length !== batch * length)
      throw new ShapeError(`TranslationDecoder: ${ids.length} target ids, expected ${batch} × ${length}`);
    const E = this.embedding.embeddingDim;
    const emb = dropout(this.embedding.forward(ids, [batch, length]), this.dropoutP, this.training, this.generator);
    const steps = length === 1 ? [emb] : split(emb, 1, 1);
    const outputs: Tensor[] = [];
    const weights: Tensor[] = [];
    let s = state;
    for (const e of steps) {
      const r = this.step(reshape(e, [batch, E]), memory, s);
      outputs.push(r.output);
      weights.push(r.weights);
      s = r.state;
    }
    const attention = noGrad(() =>
      stack(
        weights.map((w) => w.detach()),
        1,
      ),
    );
    return { logits: this.logits(stack(outputs, 1)), attention, state: s };
  }
}
