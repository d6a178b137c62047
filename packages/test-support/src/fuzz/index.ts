export { FuzzRandom, caseRandom, hashString } from './random.js';
export {
  EXTREME_INTEGERS,
  mutateBytes,
  mutateBytesOnce,
  type ByteMutation,
  type ByteMutationOptions,
} from './mutate-bytes.js';
export { EXTREME_NUMBERS, hostileJsonValue, mutateJsonText } from './mutate-json.js';
export { HOSTILE_TEXT, mutateLine } from './mutate-text.js';
export { mutateArgs, type ArgsVocabulary } from './mutate-args.js';
export { TYPED_ERRORS, MAX_MESSAGE_CHARS, errorClassNames, judgeError, type PassRule } from './outcome.js';
export {
  CASE_MEMORY_BASE,
  CASE_MEMORY_PER_INPUT_BYTE,
  describeFailures,
  runFuzzCase,
  runFuzzTarget,
  type FuzzFailure,
  type FuzzReport,
  type FuzzRunOptions,
  type FuzzTarget,
} from './runner.js';
export { modelDirTarget, writeMutatedModelDir, type ModelDirCase, type ModelDirFiles } from './model-dir.js';
export { cliTarget, writeModelDir, type CliCase, type CliFixture } from './cli.js';
