import { ModuleList } from './module-list.js';
import { Module } from './module.js';
import { Linear } from './linear.js';
import { Embedding } from './embedding.js';
import { GRU } from './gru.js';
import { LSTM } from './lstm.js';
import { GRUCell, LSTMCell } from './cells.js';
import { runRecurrent } from '../ops/recurrent/index.js';
import { AdditiveAttention, LuongAttention, type Attention, type PreparedKeys } from './attention.js';
import type { ParameterOptions } from './options.js';
import { Tensor } from '../tensor/tensor.js';
import { allocate, type DType } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';
import { zeros } from '../tensor/creation.js';
import { noGrad } from '../autograd/grad-mode.js';
import { cat, narrow, reshape, split, stack, transpose } from '../ops/shape.js';
import { indexSelect } from '../ops/indexing.js';
import { tanh } from '../ops/unary.js';
import { dropout } from '../ops/dropout.js';
import { logSoftmaxRows } from '../losses/log-softmax.js';
import { defaultGenerator, type Generator } from '../random.js';
import { greedyDecodeBatch } from '../decode/greedy.js';
import { beamSearchBatch, type LengthNormalization } from '../decode/beam.js';
import { sampleSequenceBatch } from '../decode/sampling.js';
import type { Hypothesis, SelectStateFn, StepFn } from '../decode/types.js';
import { ShapeError, ValueError } from '../errors.js';

export type CellType = 'gru' | 'lstm';
export type AttentionType = 'additive' | 'general' | 'dot' | 'none';

/** Token ids [B, T]: a tensor holding whole numbers, or nested arrays (rows padded to equal length). */
export type TokenBatch = Tensor | readonly (readonly number[])[] | readonly Int32Array[];

/** Flatten a token batch into ids + shape, checking it is rectangular. */
export function tokenBatch(what: string, tokens: TokenBatch): { ids: Int32Array; batch: number; length: number } {
  if (tokens instanceof Tensor) {
    if (tokens.ndim !== 2)
      throw new ShapeError(`${what}: token ids must have shape [B, T], got ${formatShape(tokens.shape)}`);
    const ids = Int32Array.from(tokens.data);
    return { ids, batch: tokens.shape[0]!, length: tokens.shape[1]! };
  }
  const batch = tokens.length;
  const length = batch > 0 ? tokens[0]!.length : 0;
  if (batch === 0 || length === 0)
    throw new ShapeError(`${what}: token ids must have at least one row and one column, got [${batch}, ${length}]`);
  const ids = new Int32Array(batch * length);
  tokens.forEach((row, b) => {
    if (row.length !== length)
      throw new ShapeError(`${what}: row ${b} has ${row.length} tokens, expected ${length} (pad rows to equal length)`);
    ids.set(row, b * length);
  });
  return { ids, batch, length };
}

/** The decoder's recurrent state: one [B, H] per layer, and the fed-back attentional vector. */
export interface DecoderState {
  h: Tensor[];
  /** LSTM cell states, one per layer (null for GRU). */
  c: Tensor[] | null;
  /** h̃ of the previous step [B, H] for input feeding (null when not input feeding). */
  feed: Tensor | null;
}

/** What the decoder attends over: prepared keys and valid lengths, rows matching the decoder batch. */
export interface DecoderMemory {
  keys: PreparedKeys | null;
  lengths: Int32Array | null;
}

export interface AttentionDecoderOptions extends ParameterOptions {
  vocabSize: number;
  embDim: number;
  hiddenSize: number;
  /** Feature size of the memory attended over (e.g. 2·encoderHidden for a bidirectional encoder). */
  memoryDim: number;
  numLayers?: number;
  cell: CellType;
  attention: AttentionType;
  /** Width of the additive attention's tanh layer (default hiddenSize). */
  attentionDim?: number;
  /** Feed the previous attentional vector h̃ into the next step's input (default: true with attention). */
  inputFeeding?: boolean;
  /** Dropout on embeddings, between stacked cells and before the output layer, while training (default 0). */
  dropout?: number;
  padIdx?: number | null;
}

/**
 * Autoregressive recurrent decoder with Luong-style attention and input feeding, usable over any memory
 * (an RNN encoder's outputs, CNN feature-map regions):
 *   x_t = [emb(y_{t−1}); h̃_{t−1}],  h_t = cells(x_t, h_{t−1}),  (c_t, a_t) = attention(h_t, memory),
 *   h̃_t = tanh(W_c [h_t; c_t]),  logits_t = W_o h̃_t + b_o.
 * With attention 'none', h̃_t = h_t and nothing is fed back. Parameters: `embedding.weight`,
 * `cells.{l}.weight_ih|weight_hh|bias_ih|bias_hh`, `attention.*`, `combine.weight` [H, H+memoryDim], `out.weight|bias`.
 */
export class AttentionDecoder extends Module {
  readonly vocabSize: number;
  readonly hiddenSize: number;
  readonly memoryDim: number;
  readonly numLayers: number;
  readonly cellType: CellType;
  readonly attentionType: AttentionType;
  readonly inputFeeding: boolean;
  readonly dropoutP: number;
  readonly embedding: Embedding;
  readonly cells: ModuleList<GRUCell | LSTMCell>;
  readonly attention: Attention | null;
  readonly combine: Linear | null;
  readonly out: Linear;
  private readonly generator: Generator | undefined;

  constructor(o: AttentionDecoderOptions) {
    super();
    const numLayers = o.numLayers ?? 1;
    for (const [k, v] of Object.entries({
      vocabSize: o.vocabSize,
      embDim: o.embDim,
      hiddenSize: o.hiddenSize,
      memoryDim: o.memoryDim,
      numLayers,
    })) {
      if (!Number.isInteger(v) || v < 1)
        throw new ValueError(`AttentionDecoder: ${k} must be a positive integer, got ${v}`);
    }
    if (o.cell !== 'gru' && o.cell !== 'lstm')
      throw new ValueError(`AttentionDecoder: cell must be 'gru' or 'lstm', got '${String(o.cell)}'`);
    if (!['additive', 'general', 'dot', 'none'].includes(o.attention)) {
      throw new ValueError(
        `AttentionDecoder: attention must be 'additive', 'general', 'dot' or 'none', got '${String(o.attention)}'`,
      );
    }
    const p = o.dropout ?? 0;
    if (!(p >= 0 && p < 1)) throw new ValueError(`AttentionDecoder: dropout must be in [0, 1), got ${p}`);
    this.vocabSize = o.vocabSize;
    this.hiddenSize = o.hiddenSize;
    this.memoryDim = o.memoryDim;
    this.numLayers = numLayers;
    this.cellType = o.cell;
    this.attentionType = o.attention;
    this.inputFeeding = o.attention !== 'none' && (o.inputFeeding ?? true);
    this.dropoutP = p;
    this.generator = o.generator;
    const params = { dtype: o.dtype, generator: o.generator };
    const H = o.hiddenSize;
    this.embedding = this.registerModule(
      'embedding',
      new Embedding({ numEmbeddings: o.vocabSize, embeddingDim: o.embDim, paddingIdx: o.padIdx ?? null, ...params }),
    );
    const Cell = o.cell === 'gru' ? GRUCell : LSTMCell;
    this.cells = this.registerModule(
      'cells',
      new ModuleList<GRUCell | LSTMCell>(
        Array.from(
          { length: numLayers },
          (_, l) =>
            new Cell({ inputSize: l === 0 ? o.embDim + (this.inputFeeding ? H : 0) : H, hiddenSize: H, ...params }),
        ),
      ),
    );
    if (o.attention === 'none') {
      this.attention = null;
      this.combine = null;
    } else {
      this.attention = this.registerModule(
        'attention',
        o.attention === 'additive'
          ? new AdditiveAttention({ queryDim: H, keyDim: o.memoryDim, hiddenDim: o.attentionDim ?? H, ...params })
          : new LuongAttention({ queryDim: H, keyDim: o.memoryDim, score: o.attention, ...params }),
      );
      this.combine = this.registerModule(
        'combine',
        new Linear({ inFeatures: H + o.memoryDim, outFeatures: H, bias: false, ...params }),
      );
    }
    this.out = this.registerModule('out', new Linear({ inFeatures: H, outFeatures: o.vocabSize, ...params }));
  }

  get dtype(): DType {
    return this.out.weight.dtype;
  }

  /** Prepare `memory` [B, S, memoryDim] once (key projections for every step); lengths mask padding. */
  prepareMemory(memory: Tensor, lengths?: ArrayLike<number> | null): DecoderMemory {
    if (memory.ndim !== 3 || memory.shape[2] !== this.memoryDim) {
      throw new ShapeError(
        `AttentionDecoder: memory must have shape [B, S, ${this.memoryDim}], got ${formatShape(memory.shape)}`,
      );
    }
    const lens = lengths ? Int32Array.from(lengths) : null;
    if (lens && lens.length !== memory.shape[0])
      throw new ShapeError(`AttentionDecoder: ${lens.length} memory lengths for a batch of ${memory.shape[0]}`);
    return { keys: this.attention ? this.attention.precomputeKeys(memory) : null, lengths: lens };
  }

  /** A zero state for `batch` rows (use a bridge from an encoder instead when there is one). */
  zeroState(batch: number): DecoderState {
    const z = (): Tensor => zeros([batch, this.hiddenSize], { dtype: this.dtype });
    return {
      h: Array.from({ length: this.numLayers }, z),
      c: this.cellType === 'lstm' ? Array.from({ length: this.numLayers }, z) : null,
      feed: this.inputFeeding ? z() : null,
    };
  }

  private checkState(state: DecoderState, batch: number): void {
    const bad =
      state.h.length !== this.numLayers ||
      (this.cellType === 'lstm') !== (state.c !== null) ||
      (state.c !== null && state.c.length !== this.numLayers);
    if (bad)
      throw new ValueError(
        `AttentionDecoder: state must hold ${this.numLayers} layer(s) of h${this.cellType === 'lstm' ? ' and c' : ''}`,
      );
    if (this.inputFeeding && !state.feed)
      throw new ValueError('AttentionDecoder: an input-feeding decoder needs state.feed (see zeroState)');
    for (const t of [...state.h, ...(state.c ?? []), ...(state.feed ? [state.feed] : [])]) {
      if (t.ndim !== 2 || t.shape[0] !== batch || t.shape[1] !== this.hiddenSize) {
        throw new ShapeError(
          `AttentionDecoder: state tensors must have shape [${batch}, ${this.hiddenSize}], got ${formatShape(t.shape)}`,
        );
      }
    }
  }

  /**
   * One step on embedded inputs [B, E]: the attentional vector h̃ [B, H], the attention weights and the new state.
   * `keyRows` maps each row to its memory row when rows and memory differ (beams sharing one source).
   */
  stepEmbedded(
    emb: Tensor,
    memory: DecoderMemory,
    state: DecoderState,
    keyRows?: Int32Array,
  ): { output: Tensor; weights: Tensor | null; state: DecoderState } {
    const training = this.training;
    const gen = this.generator ?? defaultGenerator();
    let x = state.feed ? cat([emb, state.feed], 1) : emb;
    const h: Tensor[] = [];
    const c: Tensor[] | null = state.c ? [] : null;
    this.cells.items.forEach((cell, l) => {
      if (l > 0) x = dropout(x, this.dropoutP, training, gen);
      if (cell instanceof LSTMCell) {
        const s = cell.forward(x, { h: state.h[l]!, c: state.c![l]! });
        h.push(s.h);
        c!.push(s.c);
        x = s.h;
      } else {
        x = cell.forward(x, state.h[l]!);
        h.push(x);
      }
    });
    let output = x;
    let weights: Tensor | null = null;
    if (this.attention && memory.keys) {
      const att = this.attention.forward(x, memory.keys, { lengths: memory.lengths ?? undefined, keyRows });
      output = tanh(this.combine!.forward(cat([x, att.context], 1)));
      weights = att.weights;
    } else if (this.attention) {
      throw new ValueError('AttentionDecoder: this decoder attends, but the memory has no keys (use prepareMemory)');
    }
    return { output, weights, state: { h, c, feed: this.inputFeeding ? output : null } };
  }

  /**
   * Teacher forcing over `tokens` [B, T] (the decoder inputs, bos first): logits [B, T, V], the final state,
   * and the attention weights of every step [B, T, S] (null without attention).
   */
  forward(
    tokens: TokenBatch,
    memory: DecoderMemory,
    state: DecoderState,
  ): { logits: Tensor; state: DecoderState; attention: Tensor | null } {
    const { ids, batch: B, length: T } = tokenBatch('AttentionDecoder', tokens);
    this.checkState(state, B);
    const gen = this.generator ?? defaultGenerator();
    const emb = dropout(this.embedding.forward(ids, [B, T]), this.dropoutP, this.training, gen);
    const r = this.inputFeeding ? this.forwardStepwise(emb, memory, state) : this.forwardFused(emb, memory, state);
    const hidden = dropout(r.hidden, this.dropoutP, this.training, gen);
    return { logits: this.out.forward(hidden), state: r.state, attention: r.attention };
  }

  /** Input feeding makes every step depend on the previous one's output: run step by step. */
  private forwardStepwise(
    emb: Tensor,
    memory: DecoderMemory,
    state: DecoderState,
  ): { hidden: Tensor; state: DecoderState; attention: Tensor | null } {
    const [B, T, E] = emb.shape as [number, number, number];
    const steps = T === 1 ? [emb] : split(emb, 1, 1);
    const outputs: Tensor[] = [];
    const weights: Tensor[] = [];
    let s = state;
    for (const e of steps) {
      const r = this.stepEmbedded(reshape(e, [B, E]), memory, s);
      outputs.push(r.output);
      if (r.weights) weights.push(r.weights);
      s = r.state;
    }
    const attention =
      weights.length > 0
        ? noGrad(() =>
            stack(
              weights.map((w) => w.detach()),
              1,
            ),
          )
        : null;
    return { hidden: stack(outputs, 1), state: s, attention };
  }

  /**
   * Without input feeding the recurrence sees only the embeddings: run the cells' weights as one fused
   * multi-layer recurrent node over all steps, then attend from all B·T queries at once.
   */
  private forwardFused(
    emb: Tensor,
    memory: DecoderMemory,
    state: DecoderState,
  ): { hidden: Tensor; state: DecoderState; attention: Tensor | null } {
    const [B, T, E] = emb.shape as [number, number, number];
    const H = this.hiddenSize;
    const L = this.numLayers;
    const cells = this.cells.items;
    const gen = this.generator ?? defaultGenerator();
    const p = this.training && L > 1 ? this.dropoutP : 0;
    const res = runRecurrent({
      name: 'AttentionDecoder',
      config: { mode: this.cellType, inputSize: E, hiddenSize: H, numLayers: L, numDirections: 1 },
      weights: {
        wIH: cells.map((c) => c.weightIH),
        wHH: cells.map((c) => c.weightHH),
        bIH: cells.map((c) => c.biasIH),
        bHH: cells.map((c) => c.biasHH),
      },
      x: emb,
      T,
      B,
      batchFirst: true,
      h0: L === 1 ? reshape(state.h[0]!, [1, B, H]) : stack(state.h, 0),
      c0: state.c ? (L === 1 ? reshape(state.c[0]!, [1, B, H]) : stack(state.c, 0)) : null,
      lengths: null,
      dropout: p > 0 ? { p, random: () => gen.random() } : null,
    });
    const layers = (t: Tensor): Tensor[] => (L === 1 ? [t] : split(t, 1, 0)).map((x) => reshape(x, [B, H]));
    const final: DecoderState = { h: layers(res.hN), c: res.cN ? layers(res.cN) : null, feed: null };
    if (!this.attention) return { hidden: res.output, state: final, attention: null };
    if (!memory.keys)
      throw new ValueError('AttentionDecoder: this decoder attends, but the memory has no keys (use prepareMemory)');
    const queries = reshape(res.output, [B * T, H]);
    const keyRows = Int32Array.from({ length: B * T }, (_, i) => Math.floor(i / T));
    const att = this.attention.forward(queries, memory.keys, { lengths: memory.lengths ?? undefined, keyRows });
    const hidden = reshape(tanh(this.combine!.forward(cat([queries, att.context], 1))), [B, T, H]);
    const S = att.weights.shape[1]!;
    return { hidden, state: final, attention: new Tensor(att.weights.data, [B, T, S]) };
  }

  /**
   * The decoding problem for `decode/`: a step function over rows (log-softmax of the logits, attention weights
   * as the step's `attention`), a selectState that also reorders the memory, and the initial state.
   * Runs without gradients.
   */
  decoding(
    memory: DecoderMemory,
    state: DecoderState,
  ): { step: StepFn<DecodingState>; selectState: SelectStateFn<DecodingState>; initialState: DecodingState } {
    const B = state.h[0]!.shape[0]!;
    this.checkState(state, B);
    // The memory is never copied: each row carries the index of its memory row.
    const step: StepFn<DecodingState> = (tokens, st) =>
      noGrad(() => {
        const R = tokens.length;
        const r = this.stepEmbedded(this.embedding.forward(tokens, [R]), memory, st.state, st.memoryRows);
        const logits = this.out.forward(r.output);
        const logProbs = allocate(logits.dtype, logits.size);
        logSoftmaxRows(logits.data, R, this.vocabSize, logProbs);
        return {
          logProbs,
          state: { state: r.state, memoryRows: st.memoryRows },
          ...(r.weights ? { attention: r.weights.data } : {}),
        };
      });
    const selectState: SelectStateFn<DecodingState> = (st, indices) =>
      noGrad(() => {
        const pick = (t: Tensor): Tensor => indexSelect(t, 0, indices);
        return {
          state: {
            h: st.state.h.map(pick),
            c: st.state.c ? st.state.c.map(pick) : null,
            feed: st.state.feed ? pick(st.state.feed) : null,
          },
          memoryRows: Int32Array.from(indices, (i) => st.memoryRows[i]!),
        };
      });
    const detach = (t: Tensor): Tensor => t.detach();
    const initialState: DecodingState = {
      state: {
        h: state.h.map(detach),
        c: state.c ? state.c.map(detach) : null,
        feed: state.feed ? state.feed.detach() : null,
      },
      memoryRows: Int32Array.from({ length: B }, (_, b) => b),
    };
    return { step, selectState, initialState };
  }
}

/** State threaded through `decode/` by {@link AttentionDecoder.decoding}: decoder state rows and their memory rows. */
export interface DecodingState {
  state: DecoderState;
  /** For each decoder row, the row of the memory (source sentence) it attends over. */
  memoryRows: Int32Array;
}

export interface Seq2SeqOptions extends ParameterOptions {
  srcVocab: number;
  tgtVocab: number;
  embDim: number;
  encoderHidden: number;
  decoderHidden: number;
  encoderLayers?: number;
  decoderLayers?: number;
  /** Bidirectional encoder (default true). */
  bidirectional?: boolean;
  cell: CellType;
  attention: AttentionType;
  /** Additive attention width (default decoderHidden). */
  attentionDim?: number;
  inputFeeding?: boolean;
  dropout?: number;
  padIdx: number;
  bosIdx: number;
  eosIdx: number;
}

export type TranslateMethod = 'greedy' | 'beam' | 'sample';

export interface TranslateOptions {
  method?: TranslateMethod;
  beamSize?: number;
  /** Most target tokens per sentence, eos included (default 2·source length + 10). */
  maxLength?: number;
  /** Beam search α (default 0) and its form (default 'gnmt', see decode/beam.ts). */
  lengthPenalty?: number;
  lengthNormalization?: LengthNormalization;
  temperature?: number;
  topK?: number;
  topP?: number;
  generator?: Generator;
}

export interface Translation {
  /** Target token ids without bos and eos. */
  tokens: number[];
  /** Ranking score (beam: length-normalised log-prob; otherwise the log-prob). */
  score: number;
  logProb: number;
  /** Ended with eos (false when cut at maxLength). */
  finished: boolean;
  /** Attention weights [T, S] (T generated tokens incl. eos, S source length); null without attention. */
  attention: Tensor | null;
}

/**
 * Recurrent encoder-decoder (Bahdanau/Luong-style NMT): embedding → (bi)GRU/LSTM encoder over the padded
 * source; a bridge h₀ = tanh(W_b [h_fwd; h_bwd] + b_b) from the top encoder layer's final states to every
 * decoder layer (LSTM: c₀ = W_c [c_fwd; c_bwd] + b_c); an {@link AttentionDecoder} over the encoder outputs.
 * Parameters: `src_embedding.weight`, `encoder.*` (PyTorch GRU/LSTM names), `bridge.*`, `bridge_c.*` (LSTM),
 * `decoder.*`.
 */
export class Seq2Seq extends Module {
  readonly options: Readonly<Seq2SeqOptions>;
  readonly srcEmbedding: Embedding;
  readonly encoder: GRU | LSTM;
  readonly bridge: Linear;
  readonly bridgeC: Linear | null;
  readonly decoder: AttentionDecoder;
  private readonly generator: Generator | undefined;

  constructor(o: Seq2SeqOptions) {
    super();
    for (const k of ['srcVocab', 'tgtVocab', 'embDim', 'encoderHidden', 'decoderHidden'] as const) {
      if (!Number.isInteger(o[k]) || o[k] < 1)
        throw new ValueError(`Seq2Seq: ${k} must be a positive integer, got ${o[k]}`);
    }
    for (const k of ['padIdx', 'bosIdx', 'eosIdx'] as const) {
      if (!Number.isInteger(o[k]) || o[k] < 0 || o[k] >= o.tgtVocab)
        throw new ValueError(`Seq2Seq: ${k} must be a token id below tgtVocab=${o.tgtVocab}, got ${o[k]}`);
    }
    if (o.cell !== 'gru' && o.cell !== 'lstm')
      throw new ValueError(`Seq2Seq: cell must be 'gru' or 'lstm', got '${String(o.cell)}'`);
    this.options = { ...o };
    this.generator = o.generator;
    const params = { dtype: o.dtype, generator: o.generator };
    const bidirectional = o.bidirectional ?? true;
    const dirs = bidirectional ? 2 : 1;
    const encoderLayers = o.encoderLayers ?? 1;
    const decoderLayers = o.decoderLayers ?? 1;
    const p = o.dropout ?? 0;
    this.srcEmbedding = this.registerModule(
      'src_embedding',
      new Embedding({
        numEmbeddings: o.srcVocab,
        embeddingDim: o.embDim,
        paddingIdx: o.padIdx < o.srcVocab ? o.padIdx : null,
        ...params,
      }),
    );
    const Rnn = o.cell === 'gru' ? GRU : LSTM;
    this.encoder = this.registerModule(
      'encoder',
      new Rnn({
        inputSize: o.embDim,
        hiddenSize: o.encoderHidden,
        numLayers: encoderLayers,
        bidirectional,
        batchFirst: true,
        dropout: p,
        ...params,
      }),
    );
    this.bridge = this.registerModule(
      'bridge',
      new Linear({ inFeatures: dirs * o.encoderHidden, outFeatures: decoderLayers * o.decoderHidden, ...params }),
    );
    this.bridgeC =
      o.cell === 'lstm'
        ? this.registerModule(
            'bridge_c',
            new Linear({ inFeatures: dirs * o.encoderHidden, outFeatures: decoderLayers * o.decoderHidden, ...params }),
          )
        : null;
    this.decoder = this.registerModule(
      'decoder',
      new AttentionDecoder({
        vocabSize: o.tgtVocab,
        embDim: o.embDim,
        hiddenSize: o.decoderHidden,
        memoryDim: dirs * o.encoderHidden,
        numLayers: decoderLayers,
        cell: o.cell,
        attention: o.attention,
        attentionDim: o.attentionDim,
        inputFeeding: o.inputFeeding,
        dropout: p,
        padIdx: o.padIdx,
        ...params,
      }),
    );
  }

  /** Top encoder layer's final states of both directions side by side: [L·D, B, H] → [B, D·H]. */
  private topFinal(t: Tensor): Tensor {
    const D = this.encoder.numDirections;
    const top = narrow(t, 0, (this.encoder.numLayers - 1) * D, D);
    const B = t.shape[1]!;
    return reshape(D === 1 ? top : transpose(top, 0, 1), [B, D * this.encoder.hiddenSize]);
  }

  /** Run the encoder: the memory to attend over (with key projections done once) and the decoder's initial state. */
  encode(
    src: TokenBatch,
    srcLengths: ArrayLike<number>,
  ): { memory: DecoderMemory; state: DecoderState; outputs: Tensor } {
    const { ids, batch: B, length: S } = tokenBatch('Seq2Seq: src', src);
    if (srcLengths.length !== B)
      throw new ShapeError(`Seq2Seq: ${srcLengths.length} source lengths for a batch of ${B}`);
    const gen = this.generator ?? defaultGenerator();
    const p = this.options.dropout ?? 0;
    const emb = dropout(this.srcEmbedding.forward(ids, [B, S]), p, this.training, gen);
    const { output, state } = this.encoder.forward(emb, { lengths: srcLengths });
    const L = this.decoder.numLayers;
    const parts = (t: Tensor): Tensor[] => (L === 1 ? [t] : split(t, this.options.decoderHidden, 1));
    const h = parts(tanh(this.bridge.forward(this.topFinal(state.h))));
    const c = this.bridgeC ? parts(this.bridgeC.forward(this.topFinal(state.c!))) : null;
    const feed = this.decoder.inputFeeding ? zeros([B, this.options.decoderHidden], { dtype: output.dtype }) : null;
    return { memory: this.decoder.prepareMemory(output, srcLengths), state: { h, c, feed }, outputs: output };
  }

  /**
   * Teacher forcing: `src` [B, S] padded with padIdx, `srcLengths`, `tgtIn` [B, T] (bos + target without its
   * last token) → logits [B, T, tgtVocab] for the next tokens (compare with the target shifted by one).
   */
  forward(src: TokenBatch, srcLengths: ArrayLike<number>, tgtIn: TokenBatch): Tensor {
    const srcBatch = src instanceof Tensor ? src.shape[0] : src.length;
    const tgtBatch = tgtIn instanceof Tensor ? tgtIn.shape[0] : tgtIn.length;
    if (srcBatch !== tgtBatch)
      throw new ShapeError(
        `Seq2Seq: tgtIn must have one row per source sentence: expected ${srcBatch} rows, got ${tgtBatch}`,
      );
    const { memory, state } = this.encode(src, srcLengths);
    return this.decoder.forward(tgtIn, memory, state).logits;
  }

  /** Translate one source sentence (token ids without padding). Always runs in evaluation mode. */
  translate(src: ArrayLike<number>, options: TranslateOptions = {}): Translation {
    return this.translateBatch([src], options)[0]!;
  }

  /** Translate several sentences side by side (greedy and sampling batch all rows; beam batches each one's beams). */
  translateBatch(srcs: readonly ArrayLike<number>[], options: TranslateOptions = {}): Translation[] {
    if (srcs.length === 0) return [];
    const method = options.method ?? 'greedy';
    if (method !== 'greedy' && method !== 'beam' && method !== 'sample')
      throw new ValueError(`translate: method must be 'greedy', 'beam' or 'sample', got '${String(method)}'`);
    const lengths = srcs.map((s, i) => {
      if (s.length === 0) throw new ValueError(`translate: source sentence ${i} is empty`);
      return s.length;
    });
    const S = Math.max(...lengths);
    const padded = srcs.map((s) => {
      const row = new Array<number>(S).fill(this.options.padIdx);
      for (let i = 0; i < s.length; i++) row[i] = s[i]!;
      return row;
    });
    const wasTraining = this.training;
    this.eval();
    try {
      return noGrad(() => {
        const { memory, state } = this.encode(padded, lengths);
        const problem = this.decoder.decoding(memory, state);
        const common = {
          ...problem,
          bos: this.options.bosIdx,
          eos: this.options.eosIdx,
          maxLength: options.maxLength ?? 2 * S + 10,
          batchSize: srcs.length,
        };
        let best: Hypothesis[];
        if (method === 'beam') {
          best = beamSearchBatch({
            ...common,
            beamSize: options.beamSize ?? 5,
            lengthPenalty: options.lengthPenalty,
            lengthNormalization: options.lengthNormalization,
            nBest: 1,
          }).map((n) => n[0]!);
        } else if (method === 'sample') {
          best = sampleSequenceBatch({
            ...common,
            temperature: options.temperature,
            topK: options.topK,
            topP: options.topP,
            generator: options.generator,
          });
        } else {
          best = greedyDecodeBatch(common);
        }
        return best.map((h, b) => this.toTranslation(h, lengths[b]!));
      });
    } finally {
      this.train(wasTraining);
    }
  }

  private toTranslation(h: Hypothesis, srcLen: number): Translation {
    let attention: Tensor | null = null;
    if (h.attention) {
      const T = h.attention.length;
      const data = allocate(this.decoder.dtype, T * srcLen);
      h.attention.forEach((row, t) => {
        data.set(row.subarray(0, srcLen), t * srcLen);
      });
      attention = new Tensor(data, [T, srcLen]);
    }
    return { tokens: h.tokens, score: h.score, logProb: h.logProb, finished: h.finished, attention };
  }
}
