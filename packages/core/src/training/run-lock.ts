// Node-only: one training process per run directory. The lock file records pid, host and start time; a lock whose
// process is gone (killed, crashed) is stale and taken over, so a killed run never leaves its directory stuck.
import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ValueError } from '../errors.js';
import { fileErrorReason } from '../io/file-checks.js';

/** The lock file in a run directory while a `train` or `--resume` runs there. */
export const RUN_LOCK_FILE = 'run.lock';

/** What a lock file holds. */
export interface RunLockOwner {
  pid: number;
  host: string;
  /** ISO time the owner started. */
  started: string;
  command: string | null;
}

/** A held lock; `release` removes the file (also done when the process exits). */
export interface RunLock {
  readonly path: string;
  release(): void;
}

function readOwner(path: string): RunLockOwner | null {
  try {
    const o = JSON.parse(readFileSync(path, 'utf8')) as Partial<RunLockOwner>;
    if (typeof o.pid !== 'number' || typeof o.host !== 'string' || typeof o.started !== 'string') return null;
    return { pid: o.pid, host: o.host, started: o.started, command: typeof o.command === 'string' ? o.command : null };
  } catch {
    return null;
  }
}

/** Whether a process with this pid exists on this host (EPERM: it exists but belongs to someone else). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

/** Create `path` with `text` only if it does not exist, complete or not at all (a temp file hard-linked into place). */
function createExclusive(path: string, text: string): boolean {
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.tmp`;
  writeFileSync(tmp, text);
  try {
    linkSync(tmp, path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    removeQuietly(tmp);
  }
}

/**
 * Take the lock of run directory `dir` (which must exist). A live owner — this host and its pid running, or another
 * host — is a ValueError naming its pid, host, start time and command; a dead owner's lock is replaced.
 */
export function acquireRunLock(dir: string, options: { command?: string | null } = {}): RunLock {
  const path = join(dir, RUN_LOCK_FILE);
  const me: RunLockOwner = {
    pid: process.pid,
    host: hostname(),
    started: new Date().toISOString(),
    command: options.command ?? null,
  };
  const text = `${JSON.stringify(me)}\n`;
  for (let attempt = 0; ; attempt++) {
    let created: boolean;
    try {
      created = createExclusive(path, text);
    } catch (e) {
      throw new ValueError(`${path}: cannot create the run lock (${fileErrorReason(e)})`);
    }
    if (created) break;
    const owner = readOwner(path);
    const stale = owner === null || (owner.host === me.host && owner.pid !== me.pid && !processAlive(owner.pid));
    if (!stale || attempt >= 2) {
      const who = owner
        ? `process ${owner.pid} on ${owner.host}, started ${owner.started}` +
          (owner.command ? ` (${owner.command})` : '')
        : 'another process';
      throw new ValueError(
        `${dir} is in use by another training run: ${who}. Wait for it to end or stop it; ` +
          `if it is no longer running, delete ${path}`,
      );
    }
    removeQuietly(path);
  }
  let held = true;
  const release = (): void => {
    if (!held) return;
    held = false;
    process.off('exit', release);
    const owner = readOwner(path);
    if (owner?.pid === me.pid && owner.started === me.started) removeQuietly(path);
  };
  process.on('exit', release);
  return { path, release };
}
