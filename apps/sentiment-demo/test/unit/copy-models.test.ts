import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Manifest } from '../../lib/protocol';

const script = fileURLToPath(new URL('../../scripts/copy-models.mjs', import.meta.url));

function writeModel(dir: string, kind: string, tokenizerType: string, metrics?: object): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ format: 'recurrent-text-model', version: 1, kind }));
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify({ type: tokenizerType }));
  writeFileSync(join(dir, 'model.safetensors'), Buffer.alloc(1000));
  if (metrics) writeFileSync(join(dir, 'metrics.json'), JSON.stringify(metrics));
}

describe('copy-models.mjs', () => {
  it('copies complete model folders, lists them in order with their metric, and skips the rest', () => {
    const root = mkdtempSync(join(tmpdir(), 'copy-models-'));
    const source = join(root, 'models');
    const target = join(root, 'public-models');
    writeModel(join(source, 'imdb'), 'sentiment', 'word', { valid: { accuracy: 0.88 } });
    writeModel(join(source, 'sst2'), 'sentiment', 'word', { valid: { accuracy: 0.84 }, test: { accuracy: 0.8612 } });
    writeModel(join(source, 'charlm'), 'language-model', 'char', { valid: { nll: 1.4912 } });
    writeModel(join(source, 'odd'), 'translation', 'word');
    mkdirSync(join(source, 'half'));
    writeFileSync(join(source, 'half', 'config.json'), '{}');

    const r = spawnSync(process.execPath, [script], {
      encoding: 'utf8',
      env: { ...process.env, RECURRENT_MODELS_DIR: source, COPY_MODELS_TARGET: target },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('skipping half: missing tokenizer.json, model.safetensors');
    expect(r.stderr).toContain('skipping odd');

    const manifest = JSON.parse(readFileSync(join(target, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.models.map((m) => [m.name, m.kind, m.tokenizer, m.metric])).toEqual([
      ['charlm', 'language-model', 'char', 'validation 1.49 nats/char'],
      ['sst2', 'sentiment', 'word', 'test accuracy 86.1 %'],
      ['imdb', 'sentiment', 'word', 'validation accuracy 88.0 %'],
    ]);
    expect(manifest.models[1]!.bytes).toBeGreaterThan(1000);
    expect(existsSync(join(target, 'sst2', 'model.safetensors'))).toBe(true);
    expect(existsSync(join(target, 'sst2', 'metrics.json'))).toBe(false);
    expect(existsSync(join(target, 'odd'))).toBe(false);
  });

  it('writes an empty manifest (and says so) when no model is shipped', () => {
    const root = mkdtempSync(join(tmpdir(), 'copy-models-'));
    const r = spawnSync(process.execPath, [script], {
      encoding: 'utf8',
      env: { ...process.env, RECURRENT_MODELS_DIR: join(root, 'none'), COPY_MODELS_TARGET: join(root, 'out') },
    });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('no shipped models found');
    expect(JSON.parse(readFileSync(join(root, 'out', 'manifest.json'), 'utf8'))).toEqual({ models: [] });
  });
});
