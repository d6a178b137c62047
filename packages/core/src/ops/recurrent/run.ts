// The fused recurrent op: a whole multi-layer (bi)directional RNN/LSTM/GRU stack over a padded batch as ONE
// autograd node (attachMany) — forward and hand-written backward through time in stack.ts, on the raw kernels.
import { Tensor } from '../../tensor/tensor.js';
import { allocate, promote, type DType, type Storage } from '../../tensor/dtype.js';
import { attachMany } from '../../autograd/node.js';
import { isGradEnabled } from '../../autograd/grad-mode.js';
import { swapLeading } from '../../kernels/recurrent/sequence.js';
import { foldsTokens, timeMajorIds, type TokenInput } from '../../kernels/recurrent/tokens.js';
import type { ResidentLstmWeights } from '../../kernels/recurrent/lstm-wasm.js';
import { embeddingSourceOf, type EmbeddingSource } from '../embedding.js';
import {
  bindSavedLifetime,
  stackBackward,
  stackForward,
  type StackConfig,
  type StackForwardArgs,
  type StackHiddenGradHook,
} from './stack.js';

/** Weights of a stack as tensors, indexed `layer * numDirections + direction`. */
export interface RecurrentWeights {
  wIH: Tensor[];
  wHH: Tensor[];
  bIH: (Tensor | null)[];
  bHH: (Tensor | null)[];
}

/** Everything `runRecurrent` needs; inputs must already be validated. */
export interface RecurrentRunArgs {
  name: string;
  config: StackConfig;
  weights: RecurrentWeights;
  /** [T, B, in] time-major or [B, T, in] when batchFirst; cells pass [B, in] with T = 1. */
  x: Tensor;
  T: number;
  B: number;
  batchFirst: boolean;
  h0: Tensor | null;
  c0: Tensor | null;
  lengths: Int32Array | null;
  dropout: { p: number; random: () => number } | null;
  /** Shape of the output tensor and of h_n / c_n (defaults: PyTorch's layer shapes). Cells pass [B, H]. */
  outputShape?: number[];
  stateShape?: number[];
  /** Diagnostics: observe ∂L/∂h_t during backward. */
  onHiddenGrad?: StackHiddenGradHook;
  /**
   * Weights pinned in wasm memory (see `RecurrentBase.pinWeights`): asked for (layer, direction) k on every forward,
   * with `recording` true when this forward records gradients (then it must return null: training uses the live
   * weights).
   */
  resident?: (k: number, recording: boolean) => ResidentLstmWeights | null;
}

export interface RecurrentRunResult {
  output: Tensor;
  hN: Tensor;
  cN: Tensor | null;
}

function inDType(t: Tensor, dtype: DType): Storage {
  if (t.dtype === dtype) return t.data;
  const out = allocate(dtype, t.size);
  out.set(t.data);
  return out;
}

/**
 * When `x` is the output of an embedding lookup over a vocabulary small against the number of tokens, the lookup:
 * layer 0 then projects the table instead of every token (kernels/recurrent/tokens.ts) and its input gradient goes
 * straight to the table.
 */
function tokenInputOf(r: RecurrentRunArgs, dtype: DType): { tokens: TokenInput; source: EmbeddingSource } | null {
  // a lookup whose own gradient was asked for (retainGrad) must go through the graph
  if (r.x.dtype !== dtype || r.x.gradFn?.retained) return null;
  const source = embeddingSourceOf(r.x, (s) => s.weight.dtype === dtype && foldsTokens(s.weight.shape[0]!, r.T * r.B));
  if (!source) return null;
  const ids = r.batchFirst ? timeMajorIds(source.ids, r.B, r.T) : source.ids;
  // the table as it is now, so editing it before backward cannot change the gradients of this forward
  return { tokens: { ids, table: source.weight.data.slice(), V: source.weight.shape[0]! }, source };
}

/**
 * Run a recurrent stack as ONE autograd node: forward through the fused kernels, hand-written backward
 * through time. Saves per-step buffers only when a gradient will be needed.
 */
export function runRecurrent(r: RecurrentRunArgs): RecurrentRunResult {
  const { config, weights, T, B } = r;
  const { hiddenSize: H, numLayers: L, numDirections: D } = config;
  const params: Tensor[] = [];
  for (let k = 0; k < L * D; k++) {
    params.push(weights.wIH[k]!, weights.wHH[k]!);
    if (weights.bIH[k]) params.push(weights.bIH[k]!);
    if (weights.bHH[k]) params.push(weights.bHH[k]!);
  }
  const states = [...(r.h0 ? [r.h0] : []), ...(r.c0 ? [r.c0] : [])];
  const dtype = promote(...[r.x, ...states, ...params].map((t) => t.dtype));
  const folded = tokenInputOf(r, dtype);
  // with tokens, the node's first input is the embedding table itself (the lookup's output is not needed)
  const first = folded ? folded.source.weight : r.x;
  const inputs = [first, ...states, ...params];
  const save = isGradEnabled() && inputs.some((t) => t.requiresGrad);
  const raw = (t: Tensor | null): Storage | null => (t ? inDType(t, dtype) : null);
  const args: StackForwardArgs = {
    config,
    weights: {
      wIH: weights.wIH.map((t) => raw(t)!),
      wHH: weights.wHH.map((t) => raw(t)!),
      bIH: weights.bIH.map(raw),
      bHH: weights.bHH.map(raw),
    },
    dtype,
    T,
    B,
    x: folded
      ? allocate(dtype, 0)
      : r.batchFirst
        ? swapLeading(inDType(r.x, dtype), B, T, config.inputSize)
        : inDType(r.x, dtype),
    tokens: folded?.tokens,
    h0: raw(r.h0),
    c0: raw(r.c0),
    lengths: r.lengths,
    save,
    dropout: r.dropout,
    outputBatchFirst: r.batchFirst,
    resident: r.resident && ((k: number) => r.resident!(k, save)),
  };
  const res = stackForward(args);
  const DH = D * H;
  const outData = res.output; // batch-first already when r.batchFirst (outputBatchFirst)
  const outputShape = r.outputShape ?? (r.batchFirst ? [B, T, DH] : [T, B, DH]);
  const stateShape = r.stateShape ?? [L * D, B, H];
  const output = new Tensor(outData, outputShape);
  const hN = new Tensor(res.hN, stateShape);
  const cN = res.cN ? new Tensor(res.cN, stateShape) : null;
  if (!save || !res.saved) return { output, hN, cN };
  const saved = res.saved;
  const outs = cN ? [output, hN, cN] : [output, hN];
  attachMany(outs, r.name, inputs, (g) => {
    const dOut = inDType(g[0]!, dtype); // batch-first when r.batchFirst, as stackBackward expects
    const grads = stackBackward(args, saved, dOut, inDType(g[1]!, dtype), cN ? inDType(g[2]!, dtype) : null, {
      inputGrad: first.requiresGrad,
      onHiddenGrad: r.onHiddenGrad,
    });
    let firstGrad: Tensor | null = null;
    if (grads.dx && folded) {
      const pad = folded.source.paddingIdx;
      if (pad !== null) grads.dx.fill(0, pad * config.inputSize, (pad + 1) * config.inputSize);
      firstGrad = new Tensor(grads.dx, first.shape);
    } else if (grads.dx) {
      firstGrad = new Tensor(r.batchFirst ? swapLeading(grads.dx, T, B, config.inputSize) : grads.dx, r.x.shape);
    }
    const result: (Tensor | null)[] = [firstGrad];
    if (r.h0) result.push(new Tensor(grads.dh0, r.h0.shape));
    if (r.c0) result.push(new Tensor(grads.dc0!, r.c0.shape));
    for (let k = 0; k < L * D; k++) {
      result.push(new Tensor(grads.dWIH[k]!, weights.wIH[k]!.shape), new Tensor(grads.dWHH[k]!, weights.wHH[k]!.shape));
      if (weights.bIH[k]) result.push(new Tensor(grads.dBIH[k]!, weights.bIH[k]!.shape));
      if (weights.bHH[k]) result.push(new Tensor(grads.dBHH[k]!, weights.bHH[k]!.shape));
    }
    return result;
  });
  const node = output.gradFn;
  if (node) {
    // resident saved buffers are reclaimed without a copy once the engine has freed this node (backward ran
    // without retainGraph) or the graph was dropped
    const ref = new WeakRef(node);
    bindSavedLifetime(saved, () => {
      const n = ref.deref();
      return n !== undefined && n.backwardFn !== null;
    });
  }
  return { output, hN, cN };
}
