// Node-only: coco-mini photos decoded once (sharp is asynchronous, the runner is not) and the detector's features
// of each photo, computed once per process and kept in memory.
import { ValueError } from '@recurrent/core';
import type { SsdMobileNetV2, FeatureGridName } from '../detector/ssd-mobilenet-v2.js';
import { readImage, type DecodedImage } from '../image/read-image.js';
import { CocoCaptioner, type DetectorFeatures } from '../models/coco-captioner.js';
import type { CocoMiniImage } from '../datasets/coco-mini.js';

const decoded = new Map<string, DecodedImage>();
const features = new Map<string, DetectorFeatures>();

/** Decode the photos (before a synchronous training run reads them). */
export async function decodePhotos(images: readonly CocoMiniImage[]): Promise<void> {
  for (const image of images) if (!decoded.has(image.path)) decoded.set(image.path, await readImage(image.path));
}

/** The detector's grid and class scores of each photo (decoded first with `decodePhotos`). */
export function photoFeatures(
  detector: SsdMobileNetV2,
  images: readonly CocoMiniImage[],
  grid: FeatureGridName,
  log: (line: string) => void = () => {},
): DetectorFeatures[] {
  const started = Date.now();
  return images.map((image, i) => {
    const key = `${grid}:${image.path}`;
    let f = features.get(key);
    if (!f) {
      const pixels = decoded.get(image.path);
      if (!pixels) throw new ValueError(`${image.path}: not decoded (call decodePhotos before photoFeatures)`);
      f = CocoCaptioner.features(detector, pixels, grid);
      features.set(key, f);
      if ((i + 1) % 20 === 0 || i + 1 === images.length)
        log(`detector features: ${i + 1}/${images.length} photos (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    }
    return f;
  });
}
