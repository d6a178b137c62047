import { SsdMobileNetV2 } from './ssd-mobilenet-v2.js';
import { loadObjectronDetectorAssets } from './objectron-assets.js';

/** The SSD-MobileNetV2 detector read from the installed `@mediapipe/objectron` package (Node). */
export function loadObjectronDetector(packageDir?: string): SsdMobileNetV2 {
  const assets = loadObjectronDetectorAssets(packageDir);
  return new SsdMobileNetV2(assets.tflite, assets.labels, assets.source);
}
