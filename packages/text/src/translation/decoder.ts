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
import { memoryWidth, type TranslatorArchitecture, type TranslatorDecoderStyle } from './architecture.js';

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
 * Attentional decoder in one of two styles (architecture `decoderStyle`), with tied output embeddings optional.
 *
 * Luong (the step of core's AttentionDecoder) with input feeding:
 *   x_t = [emb(y_{t−1}); h̃_{t−1}],  h_t = cells(x_t, h_{t−1}),  (c_t, a_t) = attention(h_t, encoder outputs),
 *   h̃_t = tanh(W_c [h_t; c_t]),  logits_t = W_o h̃_t + b_o.
 * Bahdanau (Bahdanau et al. 2015; the decoder of the PyTorch anchors mt_S/mt_M):
 *   (c_t, a_t) = attention(s_{t−1}, encoder outputs),  s_t = cells([emb(y_{t−1}); c_t], s_{t−1}),
 *   o_t = [s_t; c_t; emb(y_{t−1})],  logits_t = W_o o_t + b_o.
 * Tied: logits = E · P o + b, P only when o's width ≠ E. `step` returns o_t (h̃_t for Luong) as `output`.
 * Names: `embedding.weight`, `cells.{l}.weight_ih|weight_hh|bias_ih|bias_hh`, `attention.query_proj.weight`
 * (+ `key_proj.weight`, `v.weight` for additive), `combine.weight` (Luong only), `out.weight|bias` or (tied)
 * `out_proj.weight`, `out_bias` — the same names as core's AttentionDecoder when untied and Luong.
 */
export class TranslationDecoder extends Module {
  readonly vocabSize: number;
  readonly hiddenSize: number;
  readonly memoryDim: number;
  readonly cellType: 'gru' | 'lstm';
  readonly inputFeeding: boolean;
  readonly style: TranslatorDecoderStyle;
  /** Width of the vector the output layer reads: H (Luong) or H + memory + E (Bahdanau). */
  readonly outputWidth: number;
  readonly dropoutP: number;
  readonly embedding: Embedding;
  readonly cells: ModuleList<GRUCell | LSTMCell>;
  readonly attention: Attention;
  /** Luong's W_c (null for Bahdanau). */
  readonly combine: Linear | null;
  /** Untied output layer [V, outputWidth]. */
  readonly out: Linear | null;
  /** Tied: projection of the output vector to embedding space [E, outputWidth] when the widths differ. */
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
    this.style = arch.decoderStyle;
    const bahdanau = this.style === 'bahdanau';
    this.outputWidth = bahdanau ? H + M + E : H;
    this.dropoutP = arch.dropout;
    this.generator = options.generator;
    const p = { generator: options.generator, dtype: options.dtype };
    this.embedding = this.registerModule(
      'embedding',
      new Embedding({ numEmbeddings: arch.vocabSize, embeddingDim: E, paddingIdx: 0, ...p }),
    );
    const Cell = arch.cell === 'gru' ? GRUCell : LSTMCell;
    const fed = bahdanau ? M : arch.inputFeeding ? H : 0;
    const inputOf = (l: number): number => (l === 0 ? E + fed : H);
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
    this.combine = bahdanau
      ? null
      : this.registerModule('combine', new Linear({ inFeatures: H + M, outFeatures: H, bias: false, ...p }));
    const O = this.outputWidth;
    if (arch.tieTargetEmbeddings) {
      this.out = null;
      this.outProj =
        E === O
          ? null
          : this.registerModule('out_proj', new Linear({ inFeatures: O, outFeatures: E, bias: false, ...p }));
      this.outBias = this.registerParameter('out_bias', zeros([arch.vocabSize], { dtype: options.dtype }));
    } else {
      this.out = this.registerModule('out', new Linear({ inFeatures: O, outFeatures: arch.vocabSize, ...p }));
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

  /** The fed-back h̃ of a Luong decoder's first step: zeros [B, H] (null without input feeding, and for Bahdanau). */
  initialFeed(batch: number): Tensor | null {
    return this.inputFeeding && this.style === 'luong' ? zeros([batch, this.hiddenSize], { dtype: this.dtype }) : null;
  }

  /**
   * One step on embedded inputs [R, E]: the output vector (h̃ [R, H] for Luong, [s; c; emb] for Bahdanau), the
   * attention weights [R, S] and the new state. `keyRows[r]` is the memory row that decoder row r attends over (beams
   * sharing one source).
   */
  step(
    emb: Tensor,
    memory: TranslationMemory,
    state: TranslationDecoderState,
    keyRows?: Int32Array,
  ): { output: Tensor; weights: Tensor; state: TranslationDecoderState } {
    const combine = this.combine; // null exactly for a Bahdanau decoder
    if (!combine) {
      const top = state.h[state.h.length - 1];
      if (!top) throw new ValueError('TranslationDecoder: the state has no layer');
      const att = this.attention.forward(top, memory.keys, { lengths: memory.lengths, keyRows });
      const next = this.cellsForward(cat([emb, att.context], 1), state);
      return { output: cat([next.top, att.context, emb], 1), weights: att.weights, state: next.state };
    }
    const { top: x, state: next } = this.cellsForward(state.feed ? cat([emb, state.feed], 1) : emb, state);
    const att = this.attention.forward(x, memory.keys, { lengths: memory.lengths, keyRows });
    const output = tanh(combine.forward(cat([x, att.context], 1)));
    return { output, weights: att.weights, state: { ...next, feed: this.inputFeeding ? output : null } };
  }

  /** The stacked cells on the first layer's input (dropout between layers while training): new h (and c), top h. */
  private cellsForward(input: Tensor, state: TranslationDecoderState): { state: TranslationDecoderState; top: Tensor } {
    let x = input;
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
    return { state: { h, c, feed: null }, top: x };
  }

  /** Logits over the vocabulary from output vectors [..., outputWidth] (dropout applied while training). */
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
