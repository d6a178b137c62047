// Browser-safe entry point: no node: imports here (dataset readers are in ./node).
export { LOWEST_PIANO_PITCH, HIGHEST_PIANO_PITCH, PIANO_KEYS, pitchName, isPianoPitch } from './pitch.js';
export {
  DEFAULT_QPM,
  emptyNoteSequence,
  validateNoteSequence,
  sortNotes,
  initialQpm,
  secondsToQuarters,
  quantizeNoteSequence,
  type Note,
  type NoteSequence,
  type Tempo,
  type TimeSignature,
  type KeySignature,
  type KeyMode,
} from './note-sequence.js';
export { checkMidiStructure, type MidiHeaderInfo, type MetaEventVisitor } from './midi/structure.js';
export { midiToNoteSequence, type ReadMidiOptions } from './midi/read.js';
export { noteSequenceToMidi, type WriteMidiOptions } from './midi/write.js';
export { pitchClassOfName, tonicName, keySignatureAccidentals } from './midi/key-names.js';
export { splitAbcTunes } from './abc/split.js';
export {
  abcToNoteSequence,
  abcProblem,
  abcPlayability,
  MAX_ABC_MUSIC_NUMBER,
  MAX_ABC_TUNE_CHARS,
  type ParseAbcOptions,
  type AbcPlayability,
} from './abc/parse.js';
export { noteSequenceToAbc, type WriteAbcOptions } from './abc/write.js';
export {
  createPianoRoll,
  validatePianoRoll,
  rollFromPitchLists,
  rollToPitchLists,
  sliceRoll,
  concatRolls,
  type PianoRoll,
} from './roll/piano-roll.js';
export {
  noteSequenceToRoll,
  rollToNoteSequence,
  type FrameRate,
  type ToRollOptions,
  type FromRollOptions,
} from './roll/convert.js';
export {
  SPLITS,
  parsePianoRollSplits,
  totalFrames,
  type Split,
  type PianoRollSplits,
} from './datasets/piano-roll-json.js';
export { rollBatch, rollBatches, type RollBatch, type RollBatchOptions } from './models/batch.js';
export type { FrameModel, FrameDraw, GenerateRollOptions, GeneratedRoll } from './models/frame-model.js';
export { generateRoll } from './models/generate.js';
export {
  PianoRollRNN,
  DEFAULT_PIANO_ROLL_RNN,
  checkRollArchitecture,
  drawKey,
  type PianoRollRNNArchitecture,
  type PianoRollRNNOptions,
  type RollCell,
} from './models/piano-roll-rnn.js';
export { nadeLogits, NadeWeights, type NadeOptions } from './models/nade.js';
export { RnnNade, DEFAULT_RNN_NADE, type RnnNadeArchitecture, type RnnNadeOptions } from './models/rnn-nade.js';
export { nllPerFrame, type NllOptions, type NllResult } from './models/nll.js';
export { estimateKey, scalePitchClasses, KRUMHANSL_MAJOR, KRUMHANSL_MINOR, type KeyEstimate } from './stats/key.js';
export { pitchClassHistogram, inKeyShare, rollStatistics, type RollStatistics } from './stats/roll-stats.js';
export {
  abcCorpus,
  folkTokenizer,
  createFolkModel,
  generateTunes,
  generatedTuneToNoteSequence,
  folkPlayability,
  type GenerateTunesOptions,
  type FolkEvaluation,
} from './folk/folk.js';
export {
  ROLL_MODEL_FORMAT,
  ROLL_MODEL_FORMAT_VERSION,
  rollModelConfig,
  parseRollModelConfig,
  createRollModel,
  encodeRollModel,
  loadRollModelFromBytes,
  type RollModel,
  type RollModelKind,
  type RollModelConfig,
} from './models/config.js';
export { MUSIC_PACKAGE } from './models/config.js';
export { MUSIC_MODEL_KINDS, ROLL_MODEL_FILES, loadRollModelFiles, registerMusicModelKinds } from './models/kinds.js';
export { rollKeyRange, transposeRoll } from './roll/transpose.js';
export {
  ROLL_TASKS,
  checkRollTrainConfig,
  createRollTask,
  createTaskModel,
  rollDefaults,
  rollEpochBatches,
  rollTaskModelKind,
  type RollTaskName,
  type RollTaskOptions,
  type RollTrainConfig,
} from './training/roll-task-definition.js';
export {
  RollTrainingSession,
  memoryCheckpointStore,
  type RollTrainingProgress,
  type RollTrainingSessionOptions,
} from './training/roll-training-session.js';
export {
  primerAbcFromBytes,
  primerFormatOf,
  primerNotesFromBytes,
  primerRollFromBytes,
  type PrimerFormat,
} from './primer/primer.js';
