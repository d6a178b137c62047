import {
  checkStoredDtypes,
  decodeSafetensors,
  describeValue,
  encodeSafetensors,
  FormatError,
  RecurrentError,
  type SafetensorsDType,
  type Tensor,
  withFileSizeBudget,
} from '@recurrent/core';
import {
  checkRollArchitecture,
  DEFAULT_PIANO_ROLL_RNN,
  PianoRollRNN,
  type PianoRollRNNArchitecture,
} from './piano-roll-rnn.js';
import { RnnNade, DEFAULT_RNN_NADE, type RnnNadeArchitecture } from './rnn-nade.js';

/** The package name recorded in saved configs and in core's model and task registries. */
export const MUSIC_PACKAGE = '@recurrent/music';

export const ROLL_MODEL_FORMAT = 'recurrent-music-roll-model';
export const ROLL_MODEL_FORMAT_VERSION = 1;

export type RollModel = PianoRollRNN | RnnNade;
export type RollModelKind = 'piano-roll-rnn' | 'rnn-nade';

/** What config.json says about a piano-roll model: enough to rebuild it before its weights are loaded. */
export type RollModelConfig = {
  format: typeof ROLL_MODEL_FORMAT;
  version: number;
  /** The package that loads it (core's model registry): always '@recurrent/music'. */
  package?: string;
  /** Frames per quarter note of the data it was trained on (JSB: 1), so a primer can be put on the same grid. */
  stepsPerQuarter: number;
  training?: Record<string, unknown>;
} & (
  | { kind: 'piano-roll-rnn'; architecture: PianoRollRNNArchitecture }
  | { kind: 'rnn-nade'; architecture: RnnNadeArchitecture }
);

/** The config of a model (training details are free-form: command, data, seed). */
export function rollModelConfig(
  model: RollModel,
  options: { stepsPerQuarter: number; training?: Record<string, unknown> },
): RollModelConfig {
  const base = {
    format: ROLL_MODEL_FORMAT,
    version: ROLL_MODEL_FORMAT_VERSION,
    package: MUSIC_PACKAGE,
    stepsPerQuarter: options.stepsPerQuarter,
  } as const;
  const training = options.training ? { training: options.training } : {};
  return model instanceof RnnNade
    ? { ...base, kind: 'rnn-nade', architecture: { ...model.architecture }, ...training }
    : { ...base, kind: 'piano-roll-rnn', architecture: { ...model.architecture }, ...training };
}

/** Validate a parsed or textual config.json; FormatError naming `source` and the bad field. */
export function parseRollModelConfig(json: string | unknown, source = 'config.json'): RollModelConfig {
  let value: unknown = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch (e) {
      throw new FormatError(`${source}: not valid JSON (${(e as Error).message})`);
    }
  }
  if (typeof value !== 'object' || value === null) throw new FormatError(`${source}: expected a JSON object`);
  const o = value as Record<string, unknown>;
  if (o.format !== ROLL_MODEL_FORMAT)
    throw new FormatError(`${source}: format must be "${ROLL_MODEL_FORMAT}", got ${describeValue(o.format)}`);
  if (o.version !== ROLL_MODEL_FORMAT_VERSION) {
    throw new FormatError(
      `${source}: version ${describeValue(o.version)} is not supported ` +
        `(this reader knows ${ROLL_MODEL_FORMAT_VERSION})`,
    );
  }
  if (!Number.isInteger(o.stepsPerQuarter) || (o.stepsPerQuarter as number) < 1) {
    throw new FormatError(
      `${source}: stepsPerQuarter must be a positive integer, got ${describeValue(o.stepsPerQuarter)}`,
    );
  }
  if (o.kind !== 'piano-roll-rnn' && o.kind !== 'rnn-nade') {
    throw new FormatError(`${source}: kind must be "piano-roll-rnn" or "rnn-nade", got ${describeValue(o.kind)}`);
  }
  const defaults: object = o.kind === 'rnn-nade' ? DEFAULT_RNN_NADE : DEFAULT_PIANO_ROLL_RNN;
  const a = o.architecture as Record<string, unknown> | undefined;
  if (typeof a !== 'object' || a === null) throw new FormatError(`${source}: architecture must be an object`);
  for (const [key, fallback] of Object.entries(defaults)) {
    if (typeof a[key] !== typeof fallback) {
      throw new FormatError(
        `${source}: architecture.${key} must be a ${typeof fallback}, got ${describeValue(a[key])}`,
      );
    }
  }
  try {
    checkRollArchitecture(a as unknown as PianoRollRNNArchitecture, `${source}: architecture`);
  } catch (e) {
    if (e instanceof RecurrentError) throw new FormatError(e.message);
    throw e;
  }
  if (o.kind === 'rnn-nade' && !(Number.isInteger(a.nadeHiddenSize) && (a.nadeHiddenSize as number) >= 1)) {
    throw new FormatError(
      `${source}: architecture.nadeHiddenSize must be a positive integer, got ${describeValue(a.nadeHiddenSize)}`,
    );
  }
  return o as unknown as RollModelConfig;
}

/** A fresh (untrained) model of a config. */
export function createRollModel(config: RollModelConfig, options: { seed?: number } = {}): RollModel {
  return config.kind === 'rnn-nade'
    ? new RnnNade({ ...config.architecture, seed: options.seed })
    : new PianoRollRNN({ ...config.architecture, seed: options.seed });
}

/** model.safetensors (float32, PyTorch names) and config.json of a model. */
export function encodeRollModel(
  model: RollModel,
  options: { stepsPerQuarter: number; training?: Record<string, unknown> },
): { weights: Uint8Array; config: string } {
  return {
    weights: encodeSafetensors(model.stateDict(), { format: 'pt' }, { dtype: 'float32' }),
    config: `${JSON.stringify(rollModelConfig(model, options), null, 2)}\n`,
  };
}

/**
 * Rebuild a model from the bytes of model.safetensors and config.json (browser-safe). Everything is checked before
 * the model is returned — config fields, every tensor's name, shape and finiteness — and a problem is a FormatError
 * naming the file. The model is in eval mode; `config` says its kind and frame grid.
 */
export function loadRollModelFromBytes(
  weights: Uint8Array | ArrayBuffer,
  configJson: string | object,
): { model: RollModel; config: RollModelConfig } {
  const config = parseRollModelConfig(configJson);
  let tensors: Record<string, Tensor>;
  let dtypes: Record<string, SafetensorsDType>;
  let model: RollModel;
  const bytes =
    weights instanceof Uint8Array
      ? new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength)
      : new Uint8Array(weights);
  try {
    ({ tensors, dtypes } = decodeSafetensors(bytes));
  } catch (e) {
    if (e instanceof RecurrentError) throw new FormatError(`model.safetensors: ${e.message}`);
    throw e;
  }
  try {
    model = withFileSizeBudget(bytes.byteLength, config.kind, () => createRollModel(config));
  } catch (e) {
    if (e instanceof RecurrentError) throw new FormatError(`config.json: ${e.message}`);
    throw e;
  }
  try {
    checkStoredDtypes(model, dtypes);
    model.loadStateDict(tensors);
  } catch (e) {
    if (e instanceof RecurrentError) throw new FormatError(`model.safetensors: ${e.message}`);
    throw e;
  }
  model.eval();
  return { model, config };
}
