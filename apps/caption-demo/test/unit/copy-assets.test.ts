import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { GalleryPhoto } from '../../lib/gallery';
import type { Manifest } from '../../lib/protocol';

const script = fileURLToPath(new URL('../../scripts/copy-assets.mjs', import.meta.url));

function writeModel(dir: string, kind: string, metrics?: object): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ kind, package: '@recurrent/vision' }));
  writeFileSync(join(dir, 'vocabulary.json'), JSON.stringify({ words: ['a'] }));
  writeFileSync(join(dir, 'model.safetensors'), Buffer.alloc(100));
  if (metrics) writeFileSync(join(dir, 'metrics.json'), JSON.stringify(metrics));
}

describe('copy-assets.mjs', () => {
  it('copies captioners with their metrics, the detector with its licence, and only openly licensed photos', () => {
    const root = mkdtempSync(join(tmpdir(), 'copy-assets-'));
    const source = join(root, 'models');
    const target = join(root, 'public');
    writeModel(join(source, 'scenes'), 'scene-captioner', {
      valid: { exact_match: 0.5 },
      test: { exact_match: 0.93, pointing: 0.88, bleu4: 0.95 },
      heldout: { exact_match: 0.74 },
    });
    writeModel(join(source, 'coco'), 'coco-captioner', { val: { bleu4: 0.16, cider: 0.61 } });
    writeModel(join(source, 'odd'), 'sentiment');
    const r = spawnSync(process.execPath, [script], {
      encoding: 'utf8',
      env: { ...process.env, RECURRENT_MODELS_DIR: source, COPY_ASSETS_TARGET: target },
    });
    expect(r.status, r.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(target, 'models', 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.models.map((m) => [m.name, m.kind, m.metric])).toEqual([
      ['scenes', 'scene-captioner', 'test: exact_match 0.930, pointing 0.880, bleu4 0.950, held-out exact_match 0.740'],
      ['coco', 'coco-captioner', 'coco-mini val: bleu4 0.160, cider 0.610'],
    ]);
    for (const f of ['objectron_solution_packed_assets.data', 'objectron_solution_packed_assets_loader.js'])
      expect(existsSync(join(target, 'detector', f)), f).toBe(true);
    expect(readFileSync(join(target, 'detector', 'LICENSE-Apache-2.0.txt'), 'utf8')).toContain(
      'Apache License\n                           Version 2.0, January 2004',
    );
    expect(readFileSync(join(target, 'detector', 'NOTICE.txt'), 'utf8')).toContain('@mediapipe/objectron');
    const gallery = JSON.parse(readFileSync(join(target, 'gallery', 'gallery.json'), 'utf8')) as {
      photos: GalleryPhoto[];
    };
    for (const p of gallery.photos) {
      expect(['CC BY 2.0', 'CC BY-SA 2.0']).toContain(p.licence);
      expect(p.flickrUrl).toMatch(/^https?:\/\/farm\d+\.staticflickr\.com\//);
      expect(existsSync(join(target, 'gallery', p.file))).toBe(true);
    }
    // what the page tells visitors: which photos the captioner learned from and which it never saw
    const splits = gallery.photos.map((p) => p.split);
    expect(splits.filter((s) => s === 'train').length).toBeGreaterThan(0);
    expect(splits.filter((s) => s === 'val').length).toBeGreaterThanOrEqual(4);
    expect(splits.every((s) => s === 'train' || s === 'val')).toBe(true);
  });
});
