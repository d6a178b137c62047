// Node-only: replace a file so that a kill at any moment leaves either the old file or the new one under its name.
import { closeSync, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ValueError } from '../errors.js';
import { fileErrorReason } from './file-checks.js';

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

/** Why `path` cannot be written: the user's path and the problem, never the temporary file's name. */
function writeError(path: string, e: unknown): ValueError {
  let isDirectory = false;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch {
    // missing: the reason below says why the temporary file beside it could not be made
  }
  const reason = isDirectory ? 'is a directory, expected a file' : `cannot be written (${fileErrorReason(e)})`;
  return new ValueError(`${path}: ${reason}`);
}

/**
 * Write `data` to `path` atomically: a temporary file beside it, flushed to disk, renamed into place. A kill at any
 * moment leaves either the old file or the new one under `path`, never a half-written one. Failures (a directory at
 * `path`, a missing or read-only folder) are ValueErrors naming `path`.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const unique = `${process.pid}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  const tmp = join(dirname(path), `.${basename(path)}.${unique}.tmp`);
  let fd: number;
  try {
    fd = openSync(tmp, 'wx');
  } catch (e) {
    throw writeError(path, e);
  }
  try {
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    unlinkQuietly(tmp);
    throw writeError(path, e);
  }
  closeSync(fd);
  try {
    renameSync(tmp, path);
  } catch (e) {
    unlinkQuietly(tmp);
    throw writeError(path, e);
  }
}
