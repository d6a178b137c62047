// Batch-1 generation for Embedding → LSTM stack → Linear models with everything resident in wasm memory (the
// resident generator of ops/recurrent/generation.ts): the public API validates the modules and speaks tensors.
import { ValueError } from '../errors.js';
import { createLstmGenerator, lstmGeneratorReady, type LstmWasmGenerator } from '../ops/recurrent/index.js';
import type { Embedding } from './embedding.js';
import type { Linear } from './linear.js';
import type { LSTM } from './lstm.js';
import type { RecurrentState } from './recurrent-state.js';
import { Tensor } from '../tensor/tensor.js';

/** The three parts of a token-level LSTM language model (eval-mode dropout between them is the identity). */
export interface LstmLanguageModelParts {
  embedding: Embedding;
  lstm: LSTM;
  head: Linear;
}

/** Why `parts` cannot run as an LstmSession, or null when they can. */
export function lstmSessionUnsupported(parts: LstmLanguageModelParts): string | null {
  const { embedding, lstm, head } = parts;
  if (lstm.bidirectional) return 'the LSTM is bidirectional (generation runs one direction)';
  if (lstm.hiddenSize % 2 !== 0)
    return `the LSTM's hiddenSize ${lstm.hiddenSize} is odd (the SIMD gate kernel takes pairs)`;
  const tensors = [embedding.weight, head.weight, ...Object.values(lstm.stateDict())];
  if (tensors.some((t) => t.dtype !== 'float32')) return 'the weights are not all float32';
  if (embedding.weight.shape[1] !== lstm.inputSize)
    return `the embedding width ${embedding.weight.shape[1]} is not the LSTM's inputSize ${lstm.inputSize}`;
  if (head.weight.shape[1] !== lstm.hiddenSize)
    return `the head's in_features ${head.weight.shape[1]} is not the LSTM's hiddenSize ${lstm.hiddenSize}`;
  if (!lstmGeneratorReady())
    return 'the WebAssembly SIMD kernels are not active (await initWasm() first, or useBackend("wasm"))';
  return null;
}

/**
 * Step-by-step inference of an Embedding → LSTM → Linear model at batch 1, for sampling loops: `step(token)` feeds one
 * token and returns the next-token logits. The arithmetic is the model's own forward pass operation for operation
 * (the same wasm products and gate kernel, the head's bias added the same way), so logits equal those of
 * `head.forward(lstm.forward(embedding.forward(...)))` with pinned weights bit for bit whenever each product has at
 * least 4,096 multiply-adds (below that the module path uses the TypeScript GEMM: equal within float32 rounding).
 * The weights are copied in when the session is created: make a new session after changing them. `dispose()` frees
 * the wasm memory.
 */
export class LstmSession {
  readonly vocabSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  private readonly generator: LstmWasmGenerator;
  private disposed = false;

  constructor(parts: LstmLanguageModelParts) {
    const why = lstmSessionUnsupported(parts);
    if (why) throw new ValueError(`LstmSession: ${why}`);
    const { embedding, lstm, head } = parts;
    const H = lstm.hiddenSize;
    const sd = lstm.stateDict();
    const weight = (name: string): Float32Array => {
      const t = sd[name];
      if (!t) throw new ValueError(`LstmSession: the LSTM has no parameter ${name}`);
      return t.data as Float32Array;
    };
    const optional = (name: string): Float32Array | null => (sd[name]?.data as Float32Array | undefined) ?? null;
    const generator = createLstmGenerator({
      embedding: embedding.weight.data as Float32Array,
      vocabSize: embedding.weight.shape[0]!,
      layers: Array.from({ length: lstm.numLayers }, (_, l) => ({
        H,
        inputSize: l === 0 ? lstm.inputSize : H,
        wIH: weight(`weight_ih_l${l}`),
        wHH: weight(`weight_hh_l${l}`),
        bIH: optional(`bias_ih_l${l}`),
        bHH: optional(`bias_hh_l${l}`),
      })),
      head: head.weight.data as Float32Array,
      headBias: (head.bias?.data as Float32Array | undefined) ?? null,
      outputSize: head.weight.shape[0]!,
    });
    if (!generator) throw new ValueError('LstmSession: the WebAssembly SIMD kernels are not active');
    this.generator = generator;
    this.vocabSize = generator.vocabSize;
    this.hiddenSize = H;
    this.numLayers = lstm.numLayers;
  }

  /** Zero state, or the given one (h and c shaped [numLayers, 1, H], as the LSTM returns them). */
  reset(state?: RecurrentState): void {
    this.check();
    if (!state) {
      this.generator.setState(null, null);
      return;
    }
    const n = this.numLayers * this.hiddenSize;
    if (state.h.size !== n || !state.c || state.c.size !== n) {
      throw new ValueError(
        `LstmSession.reset: state h and c must each hold numLayers × 1 × hiddenSize = ${n} values, got h ` +
          `${state.h.size} and c ${state.c?.size ?? 'missing'}`,
      );
    }
    this.generator.setState(state.h.data, state.c.data);
  }

  /** The current state as tensors [numLayers, 1, H] (copies). */
  state(): RecurrentState {
    this.check();
    const { h, c } = this.generator.getState();
    const shape = [this.numLayers, 1, this.hiddenSize];
    return { h: new Tensor(h, shape), c: new Tensor(c, shape) };
  }

  /**
   * Feed one token; returns the logits for the next one. The array is the session's own and is overwritten by the
   * next step (copy it to keep it).
   */
  step(token: number): Float32Array {
    this.check();
    if (!Number.isInteger(token) || token < 0 || token >= this.vocabSize)
      throw new ValueError(`LstmSession.step: token must be an integer in [0, ${this.vocabSize}), got ${token}`);
    return this.generator.step(token);
  }

  /** Frees the session's wasm memory; further calls throw. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.generator.free();
  }

  private check(): void {
    if (this.disposed) throw new ValueError('LstmSession: used after dispose()');
  }
}
