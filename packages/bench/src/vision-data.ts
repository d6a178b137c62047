// The vision workloads' inputs: one coco-mini val photo, decoded and preprocessed as the detector takes it, and the
// detector's feature-grid tensor names.
import { FEATURE_GRIDS, SsdMobileNetV2, type FeatureGridName } from '@recurrent/vision';
import { readCocoMini, readImage, type DecodedImage } from '@recurrent/vision/node';
import type { Tensor } from '@recurrent/core';

/** The photo every vision row uses: the first photo of coco-mini's val split (captions.jsonl order). */
export function benchPhotoPath(): string {
  const [photo] = readCocoMini({ split: 'val' });
  if (!photo) throw new Error('coco-mini-captions has no val photo');
  return photo.path;
}

/** The bench photo decoded (sharp) and preprocessed to the detector's [1, 3, 300, 300] input in [−1, 1]. */
export async function benchPhotoInput(): Promise<{ image: DecodedImage; input: Tensor; path: string }> {
  const path = benchPhotoPath();
  const image = await readImage(path);
  return { image, input: SsdMobileNetV2.preprocess(image), path };
}

/** The full TFLite tensor name of a feature grid (names carry `;`-joined aliases after the layer name). */
export function gridTensorName(detector: SsdMobileNetV2, grid: FeatureGridName): string {
  const t = detector.graph.subgraph.tensors.find((x) => x.name.split(';')[0] === FEATURE_GRIDS[grid]);
  if (!t) throw new Error(`${detector.graph.source}: no tensor for ${grid}`);
  return t.name;
}
