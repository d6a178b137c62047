import { FormatError, ValueError, type Embedding, type Module } from '@recurrent/core';
import { loadModelDir } from '../models/model-files.js';
import type { Tokenizer } from '../tokenizers/tokenizer.js';
import { WordTokenizer } from '../tokenizers/word.js';
import { SPECIAL_TOKENS } from '../tokenizers/vocabulary.js';

export interface EmbeddingTransfer {
  /** Words of the target vocabulary that got the source model's vector. */
  copied: number;
  /** Words in the target vocabulary (special tokens not counted). */
  words: number;
}

/**
 * Initialise `target.embedding` from the embedding table of the saved word-level model in `dir` (any model this
 * package trains: a sentiment classifier or a word LM): every word both vocabularies share gets the source's vector;
 * the others, and the special tokens, keep their fresh initialisation. Both tokenizers must be word tokenizers with
 * the same lowercasing, and the embedding widths must be equal.
 */
export function initEmbeddingsFrom(
  target: { embedding: Embedding; tokenizer: Tokenizer },
  dir: string,
): EmbeddingTransfer {
  return transferEmbeddings(loadModelDir(dir), target, dir);
}

/**
 * Fine-tuning start: the embeddings as initEmbeddingsFrom does, and every other parameter whose PyTorch name and
 * shape both models share (recurrent layers, pooling attention, head) copied whole. Returns the names copied.
 */
export function initFromModel(
  target: Module & { embedding: Embedding; tokenizer: Tokenizer },
  dir: string,
): EmbeddingTransfer & { parameters: string[] } {
  const source = loadModelDir(dir);
  const words = transferEmbeddings(source, target, dir);
  const from = new Map(source.namedParameters());
  const parameters: string[] = [];
  for (const [name, p] of target.namedParameters()) {
    if (name === 'embedding.weight') continue;
    const q = from.get(name);
    if (!q || q.shape.length !== p.shape.length || q.shape.some((d, i) => d !== p.shape[i])) continue;
    p.data.set(q.data);
    parameters.push(name);
  }
  return { ...words, parameters };
}

function transferEmbeddings(
  source: { embedding: Embedding; tokenizer: Tokenizer },
  target: { embedding: Embedding; tokenizer: Tokenizer },
  dir: string,
): EmbeddingTransfer {
  const from = source.tokenizer;
  const to = target.tokenizer;
  if (!(from instanceof WordTokenizer))
    throw new FormatError(
      `initEmbeddings: ${dir} has a ${from.type} tokenizer; embeddings transfer between word tokenizers only`,
    );
  if (!(to instanceof WordTokenizer))
    throw new ValueError(
      `initEmbeddings: the model being trained has a ${to.type} tokenizer; embeddings transfer between word ` +
        `tokenizers only`,
    );
  if (from.lowercase !== to.lowercase)
    throw new ValueError(
      `initEmbeddings: ${dir} was trained with lowercase ${from.lowercase}, this model with ${to.lowercase}`,
    );
  const src = source.embedding.weight;
  const dst = target.embedding.weight;
  const [, dimFrom] = src.shape as [number, number];
  const [, dimTo] = dst.shape as [number, number];
  if (dimFrom !== dimTo)
    throw new ValueError(
      `initEmbeddings: ${dir} has ${dimFrom}-dimensional embeddings, this model ${dimTo} (set --embedding-dim ` +
        `${dimFrom})`,
    );
  const special = new Set(SPECIAL_TOKENS);
  const tokens = to.vocab.toArray();
  let copied = 0;
  let words = 0;
  tokens.forEach((token, id) => {
    if (special.has(token)) return;
    words++;
    const j = from.vocab.id(token);
    if (j === undefined) return;
    dst.data.set(src.data.subarray(j * dimFrom, (j + 1) * dimFrom), id * dimTo);
    copied++;
  });
  return { copied, words };
}
