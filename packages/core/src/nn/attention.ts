import { Module } from './module.js';
import { Linear } from './linear.js';
import type { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../tensor/shape.js';
import { additiveAttention, dotAttention, type AttentionMaskOptions, type AttentionResult } from '../ops/attention.js';
import type { ParameterOptions } from './options.js';
import { ShapeError, ValueError } from '../errors.js';

export type { AttentionResult } from '../ops/attention.js';

export interface AttentionForwardOptions extends AttentionMaskOptions {
  /** What the weights average, [B, S, Dv]; default the keys themselves. */
  values?: Tensor;
}

/**
 * Keys prepared once per source batch by `precomputeKeys`. A decoder calls attention at every step;
 * passing these instead of the raw keys skips re-projecting the whole source each time.
 */
export interface PreparedKeys {
  readonly keys: Tensor;
  /** The keys as the score function consumes them (U·k for additive attention, k itself otherwise). */
  readonly projected: Tensor;
  readonly owner: Attention;
}

/** A query-over-source attention layer: forward(query [B, Dq], keys [B, S, Dk]) → {context, weights}. */
export abstract class Attention extends Module {
  abstract readonly queryDim: number;
  abstract readonly keyDim: number;

  /** Project the keys once per source batch (see PreparedKeys). */
  abstract precomputeKeys(keys: Tensor): PreparedKeys;

  /** Attend from each query row over its source row; `keys` raw [B, S, Dk] or from precomputeKeys. */
  abstract forward(query: Tensor, keys: Tensor | PreparedKeys, options?: AttentionForwardOptions): AttentionResult;

  protected checkKeys(keys: Tensor): void {
    if (keys.ndim !== 3 || keys.shape[2] !== this.keyDim) {
      throw new ShapeError(
        `${this.constructor.name}: keys must have shape [B, S, ${this.keyDim}], got ${formatShape(keys.shape)}`,
      );
    }
  }

  protected resolve(query: Tensor, keys: Tensor | PreparedKeys, options: AttentionForwardOptions): PreparedKeys {
    if (query.ndim !== 2 || query.shape[1] !== this.queryDim) {
      throw new ShapeError(
        `${this.constructor.name}: query must have shape [B, ${this.queryDim}], got ${formatShape(query.shape)}`,
      );
    }
    let prepared: PreparedKeys;
    if ('projected' in keys) {
      if (keys.owner !== this)
        throw new ValueError(`${this.constructor.name}: prepared keys were made by a different attention module`);
      prepared = keys;
    } else {
      prepared = this.precomputeKeys(keys);
    }
    if (!options.keyRows && prepared.keys.shape[0] !== query.shape[0]) {
      throw new ShapeError(
        `${this.constructor.name}: query batch ${query.shape[0]} does not match keys batch ` +
          `${prepared.keys.shape[0]} (keys ${formatShape(prepared.keys.shape)})`,
      );
    }
    return prepared;
  }
}

export interface AdditiveAttentionOptions extends ParameterOptions {
  queryDim: number;
  keyDim: number;
  /** Width of the tanh layer. */
  hiddenDim: number;
  /** Give the key projection a bias (Bahdanau's b); default false. */
  bias?: boolean;
}

/**
 * Bahdanau (additive, "concat") attention: score[b, s] = v · tanh(W q[b] + U k[b, s] (+ bias)).
 * Parameters, named as the PyTorch modules `query_proj = Linear(queryDim, hiddenDim, bias=False)`,
 * `key_proj = Linear(keyDim, hiddenDim, bias)`, `v = Linear(hiddenDim, 1, bias=False)`:
 * `query_proj.weight` [H, Dq], `key_proj.weight` [H, Dk], `key_proj.bias` [H] (with bias), `v.weight` [1, H].
 * Initialised like those Linear layers.
 */
export class AdditiveAttention extends Attention {
  readonly queryDim: number;
  readonly keyDim: number;
  readonly hiddenDim: number;
  readonly queryProj: Linear;
  readonly keyProj: Linear;
  readonly v: Linear;

  constructor(options: AdditiveAttentionOptions) {
    super();
    for (const key of ['queryDim', 'keyDim', 'hiddenDim'] as const) {
      const n = options[key];
      if (!Number.isInteger(n) || n < 1)
        throw new ValueError(`AdditiveAttention: ${key} must be a positive integer, got ${n}`);
    }
    this.queryDim = options.queryDim;
    this.keyDim = options.keyDim;
    this.hiddenDim = options.hiddenDim;
    const p = { dtype: options.dtype, generator: options.generator };
    this.queryProj = this.registerModule(
      'query_proj',
      new Linear({ inFeatures: this.queryDim, outFeatures: this.hiddenDim, bias: false, ...p }),
    );
    this.keyProj = this.registerModule(
      'key_proj',
      new Linear({ inFeatures: this.keyDim, outFeatures: this.hiddenDim, bias: options.bias ?? false, ...p }),
    );
    this.v = this.registerModule('v', new Linear({ inFeatures: this.hiddenDim, outFeatures: 1, bias: false, ...p }));
  }

  /** U·keys (+ bias) for the whole source, [B, S, H]; reuse across decoder steps. */
  precomputeKeys(keys: Tensor): PreparedKeys {
    this.checkKeys(keys);
    return { keys, projected: this.keyProj.forward(keys), owner: this };
  }

  forward(query: Tensor, keys: Tensor | PreparedKeys, options: AttentionForwardOptions = {}): AttentionResult {
    const prepared = this.resolve(query, keys, options);
    return additiveAttention(
      this.queryProj.forward(query),
      prepared.projected,
      this.v.weight,
      options.values ?? prepared.keys,
      options,
    );
  }
}

export type LuongScore = 'general' | 'dot';

export interface LuongAttentionOptions extends ParameterOptions {
  queryDim: number;
  keyDim: number;
  /** 'general': score = k · (W q); 'dot': score = k · q (needs queryDim == keyDim). */
  score: LuongScore;
}

/**
 * Luong multiplicative attention. 'general' has one parameter, `query_proj.weight` [Dk, Dq]
 * (PyTorch `query_proj = Linear(queryDim, keyDim, bias=False)`), so score[b, s] = k[b, s] · (W q[b]);
 * 'dot' has none. The attentional hidden state tanh(W_c [c; h]) belongs to the decoder, not here.
 */
export class LuongAttention extends Attention {
  readonly queryDim: number;
  readonly keyDim: number;
  readonly score: LuongScore;
  readonly queryProj: Linear | null;

  constructor(options: LuongAttentionOptions) {
    super();
    for (const key of ['queryDim', 'keyDim'] as const) {
      const n = options[key];
      if (!Number.isInteger(n) || n < 1)
        throw new ValueError(`LuongAttention: ${key} must be a positive integer, got ${n}`);
    }
    if (options.score !== 'general' && options.score !== 'dot') {
      throw new ValueError(`LuongAttention: score must be 'general' or 'dot', got '${String(options.score)}'`);
    }
    if (options.score === 'dot' && options.queryDim !== options.keyDim) {
      throw new ValueError(
        `LuongAttention: 'dot' score needs queryDim == keyDim, got ${options.queryDim} and ${options.keyDim}`,
      );
    }
    this.queryDim = options.queryDim;
    this.keyDim = options.keyDim;
    this.score = options.score;
    this.queryProj =
      options.score === 'general'
        ? this.registerModule(
            'query_proj',
            new Linear({
              inFeatures: this.queryDim,
              outFeatures: this.keyDim,
              bias: false,
              dtype: options.dtype,
              generator: options.generator,
            }),
          )
        : null;
  }

  /** Nothing to project for Luong scores (W is applied to the query, which is cheaper per step). */
  precomputeKeys(keys: Tensor): PreparedKeys {
    this.checkKeys(keys);
    return { keys, projected: keys, owner: this };
  }

  forward(query: Tensor, keys: Tensor | PreparedKeys, options: AttentionForwardOptions = {}): AttentionResult {
    const prepared = this.resolve(query, keys, options);
    const q = this.queryProj ? this.queryProj.forward(query) : query;
    return dotAttention(q, prepared.projected, options.values ?? prepared.keys, options);
  }
}
