import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { RecurrentError } from '@recurrent/core';
import { findDataDir, readTextChecked } from '@recurrent/core/node';

/** A dataset folder or file is missing; the message says where it looked and how to point at the data. */
export class DatasetNotFoundError extends RecurrentError {}

export interface DataDirOption {
  /**
   * Folder holding sst2/, imdb/, tinyshakespeare/ (default: $RECURRENT_DATA, else the nearest shared/data up from the
   * working directory).
   */
  dataDir?: string;
}

const HOW_TO =
  'Pass { dataDir } or set RECURRENT_DATA to the folder that holds sst2/, imdb/ and tinyshakespeare/ ' +
  '(a checkout normally finds it as ../shared/data beside the repository).';

/** The data root: the option, else $RECURRENT_DATA, else the nearest shared/data; DatasetNotFoundError when none. */
export function resolveDataDir(options: DataDirOption = {}): string {
  const dir = options.dataDir ?? findDataDir();
  if (!dir)
    throw new DatasetNotFoundError(
      `no dataset folder found: RECURRENT_DATA is unset and no shared/data exists above ${process.cwd()}. ${HOW_TO}`,
    );
  if (!existsSync(dir)) throw new DatasetNotFoundError(`dataset folder ${dir} does not exist. ${HOW_TO}`);
  return dir;
}

/** Path of a file inside the data root; DatasetNotFoundError naming the dataset when it is missing. */
export function dataFile(dataset: string, relative: string, options: DataDirOption = {}): string {
  const path = join(resolveDataDir(options), relative);
  if (!existsSync(path)) throw new DatasetNotFoundError(`${dataset}: ${path} does not exist. ${HOW_TO}`);
  return path;
}

/** A whole file as UTF-8 text (a directory in its place is a FormatError naming the path). */
export function readText(path: string): string {
  return readTextChecked(path, 'a dataset file');
}

/** Split file text into lines on \n only (never U+0085 or U+2028, which occur in records); drops a final empty line. */
export function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}
