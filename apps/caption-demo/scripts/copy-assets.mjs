#!/usr/bin/env node
// Run by `pnpm build` (before next build). Copies into public/ (none of it is committed):
// - models/: the captioners @recurrent/vision ships (packages/vision/models/<name>/) + manifest.json (the kit's
//   copyModels), so the pages offer exactly the models that exist — none yet is a valid state;
// - detector/: MediaPipe Objectron's packed assets (they hold the SSD-MobileNetV2 detector and its label map) from the
//   installed @mediapipe/objectron (Apache-2.0), with the Apache-2.0 licence text and a NOTICE of origin;
// - gallery/: a handful of coco-mini photos whose Flickr licence allows redistribution (CC BY 2.0 / CC BY-SA 2.0),
//   with gallery.json crediting each (licence and Flickr link).
import { copyFileSync, existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { copyModels } from '@recurrent/demo-kit/copy-models';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const publicDir = process.env.COPY_ASSETS_TARGET ?? join(appDir, 'public');

// ---- models
const TITLES = {
  'scene-captioner': { title: 'Scenes captioner', description: 'CNN from scratch + attention LSTM, synthetic scenes' },
  'coco-captioner': {
    title: 'Photo captioner',
    description: 'Attention LSTM over SSD-MobileNetV2 features; 80 training photos (coco-mini) — tiny',
  },
};

function visionPackageDir() {
  const link = join(appDir, 'node_modules', '@recurrent', 'vision');
  return existsSync(link) ? realpathSync(link) : join(appDir, '..', '..', 'packages', 'vision');
}

function describeMetrics(path) {
  if (!existsSync(path)) return '';
  try {
    const m = JSON.parse(readFileSync(path, 'utf8'));
    const parts = [];
    const split = m.test ? 'test' : m.val ? 'coco-mini val' : 'validation (no test run yet)';
    const t = m.test ?? m.val ?? m.valid ?? {};
    for (const key of ['exact_match', 'pointing', 'bleu4', 'cider']) {
      if (typeof t[key] === 'number') parts.push(`${key} ${t[key].toFixed(3)}`);
    }
    if (m.heldout && typeof m.heldout.exact_match === 'number')
      parts.push(`held-out exact_match ${m.heldout.exact_match.toFixed(3)}`);
    return parts.length > 0 ? `${split}: ${parts.join(', ')}` : '';
  } catch {
    return '';
  }
}

copyModels({
  source: process.env.RECURRENT_MODELS_DIR ?? join(visionPackageDir(), 'models'),
  target: join(publicDir, 'models'),
  required: ['config.json', 'model.safetensors', 'vocabulary.json'],
  describe: (_name, dir) => {
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    const known = TITLES[config.kind];
    if (!known) return { skip: `config.json kind ${JSON.stringify(config.kind)} is not a captioner` };
    const metrics = existsSync(join(dir, 'metrics.json'))
      ? JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8'))
      : {};
    return {
      kind: config.kind,
      ...known,
      metric: describeMetrics(join(dir, 'metrics.json')),
      metrics: { test: metrics.test ?? null, heldout: metrics.heldout ?? null, val: metrics.val ?? null },
      order: config.kind === 'scene-captioner' ? 0 : 1,
    };
  },
});

// ---- detector
const require = createRequire(join(visionPackageDir(), 'package.json'));
const objectronDir = dirname(require.resolve('@mediapipe/objectron/package.json'));
const objectronVersion = JSON.parse(readFileSync(join(objectronDir, 'package.json'), 'utf8')).version;
const detectorDir = join(publicDir, 'detector');
rmSync(detectorDir, { recursive: true, force: true });
mkdirSync(detectorDir, { recursive: true });
for (const file of ['objectron_solution_packed_assets.data', 'objectron_solution_packed_assets_loader.js'])
  copyFileSync(join(objectronDir, file), join(detectorDir, file));
copyFileSync(join(appDir, 'licences', 'Apache-2.0.txt'), join(detectorDir, 'LICENSE-Apache-2.0.txt'));
writeFileSync(
  join(detectorDir, 'NOTICE.txt'),
  `objectron_solution_packed_assets.data and objectron_solution_packed_assets_loader.js are copied unchanged from the
npm package @mediapipe/objectron ${objectronVersion} (Google; licence field "Apache-2.0"). The packed data holds
object_detection_ssd_mobilenetv2_oidv4_fp16.tflite (SSD-MobileNetV2, Open Images V4) and its label map, which this
page runs with @recurrent/vision's TFLite reader. Licensed under the Apache License 2.0: LICENSE-Apache-2.0.txt.\n`,
);
writeFileSync(join(detectorDir, 'detector.json'), `${JSON.stringify({ version: objectronVersion }, null, 2)}\n`);

// ---- gallery
// Four training photos (the photo captioner learned their captions) and four of the val photos it never saw; the page
// says which is which.
const GALLERY_IDS = [358083, 84284, 107438, 234748, 165518, 377575, 255165, 229358];
const OPEN_LICENCES = { 'Attribution License': 'CC BY 2.0', 'Attribution-ShareAlike License': 'CC BY-SA 2.0' };

function findCocoMini() {
  const env = process.env.RECURRENT_DATA;
  if (env && existsSync(join(env, 'coco-mini-captions'))) return join(env, 'coco-mini-captions');
  let dir = appDir;
  for (;;) {
    const candidate = join(dir, 'shared', 'data', 'coco-mini-captions');
    if (existsSync(candidate)) return candidate;
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

const galleryDir = join(publicDir, 'gallery');
rmSync(galleryDir, { recursive: true, force: true });
mkdirSync(galleryDir, { recursive: true });
const coco = findCocoMini();
const photos = [];
if (coco) {
  const rows = readFileSync(join(coco, 'captions.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l));
  for (const id of GALLERY_IDS) {
    const r = rows.find((x) => x.image_id === id);
    const licence = r && OPEN_LICENCES[r.license];
    if (!licence) continue; // only photos whose licence allows redistribution
    const file = `${id}.jpg`;
    copyFileSync(join(coco, r.file), join(galleryDir, file));
    photos.push({
      id,
      file,
      width: r.width,
      height: r.height,
      licence,
      licenceUrl: r.license_url,
      flickrUrl: r.flickr_url,
      references: r.captions,
      split: r.split,
    });
  }
} else {
  console.warn('copy-assets: coco-mini-captions not found (set RECURRENT_DATA); the gallery is empty');
}
writeFileSync(join(galleryDir, 'gallery.json'), `${JSON.stringify({ photos }, null, 2)}\n`);
console.log(`copy-assets: detector (${objectronVersion}), ${photos.length} gallery photos`);
