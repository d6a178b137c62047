#!/usr/bin/env node
// Lists lines longer than 120 characters in the tracked .ts/.tsx/.mts/.cts/.js/.mjs/.cjs/.css files and exits 1 if
// there are any. Biome's formatter wraps code at 120 but leaves long strings, template literals and comments alone;
// this catches those. Skips *.generated.ts and the paths biome.json's files.includes excludes ("!…" globs).
//
//   node scripts/check-line-length.mjs            every tracked file
//   node scripts/check-line-length.mjs packages/x  only under these paths
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAX = 120;
const EXTENSIONS = /\.(ts|tsx|mts|cts|js|mjs|cjs|css)$/;

const root = dirname(dirname(fileURLToPath(import.meta.url)));

/** A Biome glob ("**", "*", literal parts) as a regular expression: the path itself, or anything in that folder. */
function globToRegExp(glob) {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      // "**/" matches zero or more directories, a trailing "**" everything below
      re += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else re += c.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}(?:/.*)?$`);
}

const biome = JSON.parse(readFileSync(join(root, 'biome.json'), 'utf8'));
const excluded = (biome.files?.includes ?? [])
  .filter((g) => g.startsWith('!'))
  .map((g) => globToRegExp(g.replace(/^!+/, '')));
excluded.push(globToRegExp('**/*.generated.ts'));

// paths given on the command line are relative to the current directory
const args = process.argv.slice(2).map((p) => relative(root, resolve(p)) || '.');
const files = execFileSync('git', ['ls-files', '-z', '--', ...args], { cwd: root, encoding: 'utf8' })
  .split('\0')
  .filter((f) => EXTENSIONS.test(f) && !excluded.some((re) => re.test(f)));

let count = 0;
for (const file of files) {
  let text;
  try {
    text = readFileSync(join(root, file), 'utf8');
  } catch {
    continue; // deleted in the work tree but still in the index
  }
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/\r$/, '');
    if (line.length <= MAX) continue; // UTF-16 length ≥ code points: only long candidates are counted exactly
    const length = [...line].length;
    if (length > MAX) {
      count++;
      console.log(`${file}:${i + 1}: ${length} characters`);
    }
  }
}
if (count > 0) {
  console.error(`${count} line(s) over ${MAX} characters in ${files.length} file(s) checked`);
  process.exit(1);
}
console.log(`line length: ${files.length} file(s), no line over ${MAX} characters`);
