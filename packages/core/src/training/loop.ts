import { ValueError } from '../errors.js';
import { noGrad } from '../autograd/grad-mode.js';
import { ProgressBar, progressLines } from '../progress.js';
import { decodeTrainingCheckpoint, encodeTrainingCheckpoint, type CarriedState } from './checkpoint.js';
import { makeOptimizer, type RunnerConfig } from './config.js';
import { TrainingInterrupted } from './errors.js';
import { assertFiniteWeights, optimizerStep } from './guards.js';
import { formatMetrics, freshTrainerState, type TrainerState, type ValidationRecord } from './state.js';
import type { TaskRun, TrainingTaskDefinition, TrainResult } from './task.js';

/**
 * A ValueError when a run has nothing to train on or to select by: fewer than one step per epoch, or a task that
 * reports an empty training or validation set. The message names the task and its data description (the files).
 */
function checkTrainableData<B>(identity: string, run: TaskRun<B>, perEpoch: number): void {
  const data = run.dataDescription ? ` (${run.dataDescription})` : '';
  if (run.trainingExamples === 0)
    throw new ValueError(`${identity}: the training set is empty${data}; nothing to train on`);
  if (run.validationExamples === 0)
    throw new ValueError(`${identity}: the validation set is empty${data}; nothing to select the best model by`);
  if (!(perEpoch >= 1) || !Number.isInteger(perEpoch))
    throw new ValueError(
      `${identity}: the training data gives ${perEpoch} steps per epoch${data}; ` +
        'it needs at least one full batch (more data, or a smaller batch size / sequence length)',
    );
}

/** Where the loop keeps its checkpoint: a file in Node (fileCheckpointStore), anything in a browser. */
export interface CheckpointStore {
  /** Names the checkpoint in messages (e.g. its path). */
  readonly name: string;
  exists(): boolean;
  /** The checkpoint's bytes; throw (FormatError) when there is none. */
  read(): Uint8Array;
  /** Replace the checkpoint; must be atomic (a kill leaves the old or the new one). */
  write(bytes: Uint8Array): void;
}

/** Options of one training run (not part of the saved config). */
export interface TrainingLoopOptions {
  store: CheckpointStore;
  /** Passed to the task's build (the model directory); null when there is none. */
  outDir?: string | null;
  /** Continue from the store's checkpoint (with the checkpoint's own config). */
  resume?: boolean;
  /** Messages (start, validation results, early stopping); default: stderr in Node, console elsewhere. */
  log?: (line: string) => void;
  /** Progress line output (steps, loss, tok/s or steps/s, ETA); default: stderr. Pass null for none. */
  progress?: ((text: string) => void) | null;
  /** The command line that started the run, recorded in config.json and metrics.json. */
  command?: string;
  /** Stop right after the checkpoint of this step, as if the process were killed (tests). */
  stopAfterStep?: number;
  /**
   * Asked after every step: a non-null answer (e.g. 'SIGINT') stops the run there — the checkpoint of that step is
   * written when the weights are finite — with a TrainingInterrupted carrying the answer and the checkpoint's step.
   */
  interrupted?: () => string | null;
}

function defaultLog(line: string): void {
  const proc = (globalThis as { process?: { stderr?: { write(t: string): unknown } } }).process;
  if (proc?.stderr) proc.stderr.write(`${line}\n`);
  else console.log(line);
}

/** The task a config trains: its `task` key when it has one, else the definition's name. */
export function taskIdentity(definition: { name: string }, config: unknown): string {
  const t = (config as { task?: unknown } | null)?.task;
  return typeof t === 'string' ? t : definition.name;
}

/**
 * Train `definition` on `data` (or on the data a function makes from the effective config — on resume that is the
 * checkpoint's config). See TrainingTaskDefinition for what the task supplies; everything else is here: the epoch/step
 * loop, validation every `evalEvery` steps and at the end of each epoch, the best model (selection metric and mode)
 * saved through the task, early stopping after `patience` validations without improvement, lr × `lrDecay` on a
 * plateau, an optional lr schedule, gradient clipping, non-finite loss/gradient/weight guards (never checkpointed), a
 * progress line, and a checkpoint (model, optimizer, generators, schedule, position, history, carried state) every
 * `checkpointEvery` steps and after each validation, from which `resume` continues bit for bit.
 */
export function trainingLoop<C extends RunnerConfig, D, B>(
  definition: TrainingTaskDefinition<C, D, B>,
  configIn: C,
  data: D | ((config: C) => D),
  options: TrainingLoopOptions,
): TrainResult<C> {
  const steps = trainingSteps(definition, configIn, data, options);
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/** Milliseconds of training between two returns to the event loop in trainingLoopAsync (signals, timers, I/O). */
const ASYNC_SLICE_MS = 50;

/**
 * trainingLoop that returns to the event loop every few tens of milliseconds (between optimizer steps), so signal
 * handlers, timers and I/O run during a long run — e.g. a SIGINT handler whose flag `interrupted` reports.
 */
export async function trainingLoopAsync<C extends RunnerConfig, D, B>(
  definition: TrainingTaskDefinition<C, D, B>,
  configIn: C,
  data: D | ((config: C) => D),
  options: TrainingLoopOptions,
): Promise<TrainResult<C>> {
  const steps = trainingSteps(definition, configIn, data, options);
  let slice = Date.now();
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    if (Date.now() - slice >= ASYNC_SLICE_MS) {
      await new Promise<void>((done) => setTimeout(done, 0));
      slice = Date.now();
    }
  }
}

/** The body of trainingLoop as a generator yielding the step count after every optimizer step. */
export function* trainingSteps<C extends RunnerConfig, D, B>(
  definition: TrainingTaskDefinition<C, D, B>,
  configIn: C,
  data: D | ((config: C) => D),
  options: TrainingLoopOptions,
): Generator<number, TrainResult<C>, void> {
  const log = options.log ?? defaultLog;
  const store = options.store;
  const identity = taskIdentity(definition, configIn);
  let ckpt = null;
  if (options.resume) {
    ckpt = decodeTrainingCheckpoint<C>(store.read(), store.name, {
      legacyFormats: definition.legacyCheckpointFormats ?? [],
    });
    if (ckpt.task !== identity) {
      throw new ValueError(`${store.name}: this checkpoint trains '${ckpt.task}', not '${identity}'`);
    }
  } else if (store.exists()) {
    throw new ValueError(
      `${options.outDir ?? store.name} already holds a training run (${store.name}); ` +
        'pass --resume to continue it or choose another --out',
    );
  }
  const config = ckpt ? ckpt.config : configIn;
  const outDir = options.outDir ?? null;
  const runData = typeof data === 'function' ? (data as (c: C) => D)(config) : data;
  const run = definition.build(config, runData, { outDir, resuming: ckpt !== null, log });
  const model = run.model;
  const generators = run.generators ?? [];
  const optimizer = definition.optimizer
    ? definition.optimizer(model, config)
    : makeOptimizer(config, model.parameters());
  const evalEvery = config.evalEvery ?? 0;

  let firstBatches: { epoch: number; batches: readonly B[] } | null = null;
  const batchesOf = (epoch: number): readonly B[] => {
    if (firstBatches?.epoch === epoch) return firstBatches.batches;
    const batches = run.epochBatches(epoch);
    firstBatches = { epoch, batches };
    return batches;
  };
  const startEpoch = ckpt ? ckpt.trainer.epoch : 0;
  const perEpoch =
    run.stepsPerEpoch ?? (startEpoch < config.epochs && !ckpt?.trainer.finished ? batchesOf(startEpoch).length : 0);
  if (!ckpt?.trainer.finished) checkTrainableData(identity, run, perEpoch);
  const planned = run.plannedSteps ?? perEpoch * config.epochs;
  // The run's length as planned at its start (a resumed run keeps it, so a schedule over it stays the same).
  const totalSteps = ckpt?.trainer.totalSteps ?? (config.maxSteps > 0 ? Math.min(config.maxSteps, planned) : planned);
  const scheduler = definition.lrScheduler?.(optimizer, config, totalSteps) ?? null;

  let trainer: TrainerState;
  let carried: CarriedState | null = null;
  if (ckpt) {
    model.loadStateDict(ckpt.model);
    optimizer.loadStateDict(ckpt.optimizer);
    const states = ckpt.trainer.generators ?? [ckpt.trainer.rng];
    generators.forEach((g, i) => {
      const s = states[i];
      if (!s) {
        throw new ValueError(
          `${store.name}: the checkpoint holds ${states.length} generator states, ` +
            `the task has ${generators.length} generators`,
        );
      }
      g.setState(s);
    });
    if (scheduler) {
      if (!ckpt.trainer.scheduler) {
        throw new ValueError(`${store.name}: the task has an lr schedule but the checkpoint holds no schedule state`);
      }
      scheduler.loadStateDict(ckpt.trainer.scheduler);
    }
    trainer = ckpt.trainer;
    carried = ckpt.carried;
    log(`resuming ${outDir ?? store.name} at epoch ${trainer.epoch + 1}, batch ${trainer.batch}, step ${trainer.step}`);
  } else {
    trainer = freshTrainerState(generators.map((g) => g.getState()));
    trainer.totalSteps = totalSteps;
    if (scheduler) trainer.scheduler = scheduler.stateDict();
  }
  const params = model.numParameters();
  log(
    `${identity}: ${run.summary ? `${run.summary}, ` : ''}` +
      `${params.toLocaleString('en-US')} parameters, ${perEpoch} steps/epoch`,
  );
  const every = Math.max(1, Math.min(50, Math.round(totalSteps / 200)));
  const bar =
    options.progress === null
      ? null
      : new ProgressBar({
          total: totalSteps,
          label: identity,
          every,
          initial: trainer.step,
          ...(options.progress ? { write: options.progress } : {}),
        });
  const started = Date.now();
  const seconds = (): number => trainer.seconds + (Date.now() - started) / 1000;
  const { metric, mode } = definition.selection;

  let checkpointStep: number | null = ckpt ? ckpt.trainer.step : null;
  const checkpoint = (): void => {
    assertFiniteWeights(model, `step ${trainer.step}`);
    const states = generators.map((g) => g.getState());
    trainer.generators = states;
    trainer.rng = states[0] ?? [];
    if (scheduler) trainer.scheduler = scheduler.stateDict();
    const bytes = encodeTrainingCheckpoint({
      task: identity,
      config,
      trainer: { ...trainer, seconds: seconds() },
      model,
      optimizer,
      carried,
    });
    store.write(bytes);
    checkpointStep = trainer.step;
  };
  /** Stop for `signal` at the current step: its checkpoint when the weights allow, else the last one stands. */
  const interrupt = (signal: string): TrainingInterrupted => {
    try {
      if (checkpointStep !== trainer.step) checkpoint();
    } catch (e) {
      if (!(e instanceof ValueError)) throw e;
      log(`not checkpointing step ${trainer.step}: ${e.message}`);
    }
    return new TrainingInterrupted(trainer.step, { signal, checkpointStep });
  };

  /** Validate, keep the best model, decay the lr on a plateau; returns whether to stop early. */
  const validate = (): boolean => {
    assertFiniteWeights(model, `step ${trainer.step}`);
    const wasTraining = model.training;
    model.eval();
    let metrics: Record<string, number>;
    try {
      const progress = progressLines({ label: `${identity} validation`, write: (l) => log(l.trimEnd()) });
      metrics = noGrad(() => run.evaluate(progress));
    } finally {
      model.train(wasTraining);
    }
    const value = metrics[metric];
    if (typeof value !== 'number' || Number.isNaN(value)) {
      throw new ValueError(
        `${identity}: evaluation returned no number for the selection metric '${metric}' ` +
          `(got ${JSON.stringify(metrics)})`,
      );
    }
    const record: ValidationRecord = {
      epoch: trainer.epoch + 1,
      step: trainer.step,
      metrics,
      trainLoss: trainer.lossSum / Math.max(1, trainer.lossCount),
      lr: optimizer.lr,
      seconds: seconds(),
    };
    trainer.history.push(record);
    trainer.lossSum = 0;
    trainer.lossCount = 0;
    const best = trainer.best;
    const improved = best === null || (mode === 'min' ? value < best.value : value > best.value);
    if (improved) {
      trainer.best = { value, epoch: record.epoch, step: record.step, metrics };
      trainer.badValidations = 0;
    } else {
      trainer.badValidations++;
      if (config.lrDecay < 1) optimizer.lr *= config.lrDecay;
    }
    const note = improved ? ' (best, saved)' : config.lrDecay < 1 ? ` (lr ${optimizer.lr.toExponential(2)})` : '';
    log(
      `epoch ${record.epoch} step ${record.step}: train loss ${record.trainLoss.toFixed(4)}, ` +
        `valid ${formatMetrics(metrics)}${note}`,
    );
    if (improved) {
      const command = options.command ?? null;
      run.saveModel({
        training: {
          task: identity,
          command,
          data: run.dataDescription ?? null,
          config,
          bestEpoch: record.epoch,
          bestStep: record.step,
        },
        metrics: {
          valid: metrics,
          best: trainer.best,
          history: trainer.history,
          parameters: params,
          seconds: record.seconds,
          command,
        },
        record,
      });
    }
    const stop = config.patience > 0 && trainer.badValidations >= config.patience;
    if (stop) log(`early stopping: no improvement in ${config.patience} validations`);
    return stop;
  };

  let stop = trainer.finished;
  let windowTokens = 0;
  let windowSteps = 0;
  let windowStart = Date.now();
  while (!stop && trainer.epoch < config.epochs) {
    const batches = batchesOf(trainer.epoch);
    model.train();
    let validatedHere = false;
    while (trainer.batch < batches.length) {
      if (config.maxSteps > 0 && trainer.step >= config.maxSteps) break;
      const result = run.step(batches[trainer.batch]!, carried);
      if (result.carried !== undefined) carried = result.carried;
      const value = optimizerStep(
        result.loss,
        model,
        optimizer,
        config.clip,
        `epoch ${trainer.epoch + 1}, step ${trainer.step + 1}`,
      );
      scheduler?.step();
      trainer.step++;
      trainer.batch++;
      trainer.lossSum += value;
      trainer.lossCount++;
      const tokens = result.tokens ?? 0;
      trainer.tokens += tokens;
      windowTokens += tokens;
      windowSteps++;
      const dt = (Date.now() - windowStart) / 1000;
      const rate: Record<string, number> =
        result.tokens === undefined
          ? { 'steps/s': dt > 0 ? Math.round((10 * windowSteps) / dt) / 10 : 0 }
          : { 'tok/s': dt > 0 ? Math.round(windowTokens / dt) : 0 };
      bar?.update(trainer.step, { epoch: trainer.epoch + 1, loss: trainer.lossSum / trainer.lossCount, ...rate });
      if (dt > 30) {
        windowTokens = 0;
        windowSteps = 0;
        windowStart = Date.now();
      }
      validatedHere = false;
      if (evalEvery > 0 && trainer.step % evalEvery === 0) {
        validatedHere = true;
        if (validate()) {
          stop = true;
          trainer.finished = true;
          checkpoint();
          break;
        }
        windowStart = Date.now();
        windowTokens = 0;
        windowSteps = 0;
      }
      const due = config.checkpointEvery > 0 && trainer.step % config.checkpointEvery === 0;
      if (due || validatedHere) checkpoint();
      if (options.stopAfterStep === trainer.step) {
        if (!due && !validatedHere) checkpoint();
        throw new TrainingInterrupted(trainer.step);
      }
      yield trainer.step;
      const signal = options.interrupted?.() ?? null;
      if (signal !== null) {
        bar?.done();
        throw interrupt(signal);
      }
    }
    if (stop) break;
    const epochDone = trainer.batch >= batches.length;
    const outOfSteps = config.maxSteps > 0 && trainer.step >= config.maxSteps;
    if (!epochDone && !outOfSteps) break;
    // Validate at the end of the epoch (unless that step was just validated) or when the step budget ends.
    if (!validatedHere && (evalEvery === 0 || outOfSteps || trainer.best === null)) stop = validate();
    if (epochDone) {
      trainer.epoch++;
      trainer.batch = 0;
      carried = null;
    }
    stop = stop || outOfSteps;
    trainer.finished = stop || trainer.epoch >= config.epochs;
    checkpoint();
  }
  bar?.done();
  return { outDir, config, trainer, savedModel: trainer.best !== null, best: trainer.best };
}
