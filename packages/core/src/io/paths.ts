import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function searchUpwards(relative: string, starts: string[]): string | null {
  for (const start of starts) {
    let dir = resolve(start);
    for (;;) {
      const candidate = join(dir, relative);
      if (existsSync(candidate)) return candidate;
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return null;
}

function starts(): string[] {
  return [process.cwd(), dirname(fileURLToPath(import.meta.url))];
}

/**
 * The datasets folder: `$RECURRENT_DATA`, else the nearest `shared/data` found walking up from the
 * working directory (a checkout sits beside `shared/`, so `../shared/data` from the repo root).
 */
export function findDataDir(): string | null {
  const env = process.env.RECURRENT_DATA;
  if (env) return resolve(env);
  return searchUpwards(join('shared', 'data'), starts());
}

/** The PyTorch reference folder: `$RECURRENT_REFERENCE`, else the nearest `shared/reference`. */
export function findReferenceDir(): string | null {
  const env = process.env.RECURRENT_REFERENCE;
  if (env) return resolve(env);
  return searchUpwards(join('shared', 'reference'), starts());
}
