import {
  bceWithLogits,
  Dropout,
  Generator,
  Linear,
  Module,
  reshape,
  ValueError,
  type DType,
  type RecurrentBase,
  type RecurrentState,
  type Tensor,
} from '@recurrent/core';
import { PIANO_KEYS } from '../pitch.js';
import { realFrameRows, type RollBatch } from './batch.js';
import { frameRecurrence } from './frame-recurrence.js';
import type { FrameDraw, FrameModel } from './frame-model.js';
import { nadeLogits, NadeWeights } from './nade.js';
import { checkRollArchitecture, drawKey, stableSigmoid, type RollCell } from './piano-roll-rnn.js';

export interface RnnNadeArchitecture {
  /** Hidden size of the recurrent network over frames. */
  hiddenSize: number;
  numLayers: number;
  cell: RollCell;
  /** Hidden units of the NADE over the 88 keys of a frame. */
  nadeHiddenSize: number;
  /** Dropout between recurrent layers and on the recurrent output (training only). */
  dropout: number;
}

export const DEFAULT_RNN_NADE: RnnNadeArchitecture = {
  hiddenSize: 200,
  numLayers: 1,
  cell: 'lstm',
  nadeHiddenSize: 150,
  dropout: 0,
};

export interface RnnNadeOptions extends Partial<RnnNadeArchitecture> {
  seed?: number;
  generator?: Generator;
  dtype?: DType;
}

/**
 * RNN-NADE (Boulanger-Lewandowski et al. 2012): an LSTM (or GRU) reads the previous frames; its output u_{t−1}
 * sets the biases of a NADE over the 88 keys of frame t — b_v(t) = `visible_bias`(u), b_h(t) = `hidden_bias`(u) —
 * so the keys of a frame depend on each other (chords come out as chords) and the likelihood stays exact:
 * log p(frame) = Σ_i log p(v_i | v_<i), keys in ascending pitch. Parameters: `rnn.*`, `visible_bias.weight`/
 * `.bias`, `hidden_bias.weight`/`.bias`, `nade.weight_in` [H, 88], `nade.weight_out` [88, H].
 */
export class RnnNade extends Module implements FrameModel {
  readonly architecture: RnnNadeArchitecture;
  readonly generator: Generator;
  readonly rnn: RecurrentBase;
  readonly visibleBias: Linear;
  readonly hiddenBias: Linear;
  readonly nade: NadeWeights;
  private readonly outputDropout: Dropout;

  constructor(options: RnnNadeOptions = {}) {
    super();
    const { seed, generator: given, dtype, ...rest } = options;
    const arch = checkRollArchitecture({ ...DEFAULT_RNN_NADE, ...rest }, 'RnnNade');
    if (!Number.isInteger(arch.nadeHiddenSize) || arch.nadeHiddenSize < 1) {
      throw new ValueError(`RnnNade: nadeHiddenSize must be a positive integer, got ${arch.nadeHiddenSize}`);
    }
    this.architecture = arch;
    const generator = given ?? new Generator(seed ?? 0);
    this.generator = generator;
    this.rnn = this.registerModule('rnn', frameRecurrence(arch, { generator, dtype }));
    this.visibleBias = this.registerModule(
      'visible_bias',
      new Linear({ inFeatures: arch.hiddenSize, outFeatures: PIANO_KEYS, generator, dtype }),
    );
    this.hiddenBias = this.registerModule(
      'hidden_bias',
      new Linear({ inFeatures: arch.hiddenSize, outFeatures: arch.nadeHiddenSize, generator, dtype }),
    );
    this.nade = this.registerModule(
      'nade',
      new NadeWeights({ units: PIANO_KEYS, hiddenSize: arch.nadeHiddenSize, generator, dtype }),
    );
    this.outputDropout = this.registerModule('dropout', new Dropout({ p: arch.dropout, generator }));
  }

  /** The recurrent output before each frame: inputs [B, T, 88] → [B, T, hidden] and the final state. */
  context(
    inputs: Tensor,
    options: { lengths?: ArrayLike<number>; state?: RecurrentState } = {},
  ): { output: Tensor; state: RecurrentState } {
    const out = this.rnn.forward(inputs, options);
    return { output: this.outputDropout.forward(out.output), state: out.state };
  }

  /** Exact −log p(rolls) in nats, summed over real frames (each frame's NADE teacher-forced on its own keys). */
  negLogLikelihood(batch: RollBatch): Tensor {
    const { output } = this.context(batch.inputs, { lengths: batch.lengths });
    const u = realFrameRows(output, batch, this.architecture.hiddenSize);
    const targets = realFrameRows(batch.targets, batch, PIANO_KEYS);
    const logits = nadeLogits(
      this.visibleBias.forward(u),
      this.hiddenBias.forward(u),
      this.nade.weightIn,
      this.nade.weightOut,
      targets.data,
    );
    return bceWithLogits(logits, targets, { reduction: 'sum' });
  }

  readFrames(inputs: Tensor, state?: RecurrentState): RecurrentState {
    return this.rnn.forward(inputs, state ? { state } : {}).state;
  }

  /** Ancestral sampling of one frame: keys from the lowest up, each from p(v_i | v_<i) at the temperature. */
  sampleStep(
    input: Tensor,
    state: RecurrentState | undefined,
    draw: FrameDraw,
  ): { frame: Uint8Array; state: RecurrentState } {
    const out = this.context(input, state ? { state } : {});
    const u = reshape(out.output, [1, this.architecture.hiddenSize]);
    const bv = this.visibleBias.forward(u).data;
    const H = this.architecture.nadeHiddenSize;
    const activation = Float64Array.from(this.hiddenBias.forward(u).data);
    const W = this.nade.weightIn.data; // [H, 88]
    const V = this.nade.weightOut.data; // [88, H]
    const frame = new Uint8Array(PIANO_KEYS);
    for (let i = 0; i < PIANO_KEYS; i++) {
      let logit = bv[i]!;
      for (let j = 0; j < H; j++) {
        logit += V[i * H + j]! * stableSigmoid(activation[j]!);
      }
      const { on, probability } = drawKey(logit, draw);
      draw.probabilities[i] = probability;
      if (on) {
        frame[i] = 1;
        for (let j = 0; j < H; j++) activation[j]! += W[j * PIANO_KEYS + i]!;
      }
    }
    return { frame, state: out.state };
  }
}
