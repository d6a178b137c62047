import {
  AdditiveAttention,
  add,
  Embedding,
  LSTMCell,
  Linear,
  Module,
  ShapeError,
  Tensor,
  ValueError,
  beamSearch,
  cat,
  crossEntropy,
  defaultGenerator,
  dropout,
  greedyDecode,
  indexSelect,
  logSoftmax,
  mean,
  mul,
  noGrad,
  permute,
  reshape,
  sigmoid,
  square,
  stack,
  sub,
  sum,
  type DType,
  type Generator,
  type Hypothesis,
  type PreparedKeys,
  type SelectStateFn,
  type StepFn,
  describeValue,
} from '@recurrent/core';

export interface CaptionerOptions {
  vocabSize: number;
  /** Channels D of the feature grid the decoder attends over. */
  featureDim: number;
  embDim: number;
  hiddenSize: number;
  /** Width of the additive attention's tanh layer (default hiddenSize). */
  attentionDim?: number;
  /** Size of an extra conditioning vector (e.g. the detector's class scores) fed to the initial state; 0 = none. */
  conditionDim?: number;
  /** Dropout before the output layer during training (default 0). */
  dropout?: number;
  /**
   * Xu et al.'s deep output layer (their eq. 7): logits = fc(E y_{t−1} + L_h h_t + L_z ẑ_t), with L_h (`deep_h`,
   * H → embDim) and L_z (`deep_z`, D → embDim, no bias), so the attended context reaches the word directly; fc then
   * maps embDim → vocabulary. Default false: logits = fc(h_t).
   */
  deepOutput?: boolean;
  dtype?: DType;
  generator?: Generator;
}

/** A batch of images prepared for decoding: the grid as attention keys, and the initial state. */
export interface CaptionerMemory {
  /** [B, S, D] with S = gridH · gridW cells in row-major order. */
  features: Tensor;
  keys: PreparedKeys;
  grid: [number, number];
  h0: Tensor;
  c0: Tensor;
}

export interface CaptionerState {
  h: Tensor;
  c: Tensor;
}

export interface CaptionerStep {
  logits: Tensor;
  /** Attention over the grid cells [B, S] used for this word. */
  weights: Tensor;
  state: CaptionerState;
}

export interface CaptionerLossOptions {
  /** Weight λ of the doubly stochastic attention term λ·Σ_s (1 − Σ_t α_ts)² (default 1, as Xu et al.). */
  attentionPenalty?: number;
  /** Target id to ignore (padding). */
  padId: number;
}

export interface CaptionerLoss {
  loss: Tensor;
  crossEntropy: number;
  attentionPenalty: number;
}

/** One decoded caption: ids, per-word probability and attention map. */
export interface CaptionResult {
  /** Word ids without <bos> and <eos>. */
  tokens: number[];
  /** p(word | image, previous words) of each token, then of the closing <eos> (when it ended). */
  probabilities: number[];
  /** One map per token (then <eos>), each gridH·gridW weights summing to 1, row-major. */
  attention: Float64Array[];
  grid: [number, number];
  logProb: number;
  /** Beam score (logProb / length penalty), = logProb for greedy decoding. */
  score: number;
  finished: boolean;
}

export interface CaptionOptions {
  bos: number;
  eos: number;
  maxLength: number;
  /** 1 = greedy (default); > 1 = beam search. */
  beamSize?: number;
  /** Hypotheses to return per image (beam search; default 1). */
  nBest?: number;
  lengthPenalty?: number;
  /**
   * Token ids the search never chooses (e.g. <unk>): their log-probability is −∞ at every step. The probabilities a
   * result reports stay the model's own.
   */
  forbidden?: readonly number[];
}

interface DecodingState {
  state: CaptionerState;
  rows: Int32Array;
}

/**
 * Show, Attend and Tell (Xu et al. 2015): an LSTM decoder with soft additive attention over a CNN feature grid.
 * Step t: (ĉ_t, α_t) = attention(h_{t−1}, grid); β_t = σ(f_beta(h_{t−1}));
 * (h_t, c_t) = LSTMCell([E y_{t−1}; β_t ĉ_t]);
 * logits_t = fc(dropout(h_t)), or with deepOutput fc(dropout(E y_{t−1} + deep_h(h_t) + deep_z(β_t ĉ_t))).
 * h_0, c_0 = init_h / init_c of the mean grid feature (and the optional condition).
 * Trained with cross-entropy plus the doubly stochastic regulariser λ Σ_s (1 − Σ_t α_ts)². Parameters as a PyTorch
 * module with attributes `embedding`, `attention` (query_proj, key_proj, v), `lstm_cell`, `init_h`, `init_c`,
 * `f_beta`, `fc` (and `deep_h`, `deep_z`).
 */
export class Captioner extends Module {
  readonly vocabSize: number;
  readonly featureDim: number;
  readonly hiddenSize: number;
  readonly conditionDim: number;
  readonly dropoutP: number;
  readonly embedding: Embedding;
  readonly attention: AdditiveAttention;
  readonly lstmCell: LSTMCell;
  readonly initH: Linear;
  readonly initC: Linear;
  readonly fBeta: Linear;
  readonly deepH: Linear | null;
  readonly deepZ: Linear | null;
  readonly fc: Linear;
  private readonly generator: Generator | undefined;

  constructor(o: CaptionerOptions) {
    super();
    const conditionDim = o.conditionDim ?? 0;
    for (const [k, v] of Object.entries({
      vocabSize: o.vocabSize,
      featureDim: o.featureDim,
      embDim: o.embDim,
      hiddenSize: o.hiddenSize,
    })) {
      if (!Number.isInteger(v) || v < 1)
        throw new ValueError(`Captioner: ${k} must be a positive integer, got ${describeValue(v)}`);
    }
    if (!Number.isInteger(conditionDim) || conditionDim < 0)
      throw new ValueError(`Captioner: conditionDim must be ≥ 0, got ${describeValue(conditionDim)}`);
    const p = o.dropout ?? 0;
    if (!(p >= 0 && p < 1)) throw new ValueError(`Captioner: dropout must be in [0, 1), got ${describeValue(p)}`);
    this.vocabSize = o.vocabSize;
    this.featureDim = o.featureDim;
    this.hiddenSize = o.hiddenSize;
    this.conditionDim = conditionDim;
    this.dropoutP = p;
    this.generator = o.generator;
    const params = { dtype: o.dtype, generator: o.generator };
    const H = o.hiddenSize;
    const D = o.featureDim;
    this.embedding = this.registerModule(
      'embedding',
      new Embedding({ numEmbeddings: o.vocabSize, embeddingDim: o.embDim, ...params }),
    );
    this.attention = this.registerModule(
      'attention',
      new AdditiveAttention({ queryDim: H, keyDim: D, hiddenDim: o.attentionDim ?? H, bias: true, ...params }),
    );
    this.lstmCell = this.registerModule(
      'lstm_cell',
      new LSTMCell({ inputSize: o.embDim + D, hiddenSize: H, ...params }),
    );
    this.initH = this.registerModule('init_h', new Linear({ inFeatures: D + conditionDim, outFeatures: H, ...params }));
    this.initC = this.registerModule('init_c', new Linear({ inFeatures: D + conditionDim, outFeatures: H, ...params }));
    this.fBeta = this.registerModule('f_beta', new Linear({ inFeatures: H, outFeatures: D, ...params }));
    const deep = o.deepOutput ?? false;
    this.deepH = deep
      ? this.registerModule('deep_h', new Linear({ inFeatures: H, outFeatures: o.embDim, ...params }))
      : null;
    this.deepZ = deep
      ? this.registerModule('deep_z', new Linear({ inFeatures: D, outFeatures: o.embDim, bias: false, ...params }))
      : null;
    this.fc = this.registerModule(
      'fc',
      new Linear({ inFeatures: deep ? o.embDim : H, outFeatures: o.vocabSize, ...params }),
    );
  }

  /** A feature grid [B, D, h, w] (NCHW, as CNNs give it) and an optional condition [B, conditionDim] → memory. */
  prepare(grid: Tensor, condition?: Tensor | null): CaptionerMemory {
    if (grid.ndim !== 4 || grid.shape[1] !== this.featureDim) {
      throw new ShapeError(`Captioner: feature grid must be [B, ${this.featureDim}, h, w], got [${grid.shape}]`);
    }
    const [B, D, h, w] = grid.shape as [number, number, number, number];
    const features = reshape(permute(reshape(grid, [B, D, h * w]), [0, 2, 1]), [B, h * w, D]);
    let summary = mean(features, 1);
    if (this.conditionDim > 0) {
      if (condition?.ndim !== 2 || condition.shape[0] !== B || condition.shape[1] !== this.conditionDim) {
        throw new ShapeError(
          `Captioner: condition must be [${B}, ${this.conditionDim}], ` +
            `got ${condition ? `[${condition.shape}]` : 'none'}`,
        );
      }
      summary = cat([summary, condition], 1);
    } else if (condition) {
      throw new ValueError('Captioner: a condition was given but the model has conditionDim 0');
    }
    return {
      features,
      keys: this.attention.precomputeKeys(features),
      grid: [h, w],
      h0: this.initH.forward(summary),
      c0: this.initC.forward(summary),
    };
  }

  /** One decoder step for rows `tokens` (previous words); `rows` maps each row to its image in `memory`. */
  step(tokens: Int32Array, memory: CaptionerMemory, state: CaptionerState, rows?: Int32Array): CaptionerStep {
    const R = tokens.length;
    const att = this.attention.forward(state.h, memory.keys, rows ? { keyRows: rows } : {});
    const gate = sigmoid(this.fBeta.forward(state.h));
    const embedded = this.embedding.forward(tokens, [R]);
    const context = mul(gate, att.context);
    const next = this.lstmCell.forward(cat([embedded, context], 1), state);
    const gen = this.generator ?? defaultGenerator();
    const output =
      this.deepH && this.deepZ ? add(add(embedded, this.deepH.forward(next.h)), this.deepZ.forward(context)) : next.h;
    const logits = this.fc.forward(dropout(output, this.dropoutP, this.training, gen));
    return { logits, weights: att.weights, state: next };
  }

  /** Teacher forcing over `inputs` [B][T] (<bos> first): logits [B, T, V] and attention [B, T, S]. */
  forward(inputs: readonly (readonly number[])[], memory: CaptionerMemory): { logits: Tensor; attention: Tensor } {
    const B = inputs.length;
    const T = inputs[0]?.length ?? 0;
    if (B !== memory.features.shape[0])
      throw new ShapeError(`Captioner: ${B} captions for ${memory.features.shape[0]} images`);
    if (T === 0 || inputs.some((r) => r.length !== T))
      throw new ShapeError('Captioner: inputs must be non-empty rows of equal length');
    let state: CaptionerState = { h: memory.h0, c: memory.c0 };
    const logits: Tensor[] = [];
    const weights: Tensor[] = [];
    for (let t = 0; t < T; t++) {
      const r = this.step(
        Int32Array.from(inputs, (row) => row[t]!),
        memory,
        state,
      );
      logits.push(r.logits);
      weights.push(r.weights);
      state = r.state;
    }
    return { logits: stack(logits, 1), attention: stack(weights, 1) };
  }

  /**
   * Cross-entropy over the non-pad targets plus λ·mean_b Σ_s (1 − Σ_t α_bts)², where t runs over the steps whose
   * target is not padding (the "doubly stochastic" term: every cell should be looked at about once overall).
   */
  loss(
    memory: CaptionerMemory,
    inputs: readonly (readonly number[])[],
    targets: readonly (readonly number[])[],
    o: CaptionerLossOptions,
  ): CaptionerLoss {
    const { logits, attention } = this.forward(inputs, memory);
    const [B, T] = attention.shape as [number, number, number];
    const flat = targets.flat();
    if (flat.length !== B * T) throw new ShapeError(`Captioner: targets must be [${B}][${T}], got ${flat.length} ids`);
    const ce = crossEntropy(reshape(logits, [B * T, this.vocabSize]), flat, { ignoreIndex: o.padId });
    const lambda = o.attentionPenalty ?? 1;
    const maskData = new (attention.dtype === 'float64' ? Float64Array : Float32Array)(B * T);
    flat.forEach((id, i) => {
      maskData[i] = id === o.padId ? 0 : 1;
    });
    const mask = new Tensor(maskData, [B, T, 1]);
    const coverage = sum(mul(attention, mask), 1); // [B, S]
    const penalty = mean(sum(square(sub(1, coverage)), 1));
    const loss = lambda > 0 ? add(ce, mul(penalty, lambda)) : ce;
    return { loss, crossEntropy: ce.item(), attentionPenalty: penalty.item() };
  }

  /**
   * Greedy or beam-search captions for every image of `memory`, with per-word probabilities and attention maps.
   * Beam search runs without early stopping: it goes on while a live hypothesis could still beat the n-best, so
   * a few improbable captions that end early cannot end the search before the probable one is complete.
   */
  caption(memory: CaptionerMemory, o: CaptionOptions): CaptionResult[][] {
    const B = memory.features.shape[0]!;
    const beamSize = o.beamSize ?? 1;
    const nBest = o.nBest ?? 1;
    const forbidden = o.forbidden ?? [];
    for (const id of forbidden) {
      if (!Number.isInteger(id) || id < 0 || id >= this.vocabSize || id === o.eos)
        throw new ValueError(`Captioner: forbidden ids must be token ids other than eos, got ${describeValue(id)}`);
    }
    const results: CaptionResult[][] = [];
    noGrad(() => {
      for (let b = 0; b < B; b++) {
        const rows = Int32Array.of(b);
        const initial: DecodingState = {
          state: { h: indexSelect(memory.h0, 0, rows).detach(), c: indexSelect(memory.c0, 0, rows).detach() },
          rows,
        };
        const step: StepFn<DecodingState> = (tokens, st) => {
          const r = this.step(tokens, memory, st.state, st.rows);
          const logProbs = logSoftmax(r.logits, -1).data;
          for (const id of forbidden) {
            for (let row = 0; row < tokens.length; row++) logProbs[row * this.vocabSize + id] = -Infinity;
          }
          return { logProbs, state: { state: r.state, rows: st.rows }, attention: r.weights.data };
        };
        const selectState: SelectStateFn<DecodingState> = (st, indices) => ({
          state: { h: indexSelect(st.state.h, 0, indices), c: indexSelect(st.state.c, 0, indices) },
          rows: Int32Array.from(indices, (i) => st.rows[i]!),
        });
        const common = { step, initialState: initial, bos: o.bos, eos: o.eos, maxLength: o.maxLength };
        const hyps: Hypothesis[] =
          beamSize > 1
            ? beamSearch({
                ...common,
                selectState,
                beamSize,
                nBest,
                lengthPenalty: o.lengthPenalty ?? 0,
                earlyStopping: false,
              })
            : [greedyDecode(common)];
        results.push(hyps.map((h) => this.describe(h, memory, b, o)));
      }
    });
    return results;
  }

  /** Rescore a hypothesis by teacher forcing to get each word's probability (its attention comes from the search). */
  private describe(h: Hypothesis, memory: CaptionerMemory, b: number, o: CaptionOptions): CaptionResult {
    const words = h.finished ? [...h.tokens, o.eos] : h.tokens;
    const rows = Int32Array.of(b);
    let state: CaptionerState = { h: indexSelect(memory.h0, 0, rows), c: indexSelect(memory.c0, 0, rows) };
    const probabilities: number[] = [];
    let previous = o.bos;
    for (const w of words) {
      const r = this.step(Int32Array.of(previous), memory, state, rows);
      probabilities.push(Math.exp(logSoftmax(r.logits, -1).data[w]!));
      state = r.state;
      previous = w;
    }
    return {
      tokens: h.tokens,
      probabilities,
      attention: h.attention ?? [],
      grid: memory.grid,
      logProb: h.logProb,
      score: h.score,
      finished: h.finished,
    };
  }
}
