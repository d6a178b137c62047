// Node-only: file-system shapes checked before use, so a directory where a file belongs (or a file where a directory
// belongs) is a typed error naming the path instead of a raw EISDIR / EEXIST / ENOTDIR from Node.
import { mkdirSync, readFileSync, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { FormatError, ValueError } from '../errors.js';

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

/** Node's code and reason of a file-system error, e.g. "EACCES: permission denied" (the message without the path). */
export function fileErrorReason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (typeof err?.code !== 'string') return String((e as Error)?.message ?? e);
  const reason = (err.message ?? '').split(',')[0] ?? err.code;
  return reason.startsWith(err.code) ? reason : `${err.code}: ${reason}`;
}

/**
 * The bytes of the file at `path`. A missing path or a directory is a FormatError naming the path and what it should
 * hold (`what`, e.g. "the model's weights"); any other read failure names the path and Node's reason.
 */
export function readFileChecked(path: string, what: string): Uint8Array {
  const stats = statOrNull(path);
  if (stats === null) throw new FormatError(`${path}: missing (${what})`);
  if (stats.isDirectory()) throw new FormatError(`${path}: is a directory, expected a file (${what})`);
  // A FIFO or a device (/dev/zero) would block or never end: only regular files are read.
  if (!stats.isFile()) throw new FormatError(`${path}: not a regular file (${what})`);
  let b: Buffer;
  try {
    b = readFileSync(path);
  } catch (e) {
    throw new FormatError(`${path}: cannot be read (${fileErrorReason(e)})`);
  }
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** readFileChecked as UTF-8 text. */
export function readTextChecked(path: string, what: string): string {
  return new TextDecoder().decode(readFileChecked(path, what));
}

/** The nearest existing ancestor of `path` (itself included) that is not a directory, or null. */
function fileInTheWay(path: string): string | null {
  let p = resolve(path);
  for (;;) {
    const stats = statOrNull(p);
    if (stats !== null) return stats.isDirectory() ? null : p;
    const parent = dirname(p);
    if (parent === p) return null;
    p = parent;
  }
}

/**
 * Make sure `dir` is a directory (created with its parents when missing). `label` names the option in messages
 * (e.g. "--out"). A file at `dir` or at one of its ancestors, or a failed mkdir, is a ValueError naming the path.
 */
export function ensureDirectory(dir: string, label = 'output directory'): void {
  const blocker = fileInTheWay(dir);
  if (blocker !== null) {
    const where = resolve(blocker) === resolve(dir) ? 'is a file' : `lies under ${blocker}, which is a file`;
    throw new ValueError(`${label} ${dir}: ${where}, expected a directory`);
  }
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new ValueError(`${label} ${dir}: cannot create the directory (${fileErrorReason(e)})`);
  }
}

/** A ValueError when `path` exists and is a directory (a file is about to be written there). */
export function assertNotDirectory(path: string, what: string): void {
  if (statOrNull(path)?.isDirectory()) throw new ValueError(`${path}: is a directory, expected a file (${what})`);
}
