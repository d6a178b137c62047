import {
  bceWithLogits,
  describeValue,
  Dropout,
  Generator,
  Linear,
  Module,
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

export type RollCell = 'lstm' | 'gru';

export interface PianoRollRNNArchitecture {
  hiddenSize: number;
  numLayers: number;
  cell: RollCell;
  /** Dropout between recurrent layers and before the output layer (training only). */
  dropout: number;
}

export const DEFAULT_PIANO_ROLL_RNN: PianoRollRNNArchitecture = {
  hiddenSize: 200,
  numLayers: 1,
  cell: 'lstm',
  dropout: 0,
};

export interface PianoRollRNNOptions extends Partial<PianoRollRNNArchitecture> {
  /** Seeds initialisation and, after it, dropout (default 0). */
  seed?: number;
  generator?: Generator;
  dtype?: DType;
}

/** Check an architecture, naming the bad field. */
export function checkRollArchitecture<
  A extends { hiddenSize: number; numLayers: number; cell: RollCell; dropout: number },
>(a: A, what: string): A {
  for (const key of ['hiddenSize', 'numLayers'] as const) {
    if (!Number.isInteger(a[key]) || a[key] < 1)
      throw new ValueError(`${what}: ${key} must be a positive integer, got ${describeValue(a[key])}`);
  }
  if (a.cell !== 'lstm' && a.cell !== 'gru')
    throw new ValueError(`${what}: cell must be 'lstm' or 'gru', got ${describeValue(a.cell)}`);
  if (!(a.dropout >= 0 && a.dropout < 1))
    throw new ValueError(`${what}: dropout must be in [0, 1), got ${describeValue(a.dropout)}`);
  return a;
}

/** σ(z) without overflow for large |z| (exp of a non-positive number only). */
export function stableSigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** Sample 0/1 from sigmoid(logit / temperature) with the generator; returns the probability used. */
export function drawKey(logit: number, draw: FrameDraw): { on: boolean; probability: number } {
  const z = logit / draw.temperature;
  const probability = stableSigmoid(z);
  return { on: draw.generator.random() < probability, probability };
}

/**
 * Polyphonic music as 88 independent notes per frame (Boulanger-Lewandowski et al. 2012's RNN baseline): an
 * LSTM (or GRU) reads the previous frames, a linear layer gives each key's logit, p(key on) = σ(logit).
 * Names: `rnn.weight_ih_l0`, …, `head.weight`, `head.bias` — LSTM(88, 200) + Linear(200, 88) is the 249,688
 * parameters of the PyTorch `jsb_lstm_200` anchor.
 */
export class PianoRollRNN extends Module implements FrameModel {
  readonly architecture: PianoRollRNNArchitecture;
  readonly generator: Generator;
  readonly rnn: RecurrentBase;
  readonly head: Linear;
  private readonly outputDropout: Dropout;

  constructor(options: PianoRollRNNOptions = {}) {
    super();
    const { seed, generator: given, dtype, ...rest } = options;
    const arch = checkRollArchitecture({ ...DEFAULT_PIANO_ROLL_RNN, ...rest }, 'PianoRollRNN');
    this.architecture = arch;
    const generator = given ?? new Generator(seed ?? 0);
    this.generator = generator;
    this.rnn = this.registerModule('rnn', frameRecurrence(arch, { generator, dtype }));
    this.head = this.registerModule(
      'head',
      new Linear({ inFeatures: arch.hiddenSize, outFeatures: PIANO_KEYS, generator, dtype }),
    );
    this.outputDropout = this.registerModule('dropout', new Dropout({ p: arch.dropout, generator }));
  }

  /** inputs [B, T, 88] → logits [B, T, 88] of the next frame at every step, and the final state. */
  forward(
    inputs: Tensor,
    options: { lengths?: ArrayLike<number>; state?: RecurrentState } = {},
  ): { logits: Tensor; state: RecurrentState } {
    const out = this.rnn.forward(inputs, options);
    return { logits: this.head.forward(this.outputDropout.forward(out.output)), state: out.state };
  }

  /** Σ over real frames and keys of the binary cross-entropy: −log p(rolls) in nats. */
  negLogLikelihood(batch: RollBatch): Tensor {
    const { logits } = this.forward(batch.inputs, { lengths: batch.lengths });
    const picked = realFrameRows(logits, batch, PIANO_KEYS);
    return bceWithLogits(picked, realFrameRows(batch.targets, batch, PIANO_KEYS), { reduction: 'sum' });
  }

  /** The state after reading `inputs` [1, T, 88]. */
  readFrames(inputs: Tensor, state?: RecurrentState): RecurrentState {
    return this.rnn.forward(inputs, state ? { state } : {}).state;
  }

  sampleStep(
    input: Tensor,
    state: RecurrentState | undefined,
    draw: FrameDraw,
  ): { frame: Uint8Array; state: RecurrentState } {
    const out = this.forward(input, state ? { state } : {});
    const logits = out.logits.data;
    const frame = new Uint8Array(PIANO_KEYS);
    for (let k = 0; k < PIANO_KEYS; k++) {
      const { on, probability } = drawKey(logits[k]!, draw);
      frame[k] = on ? 1 : 0;
      draw.probabilities[k] = probability;
    }
    return { frame, state: out.state };
  }
}
