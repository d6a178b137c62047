// A tiny sequence task for the training-runner tests (not a test file itself): an RNN predicts the next value of a
// seeded random-walk stream, with dropout (generator state), a carried hidden state and an optional lr schedule.
import { join } from 'node:path';
import {
  checkLrScheduleConfig,
  checkPositiveInt,
  checkStoredDtypes,
  detachState,
  Dropout,
  encodeSafetensors,
  epochGenerator,
  fileBytes,
  Generator,
  Linear,
  Module,
  mseLoss,
  RNN,
  RUNNER_CONFIG_DEFAULTS,
  Tensor,
  LR_SCHEDULE_DEFAULTS,
  makeLrScheduler,
  decodeSafetensors,
  registerModelKind,
  type CarriedState,
  type LrScheduleConfig,
  type RecurrentState,
  type RunnerConfig,
  type TrainingTaskDefinition,
  type TrainingTaskRegistration,
} from '../src/index.js';
import { writeFileAtomic } from '../src/node.js';

export const TOY_PACKAGE = '@recurrent/toy-for-tests';
export const TOY_KIND = 'toy-sequence';

export interface ToyConfig extends RunnerConfig, LrScheduleConfig {
  task: 'toy-seq';
  batchSize: number;
  seqLen: number;
  /** Make the loss NaN at this step (0 = never). */
  poisonStep: number;
  architecture: { hiddenSize: number; dropout: number };
}

export interface ToyData {
  train: Float32Array;
  valid: Float32Array;
}

export interface ToyWindow {
  input: Tensor;
  target: Tensor;
}

export function toyDefaults(): ToyConfig {
  return {
    ...RUNNER_CONFIG_DEFAULTS,
    ...LR_SCHEDULE_DEFAULTS,
    task: 'toy-seq',
    lr: 0.02,
    epochs: 3,
    patience: 0,
    checkpointEvery: 3,
    evalEvery: 4,
    lrDecay: 0.5,
    batchSize: 2,
    seqLen: 5,
    poisonStep: 0,
    architecture: { hiddenSize: 6, dropout: 0.2 },
  };
}

export function toyData(seed = 7, length = 160): ToyData {
  const g = new Generator(seed);
  const walk = new Float32Array(length);
  let x = 0;
  for (let i = 0; i < length; i++) {
    x = 0.8 * x + 0.3 * g.normal();
    walk[i] = x;
  }
  const cut = Math.floor(length * 0.75);
  return { train: walk.slice(0, cut), valid: walk.slice(cut) };
}

export class ToyModel extends Module {
  readonly generator: Generator;
  readonly rnn: RNN;
  readonly dropout: Dropout;
  readonly head: Linear;
  constructor(
    readonly architecture: ToyConfig['architecture'],
    seed: number,
  ) {
    super();
    const generator = new Generator(seed);
    this.generator = generator;
    const H = architecture.hiddenSize;
    this.rnn = this.registerModule('rnn', new RNN({ inputSize: 1, hiddenSize: H, batchFirst: true, generator }));
    this.dropout = this.registerModule('dropout', new Dropout({ p: architecture.dropout, generator }));
    this.head = this.registerModule('head', new Linear({ inFeatures: H, outFeatures: 1, generator }));
  }

  /** x [B, T, 1] → predictions [B·T, 1] and the final state. */
  forward(x: Tensor, state?: RecurrentState): { y: Tensor; state: RecurrentState } {
    const [B, T] = x.shape as [number, number, number];
    const out = this.rnn.forward(x, state ? { state } : {});
    const h = this.dropout.forward(out.output).reshape([B * T, this.architecture.hiddenSize]);
    return { y: this.head.forward(h), state: out.state };
  }
}

/** B parallel streams cut into windows of T (+1 target), starting at a random offset per epoch. */
export function toyWindows(values: Float32Array, B: number, T: number, generator: Generator | null): ToyWindow[] {
  const offset = generator ? Math.floor(generator.random() * T) : 0;
  const rowLength = Math.floor((values.length - offset - 1) / B);
  const windows: ToyWindow[] = [];
  for (let start = 0; start + T <= rowLength; start += T) {
    const input = new Float32Array(B * T);
    const target = new Float32Array(B * T);
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T; t++) {
        const i = offset + b * rowLength + start + t;
        input[b * T + t] = values[i]!;
        target[b * T + t] = values[i + 1]!;
      }
    }
    windows.push({ input: new Tensor(input, [B, T, 1]), target: new Tensor(target, [B * T, 1]) });
  }
  return windows;
}

/** What saveModel wrote, per output directory (the tests compare these). */
export function saveToyModel(dir: string, model: ToyModel, info: { training: unknown; metrics: unknown }): void {
  writeFileAtomic(join(dir, 'model.safetensors'), encodeSafetensors(model.stateDict(), null, { dtype: 'float32' }));
  const config = { kind: TOY_KIND, package: TOY_PACKAGE, architecture: model.architecture, training: info.training };
  writeFileAtomic(join(dir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
  writeFileAtomic(join(dir, 'metrics.json'), `${JSON.stringify(info.metrics, null, 2)}\n`);
}

export const toyTask: TrainingTaskDefinition<ToyConfig, ToyData, ToyWindow> = {
  name: 'toy-sequence',
  selection: { metric: 'mse', mode: 'min' },
  build(config, data, context) {
    const model = new ToyModel(config.architecture, config.seed);
    const { batchSize: B, seqLen: T } = config;
    const valid = toyWindows(data.valid, 1, T, null);
    let steps = 0;
    return {
      model,
      generators: [model.generator],
      summary: `${data.train.length} training values`,
      dataDescription: 'the toy random walk',
      trainingExamples: data.train.length,
      validationExamples: valid.length,
      epochBatches: (epoch) => toyWindows(data.train, B, T, epochGenerator(config.seed, epoch)),
      step: (w, carried) => {
        steps++;
        const out = model.forward(w.input, carried?.h ? { h: carried.h } : undefined);
        const loss = mseLoss(out.y, w.target);
        const next: CarriedState = { h: detachState(out.state).h };
        return { loss: config.poisonStep === steps ? loss.mul(Number.NaN) : loss, tokens: B * T, carried: next };
      },
      evaluate: (progress) => {
        let sum = 0;
        valid.forEach((w, i) => {
          sum += mseLoss(model.forward(w.input).y, w.target).item();
          progress(i + 1, valid.length);
        });
        const mse = sum / valid.length;
        return { mse, score: -mse };
      },
      saveModel: (info) => {
        if (context.outDir) saveToyModel(context.outDir, model, info);
      },
    };
  },
  lrScheduler: (optimizer, config, totalSteps) => makeLrScheduler(optimizer, config, totalSteps),
};

/** The toy as a registered task (for the CLI tests). */
export const toyRegistration: TrainingTaskRegistration<ToyConfig, ToyData> = {
  name: 'toy-seq',
  package: TOY_PACKAGE,
  description: 'next value of a random walk, RNN (a test task)',
  defaultConfig: toyDefaults,
  validateConfig: (c) => {
    checkPositiveInt('architecture.hiddenSize', c.architecture.hiddenSize);
    checkLrScheduleConfig(c);
  },
  definition: toyTask,
  loadData: () => toyData(),
  evaluate: ({ modelDir, io, options }) => {
    io.out(`evaluated ${modelDir} with scale ${String(options.scale)}\n`);
  },
  evalOptions: { scale: 1 },
};

/** Registers the toy's model kind (loads what saveToyModel wrote). */
export function registerToyModelKind(): void {
  registerModelKind<ToyModel>({
    kind: TOY_KIND,
    package: TOY_PACKAGE,
    files: ['model.safetensors'],
    load: (files, config) => {
      const model = new ToyModel(config.architecture as ToyConfig['architecture'], 0);
      const { tensors, dtypes } = decodeSafetensors(fileBytes(files, 'model.safetensors'));
      checkStoredDtypes(model, dtypes, 'model.safetensors'); // integer-stored weights: a FormatError naming the tensor
      model.loadStateDict(tensors);
      return model.eval();
    },
  });
}
