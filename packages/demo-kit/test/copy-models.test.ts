import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyModels } from '../copy-models.mjs';

const root = mkdtempSync(join(tmpdir(), 'kit-copy-models-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function folder(name: string, files: Record<string, string>): void {
  mkdirSync(join(root, 'source', name), { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(root, 'source', name, file), text);
}

describe('copyModels', () => {
  it('copies the required files of every complete folder, and the optional ones a folder has', () => {
    folder('roll', { 'config.json': '{"kind":"roll"}', 'model.safetensors': 'abcd' });
    folder('folk', { 'config.json': '{"kind":"folk"}', 'model.safetensors': 'ab', 'tokenizer.json': '{}' });
    folder('broken', { 'config.json': '{"kind":"roll"}' });
    const target = join(root, 'target');
    const entries = copyModels({
      source: join(root, 'source'),
      target,
      required: ['config.json', 'model.safetensors'],
      optional: ['tokenizer.json'],
      describe: (name, dir) => {
        const kind = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).kind as string;
        return { kind, title: name, description: '', metric: '', order: kind === 'roll' ? 0 : 1 };
      },
      label: 'test',
    });
    expect(entries.map((e) => e.name)).toEqual(['roll', 'folk']);
    expect(entries[0]?.files).toEqual(['config.json', 'model.safetensors']);
    expect(entries[1]?.files).toEqual(['config.json', 'model.safetensors', 'tokenizer.json']);
    expect(entries[1]?.bytes).toBe('{"kind":"folk"}'.length + 2 + 2);
    expect(readFileSync(join(target, 'folk', 'tokenizer.json'), 'utf8')).toBe('{}');
    const manifest = JSON.parse(readFileSync(join(target, 'manifest.json'), 'utf8'));
    expect(manifest.models.map((m: { name: string }) => m.name)).toEqual(['roll', 'folk']);
  });
});
