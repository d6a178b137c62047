import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Gallery } from '../../lib/gallery';
import type { Manifest } from '../../lib/protocol';

const script = fileURLToPath(new URL('../../scripts/copy-assets.mjs', import.meta.url));

const ARCHITECTURE = {
  vocabSize: 2000,
  embeddingDim: 64,
  encoderHidden: 64,
  encoderLayers: 1,
  bidirectional: true,
  decoderHidden: 128,
  decoderLayers: 1,
  cell: 'gru',
  attention: 'additive',
  attentionSize: 128,
  inputFeeding: true,
  dropout: 0.3,
  tieTargetEmbeddings: false,
  shareEmbeddings: false,
};

function writeModel(dir: string, config: object, metrics?: object): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ package: '@recurrent/text', ...config }));
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify({ type: 'bpe' }));
  writeFileSync(join(dir, 'model.safetensors'), Buffer.alloc(2000));
  if (metrics) writeFileSync(join(dir, 'metrics.json'), JSON.stringify(metrics));
}

/** A fake Multi30k test split of `lines` line-aligned sentences ("de 1", "en 1", "fr 1", …). */
function writeData(root: string, lines: number): string {
  const plain = join(root, 'multi30k', 'plain');
  mkdirSync(plain, { recursive: true });
  for (const lang of ['de', 'en', 'fr'])
    writeFileSync(
      join(plain, `test_2016_flickr.${lang}`),
      `${Array.from({ length: lines }, (_, i) => `${lang} ${i + 1}`).join('\n')}\n`,
    );
  return root;
}

function run(env: Record<string, string>) {
  return spawnSync(process.execPath, [script], { encoding: 'utf8', env: { ...process.env, ...env } });
}

describe('copy-assets.mjs', () => {
  it('lists only translators, each with its card from config.json and metrics.json, in direction order', () => {
    const root = mkdtempSync(join(tmpdir(), 'translate-assets-'));
    const source = join(root, 'models');
    writeModel(
      join(source, 'multi30k-en-fr'),
      {
        kind: 'translator',
        architecture: ARCHITECTURE,
        weights: { file: 'model.safetensors', dtype: 'float16' },
        languages: { source: 'en', target: 'fr' },
        training: {
          command: 'recurrent-text train translate --pair en-fr',
          data: 'Multi30k en→fr: train 3,000',
          bestEpoch: 2,
          config: { epochs: 3 },
        },
      },
      { best: { epoch: 2, metrics: { bleu: 6.12, chrf: 23.8 } }, parameters: 769744, seconds: 84 },
    );
    writeModel(
      join(source, 'multi30k-de-en'),
      { kind: 'translator', architecture: ARCHITECTURE, languages: { source: 'de', target: 'en' } },
      {
        valid: { bleu: 30 },
        parameters: 5123392,
        command: 'recurrent-text train translate --pair de-en --epochs 8',
        test_2016_flickr: {
          beam5: { bleu: 35.12, bleuCased13a: 33.9, chrf: 58.1, sentences: 1000 },
          greedy: { bleu: 33.4, chrf: 56, sentences: 1000 },
        },
      },
    );
    writeModel(join(source, 'sst2'), { kind: 'sentiment' });
    writeModel(join(source, 'odd'), {
      kind: 'translator',
      architecture: ARCHITECTURE,
      languages: { source: 'xx', target: 'en' },
    });
    const target = join(root, 'public');
    const r = run({ RECURRENT_MODELS_DIR: source, COPY_ASSETS_TARGET: target, RECURRENT_DATA: writeData(root, 50) });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('skipping sst2: config.json kind "sentiment" is not translator');
    expect(r.stderr).toContain('skipping odd: config.json languages');
    const manifest = JSON.parse(readFileSync(join(target, 'models', 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.models.map((m) => [m.name, m.title, m.metric])).toEqual([
      ['multi30k-de-en', 'German → English', 'test BLEU 35.1 (beam 5)'],
      ['multi30k-en-fr', 'English → French', 'validation BLEU 6.1 (not measured on the test set)'],
    ]);
    const [deEn, enFr] = manifest.models;
    expect(deEn?.card.test.greedy).toEqual({ bleu: 33.4, bleuCased13a: null, chrf: 56, sentences: 1000 });
    expect(deEn?.card.command).toBe('recurrent-text train translate --pair de-en --epochs 8');
    expect(deEn?.card.parameters).toBe(5123392);
    expect(enFr?.card).toMatchObject({
      parameters: 769744,
      weights: 'float16',
      data: 'Multi30k en→fr: train 3,000',
      command: 'recurrent-text train translate --pair en-fr',
      epochs: 3,
      bestEpoch: 2,
      trainingSeconds: 84,
      valid: { bleu: 6.12, chrf: 23.8 },
      test: { beam5: null, greedy: null },
    });
    expect(enFr?.languages).toEqual({ source: 'en', target: 'fr' });
    expect(enFr?.files).toEqual(['config.json', 'tokenizer.json', 'model.safetensors']);
    expect(existsSync(join(target, 'models', 'multi30k-en-fr', 'model.safetensors'))).toBe(true);
    expect(existsSync(join(target, 'models', 'multi30k-en-fr', 'metrics.json'))).toBe(false);
  });

  it('draws the same seeded, line-aligned gallery from the data on every build; none without data', () => {
    const root = mkdtempSync(join(tmpdir(), 'translate-assets-'));
    const data = writeData(root, 120);
    const galleries = [1, 2].map((i) => {
      const target = join(root, `public-${i}`);
      const r = run({ RECURRENT_MODELS_DIR: join(root, 'none'), COPY_ASSETS_TARGET: target, RECURRENT_DATA: data });
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(readFileSync(join(target, 'gallery', 'gallery.json'), 'utf8')) as Gallery;
    });
    const [g] = galleries;
    expect(galleries[1]).toEqual(g);
    expect(g?.split).toBe('test_2016_flickr');
    expect(g?.sentences).toHaveLength(36);
    const lines = g?.sentences.map((s) => s.line) ?? [];
    expect(new Set(lines).size).toBe(36);
    expect([...lines].sort((a, b) => a - b)).toEqual(lines);
    for (const s of g?.sentences ?? []) {
      expect(s.line).toBeGreaterThanOrEqual(1);
      expect(s.line).toBeLessThanOrEqual(120);
      expect([s.de, s.en, s.fr]).toEqual([`de ${s.line}`, `en ${s.line}`, `fr ${s.line}`]);
    }

    const empty = join(root, 'public-empty');
    const r = run({
      RECURRENT_MODELS_DIR: join(root, 'none'),
      COPY_ASSETS_TARGET: empty,
      RECURRENT_DATA: join(root, 'nothing'),
    });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('the gallery is empty');
    expect(JSON.parse(readFileSync(join(empty, 'gallery', 'gallery.json'), 'utf8')).sentences).toEqual([]);
    expect(JSON.parse(readFileSync(join(empty, 'models', 'manifest.json'), 'utf8'))).toEqual({ models: [] });
  });
});
