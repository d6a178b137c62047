// The shipped translator's architecture (the mt_S-like family of @recurrent/text's Translator: embeddings → BiGRU
// encoder, tanh bridge, GRU decoder with additive attention, in either decoder style — Luong: input feeding of
// h̃ = tanh(W_c [h; ctx]) and logits from h̃; Bahdanau: attention from the previous state, the context fed to the GRU
// and logits from [h; ctx; emb])
// written in TensorFlow.js 4.22 as a tfjs user would: variables in tfjs' [in, out] layout, one fused matmul for the
// three GRU gates, per-step input projections (splitting one large projection is very slow on tfjs-wasm, see
// tfjs.ts), autodiff through tf.variableGrads for training, tf.tidy per decoding step for inference. The weights come
// from a Translator's state dict (PyTorch names and [out, in] layout), so both libraries run the same model.
import * as tf from '@tensorflow/tfjs';

/** A state dict as plain arrays: PyTorch names, row-major data, PyTorch shapes. */
export type NamedWeights = Record<string, { data: ArrayLike<number>; shape: readonly number[] }>;

/** What the tfjs translator needs to know besides the weights (the shapes are read from them). */
export interface TfTranslatorSpec {
  /** Dropout on the embeddings and before the output layer while training (the architecture's `dropout`). */
  dropout: number;
  padId: number;
  bosId: number;
  eosId: number;
  /** Ids never generated (`<pad>`, `<s>`, `<unk>`), as the Translator's decoding bans them. */
  banned: readonly number[];
}

interface GruVars {
  /** [in, 3H], gates r z n (PyTorch's order). */
  wx: tf.Variable;
  /** [H, 3H]. */
  wh: tf.Variable;
  bx: tf.Variable;
  bh: tf.Variable;
}

/** The parameters as tfjs variables, matrices in [in, out] layout. */
export interface TfTranslatorParams {
  srcEmb: tf.Variable;
  tgtEmb: tf.Variable;
  encFwd: GruVars;
  encBwd: GruVars;
  bridgeW: tf.Variable;
  bridgeB: tf.Variable;
  dec: GruVars;
  attQ: tf.Variable;
  attK: tf.Variable;
  /** [A, 1]. */
  attV: tf.Variable;
  /** [H + M, H] (Luong decoder), null for a Bahdanau decoder. */
  combine: tf.Variable | null;
  /** [H, V] (Luong) or [H + M + E, V] (Bahdanau). */
  out: tf.Variable;
  outB: tf.Variable;
}

/** Every state-dict entry this implementation reads for a Luong decoder (a Bahdanau one has all but combine). */
export const TF_TRANSLATOR_WEIGHT_NAMES = [
  'src_embedding.weight',
  'encoder.weight_ih_l0',
  'encoder.weight_hh_l0',
  'encoder.bias_ih_l0',
  'encoder.bias_hh_l0',
  'encoder.weight_ih_l0_reverse',
  'encoder.weight_hh_l0_reverse',
  'encoder.bias_ih_l0_reverse',
  'encoder.bias_hh_l0_reverse',
  'bridge.weight',
  'bridge.bias',
  'decoder.embedding.weight',
  'decoder.cells.0.weight_ih',
  'decoder.cells.0.weight_hh',
  'decoder.cells.0.bias_ih',
  'decoder.cells.0.bias_hh',
  'decoder.attention.query_proj.weight',
  'decoder.attention.key_proj.weight',
  'decoder.attention.v.weight',
  'decoder.combine.weight',
  'decoder.out.weight',
  'decoder.out.bias',
] as const;

/**
 * Variables from a Translator's state dict. Only the shipped family is supported — one bidirectional GRU encoder
 * layer, one GRU decoder layer, additive attention, input feeding (Luong) or a Bahdanau decoder (no combine), untied
 * and unshared embeddings — and any other set of weights is rejected by name.
 */
export function tfTranslatorParams(weights: NamedWeights): TfTranslatorParams {
  const names = Object.keys(weights).sort();
  const luong = 'decoder.combine.weight' in weights;
  const expected = TF_TRANSLATOR_WEIGHT_NAMES.filter((n) => luong || n !== 'decoder.combine.weight').sort();
  if (names.join() !== expected.join()) {
    throw new Error(
      `tfjs translator: expected the weights ${expected.join(', ')} (BiGRU encoder of one layer, one GRU decoder ` +
        `layer, additive attention, untied), got ${names.join(', ')}`,
    );
  }
  const get = (name: string): tf.Tensor => {
    const w = weights[name];
    if (!w) throw new Error(`tfjs translator: missing ${name}`);
    return tf.tensor(Float32Array.from(w.data), [...w.shape], 'float32');
  };
  /** PyTorch [out, in] → tfjs [in, out]. */
  const matrix = (name: string): tf.Variable => tf.tidy(() => tf.variable(tf.transpose(get(name))));
  const vector = (name: string): tf.Variable => tf.variable(get(name));
  const gru = (ih: string, hh: string, bih: string, bhh: string): GruVars => ({
    wx: matrix(ih),
    wh: matrix(hh),
    bx: vector(bih),
    bh: vector(bhh),
  });
  const suffix = (s: string) =>
    gru(`encoder.weight_ih_l0${s}`, `encoder.weight_hh_l0${s}`, `encoder.bias_ih_l0${s}`, `encoder.bias_hh_l0${s}`);
  return {
    srcEmb: vector('src_embedding.weight'),
    tgtEmb: vector('decoder.embedding.weight'),
    encFwd: suffix(''),
    encBwd: suffix('_reverse'),
    bridgeW: matrix('bridge.weight'),
    bridgeB: vector('bridge.bias'),
    dec: gru(
      'decoder.cells.0.weight_ih',
      'decoder.cells.0.weight_hh',
      'decoder.cells.0.bias_ih',
      'decoder.cells.0.bias_hh',
    ),
    attQ: matrix('decoder.attention.query_proj.weight'),
    attK: matrix('decoder.attention.key_proj.weight'),
    attV: matrix('decoder.attention.v.weight'),
    combine: luong ? matrix('decoder.combine.weight') : null,
    out: matrix('decoder.out.weight'),
    outB: vector('decoder.out.bias'),
  };
}

/** Every variable of the parameters (for variableGrads and the optimizer). */
export function tfTranslatorVariables(p: TfTranslatorParams): tf.Variable[] {
  const list: tf.Variable[] = [];
  const collect = (x: unknown): void => {
    if (x instanceof tf.Variable) list.push(x);
    else if (x && typeof x === 'object') Object.values(x).forEach(collect);
  };
  collect(p);
  return list;
}

/** PyTorch's GRU cell on a precomputed input projection xp = x W_x + b_x. */
function gruCell(xp: tf.Tensor2D, h: tf.Tensor2D, g: GruVars): tf.Tensor2D {
  const hp = tf.add(tf.matMul(h, g.wh as tf.Tensor2D), g.bh);
  const [xr, xz, xn] = tf.split(xp, 3, 1);
  const [hr, hz, hn] = tf.split(hp, 3, 1);
  const r = tf.sigmoid(tf.add(xr!, hr!));
  const z = tf.sigmoid(tf.add(xz!, hz!));
  const n = tf.tanh(tf.add(xn!, tf.mul(r, hn!)));
  return tf.add(tf.mul(tf.sub(1, z), n), tf.mul(z, h)) as tf.Tensor2D;
}

/** Source rows (ids, no bos/eos) padded with padId, as one id tensor per time step plus per-step validity masks. */
export interface SourceBatch {
  batch: number;
  length: number;
  lengths: Int32Array;
  /** Ids of step t for every row: [B] each. */
  steps: tf.Tensor1D[];
  /** 1 where step t is inside row b, else 0: [B, 1] each (null when every row has the full length). */
  valid: tf.Tensor2D[] | null;
  /** 0 at valid positions, −1e9 at padding: [B, S] (null when every row has the full length). */
  scoreMask: tf.Tensor2D | null;
}

export function sourceBatch(rows: readonly (readonly number[])[], padId: number): SourceBatch {
  const B = rows.length;
  const lengths = Int32Array.from(rows, (r) => r.length);
  const S = Math.max(...lengths);
  const full = lengths.every((l) => l === S);
  const steps: tf.Tensor1D[] = [];
  const valid: tf.Tensor2D[] = [];
  const mask = new Float32Array(B * S);
  for (let t = 0; t < S; t++) {
    const ids = new Int32Array(B);
    const v = new Float32Array(B);
    for (let b = 0; b < B; b++) {
      const inside = t < lengths[b]!;
      ids[b] = inside ? rows[b]![t]! : padId;
      v[b] = inside ? 1 : 0;
      if (!inside) mask[b * S + t] = -1e9;
    }
    steps.push(tf.tensor1d(ids, 'int32'));
    if (!full) valid.push(tf.tensor2d(v, [B, 1]));
  }
  return {
    batch: B,
    length: S,
    lengths,
    steps,
    valid: full ? null : valid,
    scoreMask: full ? null : tf.tensor2d(mask, [B, S]),
  };
}

/** The encoder's result: outputs [B, S, M], projected attention keys [B, S, A], the decoder's initial state. */
export interface TfMemory {
  enc: tf.Tensor3D;
  keys: tf.Tensor3D;
  scoreMask: tf.Tensor2D | null;
  s0: tf.Tensor2D;
}

/** One direction of the GRU encoder; padded steps keep the state (so the backward pass starts at each row's end). */
function encoderDirection(xs: tf.Tensor2D[], g: GruVars, src: SourceBatch, H: number, reverse: boolean) {
  const S = xs.length;
  const out: tf.Tensor2D[] = new Array(S);
  let h = tf.zeros([src.batch, H]) as tf.Tensor2D;
  for (let s = 0; s < S; s++) {
    const t = reverse ? S - 1 - s : s;
    const next = gruCell(tf.add(tf.matMul(xs[t]!, g.wx as tf.Tensor2D), g.bx) as tf.Tensor2D, h, g);
    const m = src.valid?.[t];
    h = m ? (tf.add(tf.mul(m, next), tf.mul(tf.sub(1, m), h)) as tf.Tensor2D) : next;
    // padded positions output zeros (as PyTorch's pad_packed_sequence)
    out[t] = m ? (tf.mul(m, h) as tf.Tensor2D) : h;
  }
  return { out, final: h };
}

/** Embedding → BiGRU → keys and the bridge s₀ = tanh(W_b [h_fwd; h_bwd] + b_b); dropout on the embeddings if > 0. */
export function encode(p: TfTranslatorParams, src: SourceBatch, dropout: number): TfMemory {
  const H = p.encFwd.wh.shape[0]!;
  const A = p.attK.shape[1]!;
  const xs = src.steps.map((ids) => {
    const e = tf.gather(p.srcEmb, ids) as tf.Tensor2D;
    return dropout > 0 ? (tf.dropout(e, dropout) as tf.Tensor2D) : e;
  });
  const fwd = encoderDirection(xs, p.encFwd, src, H, false);
  const bwd = encoderDirection(xs, p.encBwd, src, H, true);
  const B = src.batch;
  const S = src.length;
  const enc = tf.stack(
    fwd.out.map((f, t) => tf.concat([f, bwd.out[t]!], 1)),
    1,
  ) as tf.Tensor3D;
  const keys = tf.matMul(enc.reshape([B * S, 2 * H]), p.attK as tf.Tensor2D).reshape([B, S, A]) as tf.Tensor3D;
  const s0 = tf.tanh(tf.add(tf.matMul(tf.concat([fwd.final, bwd.final], 1), p.bridgeW as tf.Tensor2D), p.bridgeB));
  return { enc, keys, scoreMask: src.scoreMask, s0: s0 as tf.Tensor2D };
}

/**
 * One decoder step. Luong: x = [emb; h̃_{t−1}], h_t = GRU(x, h_{t−1}), additive attention of h_t over the memory,
 * out = h̃_t = tanh(W_c [h_t; ctx]). Bahdanau (no combine): attention of h_{t−1}, h_t = GRU([emb; ctx], h_{t−1}),
 * out = [h_t; ctx; emb] (`feed` is not read). Returns h_t, out and the attention weights [B, S].
 */
export function decoderStep(
  p: TfTranslatorParams,
  emb: tf.Tensor2D,
  feed: tf.Tensor2D,
  h: tf.Tensor2D,
  memory: TfMemory,
): { h: tf.Tensor2D; out: tf.Tensor2D; weights: tf.Tensor2D } {
  const gru = (x: tf.Tensor2D): tf.Tensor2D =>
    gruCell(tf.add(tf.matMul(x, p.dec.wx as tf.Tensor2D), p.dec.bx) as tf.Tensor2D, h, p.dec);
  if (!p.combine) {
    const { weights, ctx } = attend(p, h, memory);
    const hNew = gru(tf.concat([emb, ctx], 1));
    return { h: hNew, out: tf.concat([hNew, ctx, emb], 1), weights };
  }
  const hNew = gru(tf.concat([emb, feed], 1));
  const { weights, ctx } = attend(p, hNew, memory);
  const out = tf.tanh(tf.matMul(tf.concat([hNew, ctx], 1), p.combine as tf.Tensor2D)) as tf.Tensor2D;
  return { h: hNew, out, weights };
}

/** Additive attention of the query [B, H] over the memory: weights [B, S] and context [B, M]. */
function attend(
  p: TfTranslatorParams,
  query: tf.Tensor2D,
  memory: TfMemory,
): { weights: tf.Tensor2D; ctx: tf.Tensor2D } {
  const [B, S, A] = memory.keys.shape;
  const q = tf.matMul(query, p.attQ as tf.Tensor2D).reshape([B, 1, A]);
  let scores = tf.matMul(tf.tanh(tf.add(memory.keys, q)).reshape([B * S, A]), p.attV as tf.Tensor2D).reshape([B, S]);
  if (memory.scoreMask) scores = tf.add(scores, memory.scoreMask);
  const weights = tf.softmax(scores) as tf.Tensor2D;
  const M = memory.enc.shape[2];
  const ctx = tf.matMul(weights.reshape([B, 1, S]), memory.enc).reshape([B, M]) as tf.Tensor2D;
  return { weights, ctx };
}

/** Logits [R, V] from the decoder's output vectors [R, H] (Luong) or [R, H + M + E] (Bahdanau). */
export function outputLogits(p: TfTranslatorParams, hidden: tf.Tensor2D): tf.Tensor2D {
  return tf.add(tf.matMul(hidden, p.out as tf.Tensor2D), p.outB) as tf.Tensor2D;
}

/** One training example as subword ids without bos/eos (as @recurrent/text's TranslationExample). */
export interface TfTranslationExample {
  src: readonly number[];
  tgt: readonly number[];
}

/**
 * The teacher-forced training loss of a batch, the same as @recurrent/text's translationLoss: the decoder reads
 * bos + target and predicts target + eos, label-smoothed cross-entropy averaged over the real target tokens (padding
 * weighted 0). Call inside tf.variableGrads (or tf.tidy).
 */
export function translationLossTf(
  p: TfTranslatorParams,
  spec: TfTranslatorSpec,
  batch: readonly TfTranslationExample[],
  options: { training: boolean; labelSmoothing: number },
): tf.Scalar {
  const B = batch.length;
  const drop = options.training ? spec.dropout : 0;
  const memory = encode(
    p,
    sourceBatch(
      batch.map((e) => e.src),
      spec.padId,
    ),
    drop,
  );
  const T = Math.max(...batch.map((e) => e.tgt.length)) + 1;
  const V = p.out.shape[1]!;
  const H = p.dec.wh.shape[0]!;
  const O = p.out.shape[0]!;
  const targets = new Int32Array(B * T).fill(spec.padId);
  const weights = new Float32Array(B * T);
  batch.forEach((e, b) => {
    targets.set(e.tgt, b * T);
    targets[b * T + e.tgt.length] = spec.eosId;
    weights.fill(1, b * T, b * T + e.tgt.length + 1);
  });
  let h = memory.s0;
  let feed = tf.zeros([B, H]) as tf.Tensor2D;
  const outs: tf.Tensor2D[] = [];
  for (let t = 0; t < T; t++) {
    const ids = Int32Array.from(batch, (e) =>
      t === 0 ? spec.bosId : t - 1 < e.tgt.length ? e.tgt[t - 1]! : spec.padId,
    );
    let emb = tf.gather(p.tgtEmb, tf.tensor1d(ids, 'int32')) as tf.Tensor2D;
    if (drop > 0) emb = tf.dropout(emb, drop) as tf.Tensor2D;
    const r = decoderStep(p, emb, feed, h, memory);
    h = r.h;
    feed = r.out;
    outs.push(r.out);
  }
  let hidden = tf.stack(outs, 1).reshape([B * T, O]) as tf.Tensor2D;
  if (drop > 0) hidden = tf.dropout(hidden, drop) as tf.Tensor2D;
  const logits = outputLogits(p, hidden);
  const labels = tf.oneHot(tf.tensor1d(targets, 'int32'), V).toFloat();
  return tf.losses.softmaxCrossEntropy(
    labels,
    logits,
    tf.tensor1d(weights),
    options.labelSmoothing,
    tf.Reduction.SUM_BY_NONZERO_WEIGHTS,
  ) as tf.Scalar;
}

/** Decoding search limits: at most maxLengths[b] tokens for row b, eos included (as the Translator's guard). */
export interface TfDecodeOptions {
  maxLengths: readonly number[];
}

/**
 * Inference with fixed weights: greedy decoding of a batch (finished rows leave the batch, as in the library) and
 * beam search for one sentence (fairseq's rule as in @recurrent/core: 2·K candidates per step, an eos among the best
 * K ends a hypothesis, done once K have ended; GNMT length penalty). Banned tokens get −∞ after the log-softmax.
 */
export class TfTranslatorDecoder {
  private readonly bannedMask: tf.Tensor1D;
  private readonly H: number;

  constructor(
    private readonly p: TfTranslatorParams,
    private readonly spec: TfTranslatorSpec,
  ) {
    const V = p.out.shape[1]!;
    const mask = new Float32Array(V);
    for (const id of spec.banned) mask[id] = -Infinity;
    this.bannedMask = tf.tensor1d(mask);
    this.H = p.dec.wh.shape[0]!;
  }

  private encodeKept(rows: readonly (readonly number[])[]): TfMemory {
    // tf.tidy keeps the tensors of a returned object (its typing wants tensors only, no null)
    const kept = tf.tidy(() => encode(this.p, sourceBatch(rows, this.spec.padId), 0) as unknown as tf.TensorContainer);
    return kept as unknown as TfMemory;
  }

  /** Greedy tokens (eos excluded) of every source row. */
  greedy(rows: readonly (readonly number[])[], options: TfDecodeOptions): number[][] {
    const { bosId, eosId } = this.spec;
    let memory = this.encodeKept(rows);
    let h = memory.s0;
    let feed = tf.zeros([rows.length, this.H]) as tf.Tensor2D;
    const results: number[][] = rows.map(() => []);
    let live = rows.map((_, b) => b);
    let tokens = new Int32Array(rows.length).fill(bosId);
    const maxT = Math.max(...options.maxLengths);
    for (let t = 0; t < maxT && live.length > 0; t++) {
      const [hNew, feedNew, best] = tf.tidy(() => {
        const emb = tf.gather(this.p.tgtEmb, tf.tensor1d(tokens, 'int32')) as tf.Tensor2D;
        const r = decoderStep(this.p, emb, feed, h, memory);
        const logits = tf.add(outputLogits(this.p, r.out), this.bannedMask);
        return [r.h, r.out, tf.argMax(logits, 1)];
      });
      const picked = best.dataSync();
      tf.dispose([best, h, feed]);
      h = hNew as tf.Tensor2D;
      feed = feedNew as tf.Tensor2D;
      const keep: number[] = [];
      const next: number[] = [];
      live.forEach((b, r) => {
        // the row's last allowed step may only emit eos (the Translator's maximum-length rule)
        const w = t + 1 >= options.maxLengths[b]! ? eosId : picked[r]!;
        if (w === eosId) return;
        results[b]!.push(w);
        keep.push(r);
        next.push(w);
      });
      if (keep.length > 0 && keep.length < live.length) {
        // finished rows leave the batch
        const idx = tf.tensor1d(keep, 'int32');
        const pick = <T extends tf.Tensor>(x: T): T => tf.gather(x, idx) as T;
        const kept: TfMemory = {
          enc: pick(memory.enc),
          keys: pick(memory.keys),
          scoreMask: memory.scoreMask ? pick(memory.scoreMask) : null,
          s0: h,
        };
        const hKept = pick(h);
        const feedKept = pick(feed);
        disposeMemory(memory);
        tf.dispose([h, feed, idx]);
        memory = kept;
        h = hKept;
        feed = feedKept;
      }
      live = keep.map((r) => live[r]!);
      tokens = Int32Array.from(next);
    }
    tf.dispose([h, feed]);
    disposeMemory(memory);
    return results;
  }

  /** Beam search for one source row: the best hypothesis's tokens (eos excluded). */
  beam(row: readonly number[], options: { beamSize: number; alpha: number; maxLength: number }): number[] {
    const { bosId, eosId } = this.spec;
    const K = options.beamSize;
    const lp = (len: number): number => ((5 + len) / 6) ** options.alpha;
    const memory = this.encodeKept([row]);
    let alive: { tokens: number[]; logProb: number }[] = [{ tokens: [], logProb: 0 }];
    const finished: { tokens: number[]; score: number }[] = [];
    let h = memory.s0;
    let feed = tf.zeros([1, this.H]) as tf.Tensor2D;
    for (let t = 0; t < options.maxLength && alive.length > 0; t++) {
      const rows = alive.length;
      const tokens = Int32Array.from(alive, (a) => (a.tokens.length === 0 ? bosId : a.tokens.at(-1)!));
      const [hNew, feedNew, logp] = tf.tidy(() => {
        const emb = tf.gather(this.p.tgtEmb, tf.tensor1d(tokens, 'int32')) as tf.Tensor2D;
        const mem: TfMemory =
          rows === 1
            ? memory
            : {
                enc: tf.tile(memory.enc, [rows, 1, 1]) as tf.Tensor3D,
                keys: tf.tile(memory.keys, [rows, 1, 1]) as tf.Tensor3D,
                scoreMask: null,
                s0: memory.s0,
              };
        const r = decoderStep(this.p, emb, feed, h, mem);
        return [r.h, r.out, tf.add(tf.logSoftmax(outputLogits(this.p, r.out)), this.bannedMask)];
      });
      const lps = logp.dataSync();
      tf.dispose([logp, h, feed]);
      const V = lps.length / rows;
      const lastStep = t + 1 >= options.maxLength;
      // the 2K best (beam, token) continuations by cumulative log-probability, best first
      const cand: { score: number; beam: number; token: number }[] = [];
      alive.forEach((a, bi) => {
        for (let w = 0; w < V; w++) {
          const x = lastStep && w !== eosId ? -Infinity : lps[bi * V + w]!;
          const s = a.logProb + x;
          if (s === -Infinity || (cand.length === 2 * K && !(s > cand[2 * K - 1]!.score))) continue;
          if (cand.length === 2 * K) cand.pop();
          let j = cand.length;
          while (j > 0 && cand[j - 1]!.score < s) j--;
          cand.splice(j, 0, { score: s, beam: bi, token: w });
        }
      });
      const next: { tokens: number[]; logProb: number }[] = [];
      const parents: number[] = [];
      cand.forEach((c, j) => {
        if (next.length >= K) return;
        const parent = alive[c.beam]!;
        if (c.token === eosId) {
          // as fairseq: only an eos among the best K candidates ends a hypothesis
          if (j < K) finished.push({ tokens: parent.tokens, score: c.score / lp(parent.tokens.length + 1) });
          return;
        }
        next.push({ tokens: [...parent.tokens, c.token], logProb: c.score });
        parents.push(c.beam);
      });
      alive = finished.length >= K ? [] : next;
      const idx = tf.tensor1d(alive.length > 0 ? parents : [0], 'int32');
      h = tf.gather(hNew, idx) as tf.Tensor2D;
      feed = tf.gather(feedNew, idx) as tf.Tensor2D;
      tf.dispose([hNew, feedNew, idx]);
    }
    tf.dispose([h, feed]);
    disposeMemory(memory);
    const best = finished.sort((a, b) => b.score - a.score)[0];
    if (!best) throw new Error('tfjs beam search: no hypothesis ended');
    return best.tokens;
  }

  dispose(): void {
    this.bannedMask.dispose();
  }
}

/** Dispose the memory's tensors except s0 (which the decoding loop owns as its first state). */
function disposeMemory(m: TfMemory): void {
  tf.dispose([m.enc, m.keys, ...(m.scoreMask ? [m.scoreMask] : [])]);
}
