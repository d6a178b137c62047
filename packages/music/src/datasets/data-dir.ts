import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findDataDir } from '@recurrent/core/node';
import { DatasetNotFoundError } from '@recurrent/text/node';

export interface DataDirOption {
  /**
   * Folder holding jsb-chorales/, polyphonic-music/, irish-folk-abc/, nottingham-midi/ (default: $RECURRENT_DATA,
   * else the nearest shared/data).
   */
  dataDir?: string;
}

const HOW_TO =
  'Pass { dataDir } or set RECURRENT_DATA to the folder that holds jsb-chorales/, polyphonic-music/, ' +
  'irish-folk-abc/ and ' +
  'nottingham-midi/ (a checkout normally finds it as ../shared/data beside the repository).';

/** Path of a file or folder inside the data root; DatasetNotFoundError naming the dataset when it is missing. */
export function musicDataPath(dataset: string, relative: string, options: DataDirOption = {}): string {
  const root = options.dataDir ?? findDataDir();
  if (!root)
    throw new DatasetNotFoundError(
      `${dataset}: no dataset folder found (RECURRENT_DATA is unset and no shared/data exists above ` +
        `${process.cwd()}). ${HOW_TO}`,
    );
  const path = join(root, relative);
  if (!existsSync(path)) throw new DatasetNotFoundError(`${dataset}: ${path} does not exist. ${HOW_TO}`);
  return path;
}
