import { describeValue, ValueError } from '@recurrent/core';

export type TranslatorCell = 'gru' | 'lstm';
/** Score of the decoder's attention: Bahdanau's additive v·tanh(Wq + Uk), Luong's general k·(Wq) or dot k·q. */
export type TranslatorAttention = 'additive' | 'general' | 'dot';

/**
 * Where the decoder attends (see TranslationDecoder): 'luong' attends from the new state h_t and predicts from
 * h̃_t = tanh(W_c [h_t; c_t]); 'bahdanau' attends from the previous state s_{t−1}, feeds the context into the cell and
 * predicts from [s_t; c_t; emb(y_{t−1})] (Bahdanau et al. 2015, the PyTorch anchors' decoder).
 */
export type TranslatorDecoderStyle = 'luong' | 'bahdanau';

export const TRANSLATOR_CELLS: readonly TranslatorCell[] = ['gru', 'lstm'];
export const TRANSLATOR_DECODER_STYLES: readonly TranslatorDecoderStyle[] = ['luong', 'bahdanau'];
export const TRANSLATOR_ATTENTIONS: readonly TranslatorAttention[] = ['additive', 'general', 'dot'];

/** Everything needed to rebuild a Translator before loading its weights (saved as config.json "architecture"). */
export interface TranslatorArchitecture {
  /** Size of the joint source–target subword vocabulary (the tokenizer's vocabSize). */
  vocabSize: number;
  embeddingDim: number;
  /** Encoder hidden size per direction. */
  encoderHidden: number;
  encoderLayers: number;
  bidirectional: boolean;
  decoderHidden: number;
  decoderLayers: number;
  cell: TranslatorCell;
  attention: TranslatorAttention;
  /** Luong (attend after the cell, default when absent) or Bahdanau (attend before it, context fed to the cell). */
  decoderStyle: TranslatorDecoderStyle;
  /** Width of the additive attention's tanh layer (ignored by general/dot). */
  attentionSize: number;
  /**
   * Feed the previous attentional vector h̃ into the next decoder step (Luong et al. 2015). A Bahdanau decoder always
   * feeds the context to its cell, so it needs true.
   */
  inputFeeding: boolean;
  /** Dropout on embeddings, between stacked layers and before the output layer, while training. */
  dropout: number;
  /**
   * Output layer shares the target embedding matrix (Press & Wolf 2017): logits = E · P h̃ + b, with a projection
   * P [embeddingDim, decoderHidden] when the sizes differ.
   */
  tieTargetEmbeddings: boolean;
  /** The encoder reads the decoder's embedding table (possible because the vocabulary is joint). */
  shareEmbeddings: boolean;
}

/**
 * The mt_S-like default: BiGRU-128 encoder, GRU-256 Bahdanau decoder (additive attention, the context fed to the
 * cell, the output layer reading [s; c; emb]) and embeddings 128, as the PyTorch anchor mt_S.
 */
export const DEFAULT_TRANSLATOR_ARCHITECTURE: Omit<TranslatorArchitecture, 'vocabSize'> = {
  embeddingDim: 128,
  encoderHidden: 128,
  encoderLayers: 1,
  bidirectional: true,
  decoderHidden: 256,
  decoderLayers: 1,
  cell: 'gru',
  attention: 'additive',
  decoderStyle: 'bahdanau',
  attentionSize: 256,
  inputFeeding: true,
  dropout: 0.3,
  tieTargetEmbeddings: false,
  shareEmbeddings: false,
};

type Json = Record<string, unknown>;

/**
 * Validate an architecture object (as parsed from JSON or built in code); throws ValueError naming `source` and the
 * field. Dot attention needs decoderHidden equal to the memory width (encoderHidden × directions).
 */
export function checkTranslatorArchitecture(a: unknown, source = 'architecture'): TranslatorArchitecture {
  if (a === null || typeof a !== 'object' || Array.isArray(a)) throw new ValueError(`${source}: must be an object`);
  const o = a as Json;
  const fail = (message: string): never => {
    throw new ValueError(`${source}: ${message}`);
  };
  const int = (key: string, min = 1): number => {
    const v = o[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min)
      fail(`${key} must be an integer ≥ ${min}, got ${describeValue(v)}`);
    return v as number;
  };
  const bool = (key: string): boolean => {
    const v = o[key];
    if (typeof v !== 'boolean') fail(`${key} must be true or false, got ${describeValue(v)}`);
    return v as boolean;
  };
  const oneOf = <T extends string>(key: string, allowed: readonly T[]): T => {
    const v = o[key];
    if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
      fail(`${key} must be one of ${allowed.join(', ')}, got ${describeValue(v)}`);
    }
    return v as T;
  };
  const dropout = o.dropout;
  if (typeof dropout !== 'number' || !(dropout >= 0 && dropout < 1))
    fail(`dropout must be in [0, 1), got ${describeValue(dropout)}`);
  const arch: TranslatorArchitecture = {
    vocabSize: int('vocabSize', 5),
    embeddingDim: int('embeddingDim'),
    encoderHidden: int('encoderHidden'),
    encoderLayers: int('encoderLayers'),
    bidirectional: bool('bidirectional'),
    decoderHidden: int('decoderHidden'),
    decoderLayers: int('decoderLayers'),
    cell: oneOf('cell', TRANSLATOR_CELLS),
    attention: oneOf('attention', TRANSLATOR_ATTENTIONS),
    // Absent in models saved before Bahdanau decoders existed: those are Luong decoders.
    decoderStyle: o.decoderStyle === undefined ? 'luong' : oneOf('decoderStyle', TRANSLATOR_DECODER_STYLES),
    attentionSize: int('attentionSize'),
    inputFeeding: bool('inputFeeding'),
    dropout: dropout as number,
    tieTargetEmbeddings: bool('tieTargetEmbeddings'),
    shareEmbeddings: bool('shareEmbeddings'),
  };
  const memory = memoryWidth(arch);
  if (arch.attention === 'dot' && arch.decoderHidden !== memory) {
    fail(
      `dot attention needs decoderHidden (${arch.decoderHidden}) equal to the encoder output width ${memory} ` +
        '(encoderHidden × directions)',
    );
  }
  if (arch.decoderStyle === 'bahdanau' && !arch.inputFeeding) {
    fail('a bahdanau decoder always feeds the attention context into its cell: inputFeeding must be true');
  }
  const known = new Set(Object.keys(arch));
  const unknown = Object.keys(o).filter((k) => !known.has(k));
  if (unknown.length > 0) fail(`unknown key(s) ${unknown.join(', ')}`);
  return arch;
}

/** Width of the encoder outputs the decoder attends over. */
export function memoryWidth(a: Pick<TranslatorArchitecture, 'encoderHidden' | 'bidirectional'>): number {
  return a.encoderHidden * (a.bidirectional ? 2 : 1);
}
