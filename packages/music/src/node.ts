// Node-only helpers (file system). The main entry point (`@recurrent/music`) stays browser-safe.
export {
  PIANO_ROLL_DATASETS,
  readJsonFile,
  readPianoRollFile,
  readPianoRollDataset,
  listNottinghamMidi,
  readNottinghamMidi,
  splitByTune,
  readIrishAbc,
  type PianoRollDatasetName,
  type NottinghamPart,
  type TuneSplitOptions,
} from './datasets/read.js';
export { musicDataPath, type DataDirOption } from './datasets/data-dir.js';
export { DatasetNotFoundError } from '@recurrent/text/node';
