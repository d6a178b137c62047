// @recurrent/vision on the vision workloads: W6 runs the SSD-MobileNetV2 port (TFLite weights of
// @mediapipe/objectron) on one 300×300 photo; CAP captions a photo end to end with the shipped photo captioner.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { loadModelDir } from '@recurrent/core/node';
import { tokenizeCaption } from '@recurrent/vision';
import {
  buildCaptionVocabulary,
  cocoDefaults,
  loadObjectronDetector,
  readCocoMini,
  readImage,
  readMulti30kEnglish,
} from '@recurrent/vision/node';
import { CocoCaptioner } from '@recurrent/vision';
import { benchPhotoInput, benchPhotoPath } from '../vision-data.js';
import type { Runner } from '../types.js';

/** W6: the detector's forward on the preprocessed photo (class logits, box encodings and the grid19 features), ms. */
export async function w6Ours(): Promise<Runner> {
  const detector = loadObjectronDetector();
  const { input } = await benchPhotoInput();
  return {
    run() {
      const t0 = performance.now();
      const out = detector.forward(input, ['grid19']);
      const ms = performance.now() - t0;
      if (!out.features.grid19) throw new Error('W6: no grid19 from the detector');
      return ms;
    },
  };
}

/**
 * The vocabulary `recurrent-vision train coco` builds with its defaults: words seen ≥ minWordCount times in
 * Multi30k's train.en and the captions of coco-mini's training photos (all 80 but the last validImages).
 */
function cocoDefaultVocabulary() {
  const config = cocoDefaults();
  const photos = readCocoMini({ split: 'train' });
  const trainPhotos = photos.slice(0, photos.length - config.validImages);
  const texts = [...readMulti30kEnglish(), ...trainPhotos.flatMap((p) => p.captions.map(tokenizeCaption))];
  return buildCaptionVocabulary(texts, config.minWordCount);
}

/** A `CocoCaptioner` of `train coco`'s default config and vocabulary with its seeded initial weights, eval mode. */
export function cocoCaptionerOfDefaults(): CocoCaptioner {
  const config = cocoDefaults();
  const model = new CocoCaptioner(config.architecture, cocoDefaultVocabulary(), { seed: config.seed });
  model.eval();
  return model;
}

/** The shipped photo captioner's directory inside @recurrent/vision (`models/coco`). */
export function shippedCocoCaptionerDir(): string {
  const pkg = createRequire(import.meta.url).resolve('@recurrent/vision/package.json');
  return join(dirname(pkg), 'models', 'coco');
}

/**
 * The photo captioner CAP times: the shipped `models/coco` when its directory has a config.json, else a captioner of
 * `train coco`'s defaults with seeded random weights (which rarely stop before maxLength: the slowest case).
 */
export function benchCocoCaptioner(): { model: CocoCaptioner; origin: string } {
  const dir = shippedCocoCaptionerDir();
  if (!existsSync(join(dir, 'config.json')))
    return { model: cocoCaptionerOfDefaults(), origin: 'train coco defaults, random weights' };
  const model = loadModelDir(dir);
  if (!(model instanceof CocoCaptioner)) throw new Error(`${dir}: not a photo captioner`);
  model.eval();
  return { model, origin: dir };
}

/**
 * CAP: one photo captioned end to end in Node — read and decode the JPEG (sharp), resize to 300×300, run the
 * detector, caption (greedy or beam 3) — with the captioner of `benchCocoCaptioner`.
 */
export async function captionOurs(beamSize: number): Promise<Runner> {
  const { model } = benchCocoCaptioner();
  const detector = loadObjectronDetector();
  const path = benchPhotoPath();
  return {
    async run() {
      const t0 = performance.now();
      const image = await readImage(path);
      const result = model.caption(detector, image, { beamSize });
      const ms = performance.now() - t0;
      if (!result.captions[0]) throw new Error('CAP: no caption');
      return ms;
    },
  };
}
