import {
  dropout,
  Embedding,
  Generator,
  GRU,
  Linear,
  LSTM,
  Module,
  narrow,
  reshape,
  ShapeError,
  split,
  tanh,
  transpose,
  ValueError,
  type DType,
  type Tensor,
} from '@recurrent/core';
import type { Tokenizer } from '../tokenizers/tokenizer.js';
import {
  checkTranslatorArchitecture,
  DEFAULT_TRANSLATOR_ARCHITECTURE,
  memoryWidth,
  type TranslatorArchitecture,
} from './architecture.js';
import { TranslationDecoder, type TranslationDecoderState, type TranslationMemory } from './decoder.js';
import { digitTokenIds } from './subwords.js';
import { translateTexts, type TranslateOptions, type TranslationResult } from './translate.js';

/** A subword tokenizer shared by source and target, with the ids a translator needs (BpeTokenizer is one). */
export interface TranslationTokenizer extends Tokenizer {
  readonly padId: number;
  readonly bosId: number;
  readonly eosId: number;
  /** Id of `<unk>` (unseen characters of the source), or null. */
  readonly unkId: number | null;
}

export interface TranslatorOptions {
  /** Seeds initialisation and, after it, dropout (default 0). */
  seed?: number;
  generator?: Generator;
  dtype?: DType;
}

/** The encoder's result for a batch: what the decoder attends over and its initial state. */
export interface EncodedSource {
  memory: TranslationMemory;
  state: TranslationDecoderState;
  /** Encoder outputs [B, S, memoryWidth]. */
  outputs: Tensor;
  lengths: Int32Array;
}

/** Source rows (token ids, no bos/eos) padded into one row-major [B, S] array. */
export function padRows(
  what: string,
  rows: readonly (readonly number[])[],
  padId: number,
): { ids: Int32Array; batch: number; length: number; lengths: Int32Array } {
  if (rows.length === 0) throw new ValueError(`${what}: the batch is empty`);
  const lengths = Int32Array.from(rows, (r, i) => {
    if (r.length === 0) throw new ValueError(`${what}: row ${i} is empty (every sentence needs at least one token)`);
    return r.length;
  });
  const length = Math.max(...lengths);
  const ids = new Int32Array(rows.length * length).fill(padId);
  rows.forEach((r, b) => {
    ids.set(r, b * length);
  });
  return { ids, batch: rows.length, length, lengths };
}

/**
 * Attentional encoder–decoder translator over a joint subword vocabulary (Bahdanau et al. 2015; Luong et al. 2015):
 * embedding → (bi)GRU/LSTM encoder; a bridge h₀ = tanh(W_b [h_fwd; h_bwd] + b_b) from the top encoder layer's final
 * states to every decoder layer (LSTM: c₀ = W_c [c_fwd; c_bwd] + b_c, no tanh); a {@link TranslationDecoder}.
 * PyTorch names: `src_embedding.weight` (absent when shareEmbeddings), `encoder.weight_ih_l0[_reverse]`, …,
 * `bridge.weight|bias`, `bridge_c.weight|bias` (LSTM), `decoder.*` — see the README's PyTorch listing.
 */
export class Translator extends Module {
  readonly architecture: TranslatorArchitecture;
  readonly tokenizer: TranslationTokenizer;
  readonly generator: Generator;
  readonly srcEmbedding: Embedding;
  readonly encoder: GRU | LSTM;
  readonly bridge: Linear;
  readonly bridgeC: Linear | null;
  readonly decoder: TranslationDecoder;
  private digits: Set<number> | null = null;

  constructor(
    tokenizer: TranslationTokenizer,
    architecture: Partial<TranslatorArchitecture> = {},
    options: TranslatorOptions = {},
  ) {
    super();
    const arch = checkTranslatorArchitecture(
      { ...DEFAULT_TRANSLATOR_ARCHITECTURE, vocabSize: tokenizer.vocabSize, ...architecture },
      'Translator architecture',
    );
    if (arch.vocabSize !== tokenizer.vocabSize) {
      throw new ValueError(
        `Translator: architecture.vocabSize ${arch.vocabSize} does not match ` +
          `the tokenizer's ${tokenizer.vocabSize} tokens`,
      );
    }
    for (const [name, id] of [
      ['padId', tokenizer.padId],
      ['bosId', tokenizer.bosId],
      ['eosId', tokenizer.eosId],
    ] as const) {
      if (!Number.isInteger(id) || id < 0 || id >= arch.vocabSize)
        throw new ValueError(`Translator: tokenizer.${name} must be a token id below ${arch.vocabSize}, got ${id}`);
    }
    if (tokenizer.padId !== 0)
      throw new ValueError(
        `Translator: the tokenizer's padding id must be 0 (the embeddings' padding row), got ${tokenizer.padId}`,
      );
    this.architecture = arch;
    this.tokenizer = tokenizer;
    const generator = options.generator ?? new Generator(options.seed ?? 0);
    this.generator = generator;
    const p = { generator, dtype: options.dtype };
    const srcEmbedding = arch.shareEmbeddings
      ? null
      : this.registerModule(
          'src_embedding',
          new Embedding({ numEmbeddings: arch.vocabSize, embeddingDim: arch.embeddingDim, paddingIdx: 0, ...p }),
        );
    const Rnn = arch.cell === 'gru' ? GRU : LSTM;
    this.encoder = this.registerModule(
      'encoder',
      new Rnn({
        inputSize: arch.embeddingDim,
        hiddenSize: arch.encoderHidden,
        numLayers: arch.encoderLayers,
        bidirectional: arch.bidirectional,
        batchFirst: true,
        dropout: arch.dropout,
        ...p,
      }),
    );
    const bridgeIn = memoryWidth(arch);
    const bridgeOut = arch.decoderLayers * arch.decoderHidden;
    this.bridge = this.registerModule('bridge', new Linear({ inFeatures: bridgeIn, outFeatures: bridgeOut, ...p }));
    this.bridgeC =
      arch.cell === 'lstm'
        ? this.registerModule('bridge_c', new Linear({ inFeatures: bridgeIn, outFeatures: bridgeOut, ...p }))
        : null;
    this.decoder = this.registerModule('decoder', new TranslationDecoder(arch, p));
    this.srcEmbedding = srcEmbedding ?? this.decoder.embedding;
  }

  /** Top encoder layer's final states of both directions side by side: [L·D, B, H] → [B, D·H]. */
  private topFinal(t: Tensor): Tensor {
    const D = this.architecture.bidirectional ? 2 : 1;
    const top = narrow(t, 0, (this.architecture.encoderLayers - 1) * D, D);
    const B = t.shape[1] ?? 0;
    return reshape(D === 1 ? top : transpose(top, 0, 1), [B, D * this.architecture.encoderHidden]);
  }

  /** Run the encoder over source rows (ids without bos/eos): memory, initial decoder state, outputs, lengths. */
  encode(src: readonly (readonly number[])[]): EncodedSource {
    const { ids, batch, length, lengths } = padRows('Translator.encode', src, this.tokenizer.padId);
    const arch = this.architecture;
    const emb = dropout(this.srcEmbedding.forward(ids, [batch, length]), arch.dropout, this.training, this.generator);
    const { output, state } = this.encoder.forward(emb, { lengths });
    const L = arch.decoderLayers;
    const layers = (t: Tensor): Tensor[] => (L === 1 ? [t] : split(t, arch.decoderHidden, 1));
    const h = layers(tanh(this.bridge.forward(this.topFinal(state.h))));
    let c: Tensor[] | null = null;
    if (this.bridgeC) {
      if (!state.c) throw new ShapeError('Translator: the LSTM encoder returned no cell state');
      c = layers(this.bridgeC.forward(this.topFinal(state.c)));
    }
    return {
      memory: this.decoder.prepareMemory(output, lengths),
      state: { h, c, feed: this.decoder.initialFeed(batch) },
      outputs: output,
      lengths,
    };
  }

  /**
   * Teacher forcing: source rows and decoder inputs `tgtIn` (bos + target without its eos), both ids →
   * logits [B, T, V] for the next tokens and the attention [B, T, S].
   */
  forward(
    src: readonly (readonly number[])[],
    tgtIn: readonly (readonly number[])[],
  ): { logits: Tensor; attention: Tensor } {
    if (src.length !== tgtIn.length)
      throw new ShapeError(`Translator: ${src.length} source rows but ${tgtIn.length} target rows`);
    const { memory, state } = this.encode(src);
    const { ids, batch, length } = padRows('Translator.forward (target)', tgtIn, this.tokenizer.padId);
    const { logits, attention } = this.decoder.forward(ids, batch, length, memory, state);
    return { logits, attention };
  }

  /** Ids of the single-digit tokens (what the number guard constrains). */
  digitIds(): ReadonlySet<number> {
    this.digits ??= digitTokenIds(this.tokenizer);
    return this.digits;
  }

  /** Translate one sentence (see TranslateOptions); an empty line gives an empty translation. */
  translate(text: string, options: TranslateOptions = {}): TranslationResult {
    const [result] = translateTexts(this, [text], options);
    if (!result) throw new ValueError('Translator.translate: no result');
    return result;
  }

  /** Translate sentences side by side; the same results as one by one (to float rounding of the scores). */
  translateBatch(texts: readonly string[], options: TranslateOptions = {}): TranslationResult[] {
    return translateTexts(this, texts, options);
  }
}
