// Argument parsing moved to @recurrent/core/node (shared by every task package's CLI); re-exported here.
export {
  UsageError,
  parseArgs,
  kebabToCamel,
  camelToKebab,
  typedValue,
  takeFlag,
  takeString,
  takeNumber,
  takeBoolean,
  rejectLeftovers,
  type ParsedArgs,
} from '@recurrent/core/node';
