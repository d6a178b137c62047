import { ValueError } from '@recurrent/core';
import { dataFile, readText, type DataDirOption } from './data-dir.js';

/** The tinyshakespeare text (tinyshakespeare/input.txt, 1,115,394 characters, 65 distinct). */
export function readTinyShakespeare(options: DataDirOption = {}): string {
  return readText(dataFile('tinyshakespeare', 'tinyshakespeare/input.txt', options));
}

/**
 * Contiguous train/validation split: the first trainFraction of the characters (default 0.9, rounded down, as
 * nanoGPT's shakespeare_char) train, the rest validate.
 */
export function splitTrainVal(text: string, trainFraction = 0.9): { train: string; val: string } {
  if (!(trainFraction > 0 && trainFraction < 1))
    throw new ValueError(`trainFraction must be in (0, 1), got ${trainFraction}`);
  const cut = Math.floor(text.length * trainFraction);
  return { train: text.slice(0, cut), val: text.slice(cut) };
}

/** tinyshakespeare split 90 % / 10 % by position. */
export function readTinyShakespeareSplits(options: DataDirOption & { trainFraction?: number } = {}): {
  train: string;
  val: string;
} {
  return splitTrainVal(readTinyShakespeare(options), options.trainFraction);
}
