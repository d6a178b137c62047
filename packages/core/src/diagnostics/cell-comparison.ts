// The lecture's experiment: a vanilla tanh RNN, a ReLU RNN with identity initialisation (IRNN), an LSTM and a GRU
// trained side by side on the same long-range task with the same budget, watching their losses and how the gradient
// ∂L/∂h_t fades (or explodes) back through time. Browser-safe: the demo's worker and the Node example both run it.
import { noGrad } from '../autograd/grad-mode.js';
import { ValueError } from '../errors.js';
import { crossEntropy } from '../losses/cross-entropy.js';
import { mseLoss } from '../losses/mse.js';
import { GRU } from '../nn/gru.js';
import { Linear } from '../nn/linear.js';
import { LSTM } from '../nn/lstm.js';
import type { RecurrentBase } from '../nn/recurrent.js';
import type { RecurrentOutput } from '../nn/recurrent-state.js';
import { RNN } from '../nn/rnn.js';
import { narrow, reshape } from '../ops/shape.js';
import { clipGradNorm } from '../optim/clip-grad-norm.js';
import { Adam } from '../optim/adam.js';
import type { Optimizer } from '../optim/optimizer.js';
import { RMSprop } from '../optim/rmsprop.js';
import { Generator } from '../random.js';
import type { Tensor } from '../tensor/tensor.js';
import { hiddenGradientNorms } from './hidden-gradients.js';
import type { LongRangeBatch, LongRangeTask } from './long-range-tasks.js';

/** 'rnn': tanh Elman RNN; 'irnn': ReLU RNN with identity recurrent weights and zero biases (Le et al. 2015). */
export type CellName = 'rnn' | 'irnn' | 'lstm' | 'gru';
export const CELL_NAMES: readonly CellName[] = ['rnn', 'irnn', 'lstm', 'gru'];

export interface CellComparisonOptions {
  task: LongRangeTask;
  /** Which cells race (default all four). */
  cells?: readonly CellName[];
  /** Hidden units of every cell (default 64). */
  hiddenSize?: number;
  /** Sequences per training step (default 32). */
  batchSize?: number;
  /** Learning rate (default 1e-3). */
  lr?: number;
  /** 'adam' (default) or 'rmsprop' (Le et al.'s choice for the IRNN). */
  optimizer?: 'adam' | 'rmsprop';
  /** Clip the global gradient norm to this threshold before each step; null (default) = no clipping. */
  clip?: number | null;
  /**
   * Multiply every recurrent weight matrix W_hh by this factor after the cell's own initialisation (default 1).
   * Above 1 the tanh RNN's gradients tend to explode, below 1 to vanish faster; the IRNN's identity becomes s·I.
   */
  recurrentScale?: number;
  /**
   * Added to the LSTM's forget-gate bias at initialisation (default 0, PyTorch's init). 1 is the common remedy
   * (Gers et al. 2000; Jozefowicz et al. 2015): the cell starts out remembering instead of half-forgetting each step.
   */
  lstmForgetBias?: number;
  /** Seeds the weights (the same seed for every cell) and the training batches (the same for every cell). */
  seed?: number;
}

/** One cell's result of one training step. */
export interface CellStep {
  cell: CellName;
  /** Training loss of the step (NaN or Infinity once it diverged). */
  loss: number;
  /** Global gradient norm before clipping. */
  gradNorm: number;
  /** The gradient was scaled down to the clipping threshold. */
  clipped: boolean;
  /** The loss or gradient stopped being finite: this cell no longer trains. */
  diverged: boolean;
}

export interface ComparisonStep {
  step: number;
  cells: CellStep[];
}

/** ‖∂L/∂h_t‖ for t = 0..steps−1 of one cell on one batch. */
export interface GradientProfile {
  cell: CellName;
  norms: number[];
  /** ‖∂L/∂h_0‖ / ‖∂L/∂h_{T−1}‖: ≪ 1 is the vanishing gradient, ≫ 1 the exploding one. */
  firstToLast: number;
}

interface Racer {
  readonly cell: CellName;
  readonly layer: RecurrentBase;
  readonly head: Linear;
  readonly optimizer: Optimizer;
  diverged: boolean;
}

function checkPositive(name: string, value: number, integer: boolean): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new ValueError(`CellComparison: ${name} must be a positive ${integer ? 'integer' : 'number'}, got ${value}`);
  }
}

function makeLayer(cell: CellName, inputSize: number, hiddenSize: number, seed: number): RecurrentBase {
  const generator = new Generator(seed);
  switch (cell) {
    case 'rnn':
      return new RNN({ inputSize, hiddenSize, generator });
    case 'irnn':
      return new RNN({ inputSize, hiddenSize, generator, nonlinearity: 'relu', recurrentInit: 'identity' });
    case 'lstm':
      return new LSTM({ inputSize, hiddenSize, generator });
    case 'gru':
      return new GRU({ inputSize, hiddenSize, generator });
  }
}

/** Add `value` to the forget-gate rows (PyTorch's gate order i, f, g, o: rows H..2H) of every layer's bias_ih. */
function addForgetBias(layer: RecurrentBase, hiddenSize: number, value: number): void {
  for (const [name, p] of layer.namedParameters()) {
    if (!name.startsWith('bias_ih')) continue;
    const d = p.data;
    for (let j = hiddenSize; j < 2 * hiddenSize; j++) d[j] = (d[j] ?? 0) + value;
  }
}

/**
 * Several recurrent cells trained in lock step on the same batches of one long-range task. `step()` trains each
 * once; `gradientProfile()` measures ‖∂L/∂h_t‖ through time on a fixed probe batch; `evaluate()` reads the held-out
 * loss. A cell whose loss or gradient stops being finite is marked diverged and left alone (the others go on).
 */
export class CellComparison {
  readonly task: LongRangeTask;
  readonly hiddenSize: number;
  readonly batchSize: number;
  readonly clip: number | null;
  private readonly racers: Racer[];
  private readonly data: Generator;
  private readonly probe: LongRangeBatch;
  private steps = 0;

  constructor(options: CellComparisonOptions) {
    const cells = options.cells ?? CELL_NAMES;
    if (cells.length === 0) throw new ValueError('CellComparison: cells must name at least one cell');
    for (const c of cells) {
      if (!CELL_NAMES.includes(c)) {
        throw new ValueError(`CellComparison: unknown cell '${String(c)}' (expected ${CELL_NAMES.join(', ')})`);
      }
    }
    this.task = options.task;
    this.hiddenSize = options.hiddenSize ?? 64;
    this.batchSize = options.batchSize ?? 32;
    const lr = options.lr ?? 1e-3;
    const scale = options.recurrentScale ?? 1;
    const forgetBias = options.lstmForgetBias ?? 0;
    if (!Number.isFinite(forgetBias))
      throw new ValueError(`CellComparison: lstmForgetBias must be finite, got ${forgetBias}`);
    const seed = options.seed ?? 0;
    checkPositive('hiddenSize', this.hiddenSize, true);
    checkPositive('batchSize', this.batchSize, true);
    checkPositive('lr', lr, false);
    checkPositive('recurrentScale', scale, false);
    if (!Number.isInteger(seed) || seed < 0)
      throw new ValueError(`CellComparison: seed must be an integer ≥ 0, got ${seed}`);
    this.clip = options.clip ?? null;
    if (this.clip !== null) checkPositive('clip', this.clip, false);
    const optimizer = options.optimizer ?? 'adam';
    if (optimizer !== 'adam' && optimizer !== 'rmsprop') {
      throw new ValueError(`CellComparison: optimizer must be 'adam' or 'rmsprop', got '${String(optimizer)}'`);
    }
    this.racers = cells.map((cell) => {
      const layer = makeLayer(cell, this.task.inputSize, this.hiddenSize, seed);
      if (scale !== 1) {
        for (const [name, p] of layer.namedParameters()) {
          if (!name.startsWith('weight_hh')) continue;
          const d = p.data;
          for (let i = 0; i < d.length; i++) d[i] = (d[i] ?? 0) * scale;
        }
      }
      if (cell === 'lstm' && forgetBias !== 0) addForgetBias(layer, this.hiddenSize, forgetBias);
      const head = new Linear({
        inFeatures: this.hiddenSize,
        outFeatures: this.task.outputSize,
        generator: new Generator(seed + 1),
      });
      const params = [...layer.parameters(), ...head.parameters()];
      const opt = optimizer === 'adam' ? new Adam(params, { lr }) : new RMSprop(params, { lr });
      return { cell, layer, head, optimizer: opt, diverged: false };
    });
    this.data = new Generator(seed + 1000);
    this.probe = this.task.batch(new Generator(seed + 2000), this.batchSize);
  }

  get cells(): CellName[] {
    return this.racers.map((r) => r.cell);
  }

  /** The recurrent layer of one cell (to read or save its weights). */
  layerOf(cell: CellName): RecurrentBase {
    const racer = this.racers.find((r) => r.cell === cell);
    if (!racer) throw new ValueError(`CellComparison: '${cell}' is not in this race (${this.cells.join(', ')})`);
    return racer.layer;
  }

  /** Training steps taken so far. */
  get step(): number {
    return this.steps;
  }

  /** Train every cell that has not diverged once, on the same fresh batch. */
  trainStep(): ComparisonStep {
    const batch = this.task.batch(this.data, this.batchSize);
    this.steps++;
    const cells = this.racers.map((r): CellStep => {
      if (r.diverged) return { cell: r.cell, loss: Number.NaN, gradNorm: Number.NaN, clipped: false, diverged: true };
      const params = [...r.layer.parameters(), ...r.head.parameters()];
      r.optimizer.zeroGrad();
      const loss = this.lossOf(r, r.layer.forward(batch.x), batch);
      const value = loss.item();
      if (!Number.isFinite(value)) {
        r.diverged = true;
        return { cell: r.cell, loss: value, gradNorm: Number.NaN, clipped: false, diverged: true };
      }
      loss.backward();
      const gradNorm = clipGradNorm(params, this.clip ?? Number.POSITIVE_INFINITY);
      if (!Number.isFinite(gradNorm)) {
        r.diverged = true;
        r.optimizer.zeroGrad();
        return { cell: r.cell, loss: value, gradNorm, clipped: false, diverged: true };
      }
      r.optimizer.step();
      return {
        cell: r.cell,
        loss: value,
        gradNorm,
        clipped: this.clip !== null && gradNorm > this.clip,
        diverged: false,
      };
    });
    return { step: this.steps, cells };
  }

  /** ‖∂L/∂h_t‖ through time for every cell on the fixed probe batch (no weights change). */
  gradientProfile(): GradientProfile[] {
    return this.racers.map((r) => {
      const norms = hiddenGradientNorms(r.layer, this.probe.x, {
        loss: (result) => this.lossOf(r, result, this.probe),
      });
      r.head.zeroGrad();
      const last = norms[norms.length - 1] ?? Number.NaN;
      return { cell: r.cell, norms, firstToLast: (norms[0] ?? Number.NaN) / last };
    });
  }

  /** Mean loss of every cell on `batches` fresh held-out batches (the same for every cell, seeded by `seed`). */
  evaluate(options: { batches?: number; seed?: number } = {}): { cell: CellName; loss: number }[] {
    const count = options.batches ?? 4;
    checkPositive('batches', count, true);
    const held = new Generator(options.seed ?? 999_983);
    const batches = Array.from({ length: count }, () => this.task.batch(held, Math.max(this.batchSize, 64)));
    return noGrad(() =>
      this.racers.map((r) => {
        let sum = 0;
        for (const b of batches) sum += this.lossOf(r, r.layer.forward(b.x), b).item();
        return { cell: r.cell, loss: sum / count };
      }),
    );
  }

  private lossOf(r: Racer, result: RecurrentOutput, batch: LongRangeBatch): Tensor {
    const { steps } = this.task;
    const B = batch.x.shape[1] ?? 0;
    if (this.task.readout === 'last') {
      const last = reshape(narrow(result.output, 0, steps - 1, 1), [B, this.hiddenSize]);
      return mseLoss(r.head.forward(last), batch.target as Tensor);
    }
    const logits = r.head.forward(reshape(result.output, [steps * B, this.hiddenSize]));
    return crossEntropy(logits, batch.target as Int32Array);
  }
}
