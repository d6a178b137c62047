import { existsSync, readFileSync, statSync } from 'node:fs';
import { FormatError } from '../errors.js';

/**
 * The bytes of the regular file at `path`, or a FormatError naming it: missing (`holds` says what should be there),
 * a directory or other non-file, or unreadable — never a raw EISDIR/EACCES.
 */
export function readRegularFile(path: string, holds: string): Buffer {
  if (!existsSync(path)) throw new FormatError(`${path}: missing (${holds})`);
  if (!statSync(path).isFile()) throw new FormatError(`${path}: not a regular file (${holds})`);
  try {
    return readFileSync(path);
  } catch (e) {
    throw new FormatError(`${path}: cannot be read (${(e as Error).message})`);
  }
}
