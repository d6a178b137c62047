import { Generator } from '@recurrent/core';
import { readSst2Glue, readSst2Sentences } from '../datasets/sst2.js';
import { readImdb } from '../datasets/imdb.js';
import { readTinyShakespeare, splitTrainVal } from '../datasets/tinyshakespeare.js';
import type { DataDirOption } from '../datasets/data-dir.js';
import type { LabelledText } from '../datasets/types.js';
import { randomSplit } from '../split.js';
import type { ClassifierTrainConfig, LanguageModelTrainConfig } from './config.js';
import type { ClassifierData } from './classifier-trainer.js';

/** Training and validation data of a classification task, read from the shared data folder. */
export function classifierData(config: ClassifierTrainConfig, options: DataDirOption = {}): ClassifierData {
  if (config.task === 'sst2') {
    const train = config.trainData === 'glue' ? readSst2Glue('train', options) : readSst2Sentences('train', options);
    const valid = readSst2Sentences('dev', options);
    const what =
      config.trainData === 'glue'
        ? 'GLUE train phrases (sst2/glue/train.tsv)'
        : 'sentence-level train sentences (sst2/sentence-level/stsa.binary.train)';
    return {
      train,
      valid,
      description:
        `SST-2: ${train.length.toLocaleString('en-US')} ${what}; ` +
        `validation: sentence-level dev (${valid.length}, sst2/sentence-level/stsa.binary.dev)`,
    };
  }
  const all = readImdb('train', options);
  const { kept, heldOut } = randomSplit(all, config.validFraction, new Generator(config.seed));
  return {
    train: kept,
    valid: heldOut,
    description:
      `IMDB train ${all.length.toLocaleString('en-US')} reviews: ` +
      `${kept.length.toLocaleString('en-US')} for training, ${heldOut.length.toLocaleString('en-US')} held out ` +
      `(seeded randomSplit, fraction ${config.validFraction}) for validation`,
  };
}

/** The labelled test set of a classification task. */
export function classifierTestData(
  task: 'sst2' | 'imdb',
  options: DataDirOption = {},
): { texts: LabelledText[]; description: string } {
  if (task === 'sst2')
    return { texts: readSst2Sentences('test', options), description: 'SST-2 sentence-level test (stsa.binary.test)' };
  return { texts: readImdb('test', options), description: 'IMDB test' };
}

/** Language-model corpus split into training and validation text; `lines` for word models (one sequence per line). */
export interface LmCorpus {
  train: string;
  valid: string;
  /** The full text used to build a character vocabulary. */
  all: string;
  description: string;
}

export function languageModelCorpus(config: LanguageModelTrainConfig, options: DataDirOption = {}): LmCorpus {
  if (config.corpus === 'tinyshakespeare') {
    const all = readTinyShakespeare(options);
    const { train, val } = splitTrainVal(all, 0.9);
    return {
      train,
      valid: val,
      all,
      description:
        `tinyshakespeare/input.txt: first 90 % (${train.length.toLocaleString('en-US')} characters) train, last ` +
        `10 % (${val.length.toLocaleString('en-US')}) validation`,
    };
  }
  const reviews = readImdb('train', options);
  const n = config.corpusReviews > 0 ? Math.min(config.corpusReviews, reviews.length) : reviews.length;
  const order = new Generator(config.seed).permutation(reviews.length).slice(0, n);
  const texts = order.map((i) => reviews[i]!.text);
  const cut = Math.round(n * 0.9);
  const train = texts.slice(0, cut).join('\n');
  const valid = texts.slice(cut).join('\n');
  return {
    train,
    valid,
    all: `${train}\n${valid}`,
    description:
      `IMDB train reviews (imdb/): ${n} chosen by a seeded permutation, first 90 % (${cut}) train, last 10 % ` +
      `(${n - cut}) validation, one review per line`,
  };
}
