import {
  Dropout,
  Embedding,
  Generator,
  Linear,
  Module,
  noGrad,
  sigmoidScalar,
  ValueError,
  type RecurrentBase,
  type ReportProgress,
} from '@recurrent/core';
import type { Tokenizer } from '../tokenizers/tokenizer.js';
import { prepareInput } from '../hygiene.js';
import { padSequences } from '../padding.js';
import { checkSentimentArchitecture, type SentimentArchitecture } from './config.js';
import { AttentionPooling, pool, pooledSize } from './pooling.js';
import { recurrentStack } from './recurrent.js';
import { truncateTokens, type InputTruncation } from './truncation.js';

/** Defaults for every architecture field except vocabSize (which comes from the tokenizer). */
export const DEFAULT_SENTIMENT_ARCHITECTURE: Omit<SentimentArchitecture, 'vocabSize'> = {
  embeddingDim: 128,
  hiddenSize: 128,
  numLayers: 1,
  cell: 'lstm',
  bidirectional: true,
  pooling: 'max',
  attentionSize: 64,
  dropout: 0.5,
  embeddingDropout: 0.25,
  maxTokens: 400,
  truncation: 'head-tail',
};

export interface SentimentClassifierOptions {
  /** Seeds initialisation and, after it, dropout (default 0). */
  seed?: number;
  /** Use this generator instead of one made from `seed` (it keeps drawing for dropout while training). */
  generator?: Generator;
}

/** A padded batch of token ids, as bucketBatches / padSequences make them. */
export interface TokenIdBatch {
  /** [batchSize, seqLen] row-major. */
  ids: Int32Array;
  batchSize: number;
  seqLen: number;
  /** Valid tokens per row, each in 1..seqLen. */
  lengths: ArrayLike<number>;
}

export interface PredictOptions {
  /** Compute the per-token running prediction (default true). Costs one pass per prefix, batched. */
  trajectory?: boolean;
}

export interface SentimentPrediction {
  /** Probability that the text is positive. */
  probability: number;
  label: 'positive' | 'negative';
  /** The tokens the model read (after truncation), one per trajectory entry. */
  tokens: string[];
  /**
   * trajectory[i] = probability of positive for the text cut after tokens[i]: the classifier's final head run on each
   * prefix (for a bidirectional model the reverse direction also starts at the prefix's end), so the last entry is
   * `probability`. Empty when `trajectory: false`.
   */
  trajectory: number[];
  /** Words (or characters) the tokenizer does not know; they were read as `<unk>`. */
  unknown: string[];
  /** True when the text was cut: past 50,000 characters, or past the model's maxTokens tokens. */
  truncated: boolean;
  /** What was cut (characters and/or tokens, with counts before and after); null when nothing was. */
  truncation: InputTruncation | null;
}

/** Rows per forward pass when evaluating many sequences (prefixes, a test set). */
const EVAL_BATCH = 64;

/**
 * Many-to-one sentiment classifier: embedding → dropout → (bi)LSTM or GRU over the valid steps → pooling
 * (final | max | mean | maxmean | attention) → dropout → linear → one logit (positive). Parameter names follow
 * PyTorch: `embedding.weight`, `rnn.weight_ih_l0[_reverse]`, …, `attention.proj.weight`, `head.weight`, `head.bias`.
 */
export class SentimentClassifier extends Module {
  readonly architecture: SentimentArchitecture;
  readonly tokenizer: Tokenizer;
  /** Initialisation, then dropout draws; its state is saved in training checkpoints. */
  readonly generator: Generator;
  readonly embedding: Embedding;
  readonly rnn: RecurrentBase;
  readonly attention: AttentionPooling | null;
  readonly head: Linear;
  private readonly embeddingDropout: Dropout;
  private readonly outputDropout: Dropout;

  constructor(
    tokenizer: Tokenizer,
    architecture: Partial<SentimentArchitecture> = {},
    options: SentimentClassifierOptions = {},
  ) {
    super();
    const arch = checkSentimentArchitecture(
      { ...DEFAULT_SENTIMENT_ARCHITECTURE, vocabSize: tokenizer.vocabSize, ...architecture },
      'SentimentClassifier',
    );
    if (arch.vocabSize !== tokenizer.vocabSize)
      throw new ValueError(
        `SentimentClassifier: architecture.vocabSize ${arch.vocabSize} does not match the tokenizer's ` +
          `${tokenizer.vocabSize} tokens`,
      );
    if (tokenizer.padId === null)
      throw new ValueError(
        'SentimentClassifier: the tokenizer needs a padding id (use a word or BPE tokenizer, or a char tokenizer ' +
          'is not supported)',
      );
    this.architecture = arch;
    this.tokenizer = tokenizer;
    const generator = options.generator ?? new Generator(options.seed ?? 0);
    this.generator = generator;
    this.embedding = this.registerModule(
      'embedding',
      new Embedding({
        numEmbeddings: arch.vocabSize,
        embeddingDim: arch.embeddingDim,
        paddingIdx: tokenizer.padId,
        generator,
      }),
    );
    this.rnn = this.registerModule(
      'rnn',
      recurrentStack({
        cell: arch.cell,
        inputSize: arch.embeddingDim,
        hiddenSize: arch.hiddenSize,
        numLayers: arch.numLayers,
        bidirectional: arch.bidirectional,
        dropout: arch.dropout,
        generator,
      }),
    );
    const features = arch.hiddenSize * (arch.bidirectional ? 2 : 1);
    this.attention =
      arch.pooling === 'attention'
        ? this.registerModule('attention', new AttentionPooling(features, arch.attentionSize, generator))
        : null;
    this.head = this.registerModule(
      'head',
      new Linear({ inFeatures: pooledSize(arch.pooling, features), outFeatures: 1, generator }),
    );
    this.embeddingDropout = this.registerModule(
      'embedding_dropout',
      new Dropout({ p: arch.embeddingDropout, generator }),
    );
    this.outputDropout = this.registerModule('dropout', new Dropout({ p: arch.dropout, generator }));
  }

  /** Logits (positive class) for a padded batch: a [B] tensor. */
  forward(batch: TokenIdBatch): import('@recurrent/core').Tensor {
    const { ids, batchSize: B, seqLen: T, lengths } = batch;
    if (ids.length !== B * T)
      throw new ValueError(
        `SentimentClassifier: ids has ${ids.length} entries, expected batchSize × seqLen = ${B} × ${T}`,
      );
    const x = this.embeddingDropout.forward(this.embedding.forward(ids, [B, T]));
    const { output, state } = this.rnn.forward(x, { lengths });
    const pooled = pool(this.architecture.pooling, output, lengths, state, {
      numLayers: this.architecture.numLayers,
      numDirections: this.architecture.bidirectional ? 2 : 1,
      attention: this.attention,
    });
    return this.head.forward(this.outputDropout.forward(pooled)).reshape([B]);
  }

  /** Token ids the model reads for `text` (prepared, tokenized, truncated to maxTokens). */
  encode(text: string): {
    ids: number[];
    tokens: string[];
    truncated: boolean;
    truncation: InputTruncation | null;
    unknown: string[];
  } {
    const prepared = prepareInput(text);
    const allIds = this.tokenizer.encode(prepared.text);
    const allTokens = this.tokenizer.tokenize(prepared.text);
    const { maxTokens, truncation } = this.architecture;
    const ids = truncateTokens(allIds, maxTokens, truncation);
    const cut: InputTruncation = {
      characters: prepared.truncated ? { original: prepared.originalLength, kept: prepared.text.length } : null,
      tokens: allIds.length > maxTokens ? { original: allIds.length, kept: ids.length } : null,
    };
    const truncated = cut.characters !== null || cut.tokens !== null;
    return {
      ids,
      tokens: truncateTokens(allTokens, maxTokens, truncation),
      truncated,
      truncation: truncated ? cut : null,
      unknown: this.tokenizer.unknownTokens(prepared.text),
    };
  }

  /**
   * Probability of positive for each id sequence (in eval mode, without gradients), batched by similar length.
   * Every sequence must have 1..maxTokens ids. `progress` is told (done, total) sequences after each batch.
   */
  probabilities(sequences: readonly ArrayLike<number>[], progress?: ReportProgress): Float64Array {
    const out = new Float64Array(sequences.length);
    const order = sequences.map((s, i) => {
      if (s.length === 0) throw new ValueError(`SentimentClassifier: sequence ${i} is empty`);
      return i;
    });
    order.sort((a, b) => sequences[b]!.length - sequences[a]!.length || a - b);
    const wasTraining = this.training;
    this.eval();
    try {
      noGrad(() => {
        for (let start = 0; start < order.length; start += EVAL_BATCH) {
          const idx = order.slice(start, start + EVAL_BATCH);
          const padded = padSequences(
            idx.map((i) => sequences[i]!),
            { padId: this.tokenizer.padId!, maxLen: this.architecture.maxTokens },
          );
          const logits = this.forward(padded).data;
          idx.forEach((i, r) => {
            out[i] = sigmoidScalar(logits[r]!);
          });
          progress?.(start + idx.length, order.length);
        }
      });
    } finally {
      this.train(wasTraining);
    }
    return out;
  }

  /** Classify one text, with the per-token running prediction. Throws ValueError for text with no tokens. */
  predict(text: string, options: PredictOptions = {}): SentimentPrediction {
    const { ids, tokens, truncated, truncation, unknown } = this.encode(text);
    if (ids.length === 0)
      throw new ValueError('SentimentClassifier.predict: the text has no tokens (it is empty or only whitespace)');
    const probability = this.probabilities([ids])[0]!;
    let trajectory: number[] = [];
    if (options.trajectory ?? true) {
      trajectory = Array.from(this.probabilities(ids.map((_, t) => ids.slice(0, t + 1))));
    }
    const label = probability >= 0.5 ? 'positive' : 'negative';
    return { probability, label, tokens, trajectory, unknown, truncated, truncation };
  }
}
