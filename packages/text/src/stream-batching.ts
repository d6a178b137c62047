import { defaultGenerator, type Generator, ValueError } from '@recurrent/core';

/** One window of a language-modelling stream: target is input shifted by one token. */
export interface StreamBatch {
  /** [batchSize, seqLen] row-major. */
  input: Int32Array;
  /** [batchSize, seqLen] row-major: target[b, t] is the token after input[b, t]. */
  target: Int32Array;
  batchSize: number;
  seqLen: number;
}

export interface StreamBatchOptions {
  batchSize: number;
  seqLen: number;
  /**
   * Start the streams at a random offset in [0, seqLen) so window boundaries move between epochs (default false:
   * offset 0, the char-rnn layout).
   */
  randomOffset?: boolean;
  /** Shuffle the order of windows (default false). Breaks hidden-state carry-over between consecutive windows. */
  shuffle?: boolean;
  /** Randomness for randomOffset/shuffle (default: the core default generator). */
  generator?: Generator;
}

/**
 * Contiguous-stream batches for language modelling, as in char-rnn: the token stream (after the offset) is cut into
 * batchSize equal parallel streams; window k covers tokens [k·seqLen, k·seqLen + seqLen] of every stream (seqLen + 1
 * tokens: input = first seqLen, target = last seqLen). Row b of window k+1 continues row b of window k, so a model
 * can carry its hidden state across windows (truncated BPTT). The tail that does not fill a window is dropped.
 */
export function streamBatches(tokens: ArrayLike<number>, options: StreamBatchOptions): StreamBatch[] {
  const { batchSize, seqLen } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new ValueError(`batchSize must be a positive integer, got ${batchSize}`);
  if (!Number.isInteger(seqLen) || seqLen < 1) throw new ValueError(`seqLen must be a positive integer, got ${seqLen}`);
  const gen = options.generator ?? defaultGenerator();
  const offset = options.randomOffset ? gen.randint(seqLen) : 0;
  const windows = Math.floor((tokens.length - offset - 1) / (batchSize * seqLen));
  if (windows < 1) {
    throw new ValueError(
      `streamBatches: ${tokens.length} tokens are too few for one window of batchSize ${batchSize} × seqLen ` +
        `${seqLen} (need at least ${batchSize * seqLen + 1 + offset})`,
    );
  }
  const streamLen = windows * seqLen;
  const order = Array.from({ length: windows }, (_, k) => k);
  if (options.shuffle) gen.shuffle(order);
  return order.map((k) => {
    const input = new Int32Array(batchSize * seqLen);
    const target = new Int32Array(batchSize * seqLen);
    for (let b = 0; b < batchSize; b++) {
      const base = offset + b * streamLen + k * seqLen;
      for (let t = 0; t < seqLen; t++) {
        input[b * seqLen + t] = tokens[base + t]!;
        target[b * seqLen + t] = tokens[base + t + 1]!;
      }
    }
    return { input, target, batchSize, seqLen };
  });
}
