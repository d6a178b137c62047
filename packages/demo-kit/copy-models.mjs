// Build-time model copy for a demo app (its scripts/copy-models.mjs calls this before `next build`): copies each
// model folder of `source` that has every `required` file into `target` (the app's public/models/) and writes
// target/manifest.json listing exactly those models, so the pages offer what exists. The app decides which folders
// are its models and how they are described (`describe`).
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * @param {object} options
 * @param {string} options.source folder of model folders
 * @param {string} options.target where to copy them (emptied first)
 * @param {string[]} options.required files every model needs (the browser fetches exactly these)
 * @param {string[]} [options.optional] files copied (and listed in the entry's `files`) when a folder has them, e.g.
 *   the tokenizer.json only a text model has
 * @param {(name: string, dir: string) => ({ skip: string } | { kind: string, title: string, description: string,
 *   metric: string, order?: number, [extra: string]: unknown })} options.describe the manifest entry of a folder, or
 *   why it is skipped
 * @param {string} [options.label] prefix of the log lines
 * @returns {object[]} the manifest's entries
 */
export function copyModels({ source, target, required, optional = [], describe, label = 'copy-models' }) {
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  const models = [];
  const names = existsSync(source)
    ? readdirSync(source)
        .filter((n) => statSync(join(source, n)).isDirectory())
        .sort()
    : [];
  for (const name of names) {
    const dir = join(source, name);
    const missing = required.filter((f) => !existsSync(join(dir, f)));
    if (missing.length > 0) {
      console.warn(`${label}: skipping ${name}: missing ${missing.join(', ')}`);
      continue;
    }
    const entry = describe(name, dir);
    if ('skip' in entry) {
      console.warn(`${label}: skipping ${name}: ${entry.skip}`);
      continue;
    }
    mkdirSync(join(target, name));
    let bytes = 0;
    const files = [...required, ...optional.filter((f) => existsSync(join(dir, f)))];
    for (const f of files) {
      copyFileSync(join(dir, f), join(target, name, f));
      bytes += statSync(join(dir, f)).size;
    }
    const { order = 99, ...fields } = entry;
    models.push({ order, model: { name, ...fields, files, bytes } });
  }
  models.sort((a, b) => a.order - b.order || a.model.name.localeCompare(b.model.name));
  const entries = models.map((m) => m.model);
  writeFileSync(join(target, 'manifest.json'), `${JSON.stringify({ models: entries }, null, 2)}\n`);
  const summary = entries.map((m) => `${m.name} (${m.kind}, ${(m.bytes / 1e6).toFixed(1)} MB)`).join(', ');
  console.log(`${label}: ${entries.length} model(s) from ${source} → ${target}: ${summary || 'none'}`);
  if (entries.length === 0) console.warn(`${label}: no shipped models found; the pages will say so`);
  return entries;
}
