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
export { loadMusicModelDir, type MusicModel } from './models/model-dir.js';
export {
  ROLL_TASKS,
  rollEpochBatches,
  rollTaskModelKind,
  createTaskModel,
  checkRollTrainConfig,
  type RollTaskName,
  type RollTrainConfig,
} from './training/roll-task-definition.js';
export { rollTask, saveRollModelDir } from './training/roll-task.js';
export {
  abcTask,
  readAbcData,
  abcNll,
  abcIds,
  checkAbcTrainConfig,
  type AbcData,
  type AbcTrainConfig,
} from './training/abc-task.js';
export { registerMusicTasks, rollDefaults, abcDefaults, sampleStatistics } from './training/tasks.js';
export { readMetricsFile, updateMetricsFile } from './training/metrics-file.js';
export { readPrimerNotes, readPrimerRoll, readPrimerAbc, primerFormat, type PrimerFormat } from './cli/primer.js';
export { runCli, musicCliUsage, MUSIC_CLI } from './cli/main.js';
