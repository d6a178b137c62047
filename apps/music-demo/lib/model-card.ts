// What a shipped model's card says, read from its config.json and metrics.json at build time (scripts/copy-assets.ts
// puts it in the manifest); nothing here is a hard-coded figure. Plain TypeScript, unit-tested.
import type { ShippedModel } from '@recurrent/demo-kit';

export type MusicFamily = 'roll' | 'folk';

/** The card of a model: every figure comes from its files (null when they do not record it). */
export interface ModelCardFacts {
  /** 'nats/frame' (piano-roll models: the sum over the 88 keys, mean over the split's frames) or 'nats/char'. */
  unit: 'nats/frame' | 'nats/char';
  testNll: number | null;
  validNll: number | null;
  parameters: number | null;
  /** Minutes of training to the saved (best) epoch, as the runner recorded them. */
  minutes: number | null;
  bestEpoch: number | null;
  /** The command that trained it, as recorded. */
  command: string | null;
  /** The architecture in a few words ("LSTM-200 + NADE-150"). */
  architecture: string;
  /** Folk model: the share of sampled tunes that parse and play, at each measured temperature. */
  playable: { temperature: number; share: number; generated: number }[];
}

/** One entry of public/models/manifest.json. */
export interface ShippedMusicModel extends ShippedModel {
  kind: 'piano-roll-rnn' | 'rnn-nade' | 'language-model';
  family: MusicFamily;
  /** The piano-roll data set the model was trained on (its primers come from that set's test split). */
  dataset: string | null;
  /** Frames per quarter note (piano-roll models; the folk model's notes are written at 4). */
  stepsPerQuarter: number;
  card: ModelCardFacts;
}

/** How the page names each model; any other shipped model is listed under its folder name. */
const TITLES: Record<string, { title: string; description: string; order: number }> = {
  jsb: { title: 'Bach chorale', description: 'LSTM over 88-key frames, independent keys (JSB Chorales)', order: 0 },
  'jsb-nade': {
    title: 'Bach chorale, RNN-NADE',
    description: 'LSTM + NADE: the keys of a frame depend on each other',
    order: 1,
  },
  nottingham: { title: 'Nottingham folk', description: 'LSTM over 88-key frames (Nottingham database)', order: 2 },
  abc: { title: 'Folk tune (ABC text)', description: 'Character LSTM over 644 Irish tunes written in ABC', order: 3 },
};

type Json = Record<string, unknown>;
const num = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);
const obj = (x: unknown): Json => (typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Json) : {});
const str = (x: unknown): string | null => (typeof x === 'string' ? x : null);

function architectureOf(kind: string, a: Json): string {
  const cell = (str(a.cell) ?? 'lstm').toUpperCase();
  const layers = num(a.numLayers) ?? 1;
  const trunk = `${layers > 1 ? `${layers}×` : ''}${cell}-${num(a.hiddenSize) ?? '?'}`;
  if (kind === 'rnn-nade') return `${trunk} + NADE-${num(a.nadeHiddenSize) ?? '?'}`;
  if (kind === 'language-model')
    return `embedding ${num(a.embeddingDim) ?? '?'}, ${trunk}, ${num(a.vocabSize)} characters`;
  return `${trunk}, 88 sigmoids`;
}

/** The manifest entry of a model folder (its parsed config.json and metrics.json), or why it is not a music model. */
export function describeMusicModel(
  name: string,
  config: Json,
  metrics: Json,
): (Omit<ShippedMusicModel, 'name' | 'files' | 'bytes'> & { order: number }) | { skip: string } {
  const kind = config.kind;
  const training = obj(config.training);
  const trainingConfig = obj(training.config);
  const isFolk = kind === 'language-model' && trainingConfig.task === 'abc';
  if (kind !== 'piano-roll-rnn' && kind !== 'rnn-nade' && !isFolk)
    return { skip: `config.json kind ${JSON.stringify(kind)} is not a piano-roll model or the folk model` };
  const test = obj(metrics.test);
  const unit = isFolk ? 'nats/char' : 'nats/frame';
  const testNll = isFolk ? num(test.nats_per_char) : num(test.nll_per_frame);
  const playable = isFolk
    ? Object.entries(metrics)
        .filter(([key]) => key === 'test' || key.startsWith('testAtTemperature'))
        .map(([, v]) => obj(v))
        .filter((v) => num(v.playable_share) !== null && num(v.temperature) !== null)
        .map((v) => ({
          temperature: num(v.temperature) as number,
          share: num(v.playable_share) as number,
          generated: num(v.generated) ?? 0,
        }))
        .sort((a, b) => a.temperature - b.temperature)
    : [];
  const seconds = num(metrics.seconds);
  const card: ModelCardFacts = {
    unit,
    testNll,
    validNll: num(obj(metrics.valid).nll),
    parameters: num(metrics.parameters),
    minutes: seconds === null ? null : seconds / 60,
    bestEpoch: num(training.bestEpoch),
    command: str(metrics.command) ?? str(training.command),
    architecture: architectureOf(String(kind), obj(config.architecture)),
    playable,
  };
  const known = TITLES[name] ?? { title: name, description: String(training.data ?? ''), order: 9 };
  return {
    kind: kind as ShippedMusicModel['kind'],
    family: isFolk ? 'folk' : 'roll',
    dataset: isFolk ? null : (str(trainingConfig.dataset) ?? null),
    stepsPerQuarter: isFolk ? 4 : (num(config.stepsPerQuarter) ?? 1),
    title: known.title,
    description: known.description,
    metric: testNll === null ? '' : `test ${testNll.toFixed(isFolk ? 3 : 2)} ${unit}`,
    card,
    order: known.order,
  };
}
