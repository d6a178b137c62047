// Two classic long-range benchmarks for recurrent networks, as seeded batch generators. Both put the information the
// answer needs at the start (or spread over the whole span) and ask for it only at the end, so nothing but memory
// over T steps helps.
import { ValueError } from '../errors.js';
import type { Generator } from '../random.js';
import { Tensor } from '../tensor/tensor.js';

export type LongRangeTaskName = 'adding' | 'copy';

export interface LongRangeTaskOptions {
  /**
   * Adding problem: the sequence length T. Copy task: the delay T between the last symbol shown and the delimiter
   * that asks for them (the sequence is T + 2·copyLength steps long).
   */
  length: number;
  /** Copy task only: how many symbols to remember (default 10, as in Arjovsky, Shah & Bengio 2016). */
  copyLength?: number;
  /** Copy task only: how many distinct symbols (default 8). */
  symbols?: number;
}

/** One batch, time-major: x is [steps, batch, inputSize]. */
export interface LongRangeBatch {
  x: Tensor;
  /** Adding: the targets [batch, 1]. Copy: the class of every step, time-major ([steps · batch]). */
  target: Tensor | Int32Array;
}

/** A long-range task: its input/output sizes, how its loss is read, and a seeded batch generator. */
export interface LongRangeTask {
  readonly name: LongRangeTaskName;
  readonly length: number;
  /** Steps per sequence. */
  readonly steps: number;
  readonly inputSize: number;
  /** Adding: 1 regression output. Copy: the number of classes (blank, the symbols, the delimiter's blank). */
  readonly outputSize: number;
  /** 'last': the loss reads the output of the last step only (adding); 'every': every step (copy). */
  readonly readout: 'last' | 'every';
  /** The loss of the best input-blind guess: what a model that remembers nothing reaches. */
  readonly baselineLoss: number;
  /** A loss below this counts as solved (stated per task; see the docs of `longRangeTask`). */
  readonly solvedBelow: number;
  batch(generator: Generator, batchSize: number): LongRangeBatch;
}

function checkLength(name: string, length: number, min: number, max: number): void {
  if (!Number.isInteger(length) || length < min || length > max) {
    throw new ValueError(`${name}: length must be an integer in ${min}..${max}, got ${length}`);
  }
}

/**
 * The adding problem (Hochreiter & Schmidhuber 1997; Le, Jaitly & Hinton 2015). Each step carries two inputs: a
 * number drawn from U(0, 1) and a marker that is 1 at exactly two steps — one in the first half, one in the second —
 * and 0 elsewhere. The target is the sum of the two marked numbers, read after the last step, with mean squared error.
 * Predicting 1 whatever the input gives the variance of that sum, 1/6 ≈ 0.167; solved means MSE below 0.01.
 */
export function addingProblem(options: LongRangeTaskOptions): LongRangeTask {
  const T = options.length;
  checkLength('addingProblem', T, 2, 100_000);
  return {
    name: 'adding',
    length: T,
    steps: T,
    inputSize: 2,
    outputSize: 1,
    readout: 'last',
    baselineLoss: 1 / 6,
    solvedBelow: 0.01,
    batch(g: Generator, batchSize: number): LongRangeBatch {
      const x = new Float32Array(T * batchSize * 2);
      const y = new Float32Array(batchSize);
      const half = Math.floor(T / 2);
      for (let b = 0; b < batchSize; b++) {
        for (let t = 0; t < T; t++) x[(t * batchSize + b) * 2] = g.random();
        const first = g.randint(half);
        const second = half + g.randint(T - half);
        for (const t of [first, second]) {
          x[(t * batchSize + b) * 2 + 1] = 1;
          y[b] = (y[b] ?? 0) + (x[(t * batchSize + b) * 2] ?? 0);
        }
      }
      return { x: new Tensor(x, [T, batchSize, 2]), target: new Tensor(y, [batchSize, 1]) };
    },
  };
}

/**
 * Copy after a delay (Hochreiter & Schmidhuber 1997; Arjovsky, Shah & Bengio 2016). The first `copyLength` steps
 * show symbols 1..K (one-hot), then T − 1 blanks, then a delimiter, then `copyLength` more blanks during which the
 * model must replay the symbols in order; at every other step the right output is the blank (class 0). Cross-entropy
 * over every step. The input-blind baseline — blanks everywhere, then a uniform guess over the K symbols — is
 * copyLength · ln K / (T + 2 · copyLength); solved means below a tenth of it.
 */
export function copyTask(options: LongRangeTaskOptions): LongRangeTask {
  const T = options.length;
  checkLength('copyTask', T, 1, 100_000);
  const S = options.copyLength ?? 10;
  const K = options.symbols ?? 8;
  if (!Number.isInteger(S) || S < 1 || S > 1000)
    throw new ValueError(`copyTask: copyLength must be in 1..1000, got ${S}`);
  if (!Number.isInteger(K) || K < 2 || K > 1000) throw new ValueError(`copyTask: symbols must be in 2..1000, got ${K}`);
  const steps = T + 2 * S;
  const inputSize = K + 2; // blank, the K symbols, the delimiter
  const baselineLoss = (S * Math.log(K)) / steps;
  return {
    name: 'copy',
    length: T,
    steps,
    inputSize,
    outputSize: K + 1,
    readout: 'every',
    baselineLoss,
    solvedBelow: baselineLoss / 10,
    batch(g: Generator, batchSize: number): LongRangeBatch {
      const x = new Float32Array(steps * batchSize * inputSize);
      const y = new Int32Array(steps * batchSize);
      for (let b = 0; b < batchSize; b++) {
        for (let t = 0; t < steps; t++) {
          let input = 0; // blank
          if (t < S) {
            input = 1 + g.randint(K);
            y[(T + S + t) * batchSize + b] = input;
          } else if (t === T + S - 1) input = K + 1; // the delimiter: replay from the next step on
          x[(t * batchSize + b) * inputSize + input] = 1;
        }
      }
      return { x: new Tensor(x, [steps, batchSize, inputSize]), target: y };
    },
  };
}

/** The task of this name. */
export function longRangeTask(name: LongRangeTaskName, options: LongRangeTaskOptions): LongRangeTask {
  if (name === 'adding') return addingProblem(options);
  if (name === 'copy') return copyTask(options);
  throw new ValueError(`longRangeTask: unknown task '${String(name)}' (expected 'adding' or 'copy')`);
}
