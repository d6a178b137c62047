import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  OBJECTRON_PACKAGE,
  OBJECTRON_PACKED_DATA,
  OBJECTRON_PACKED_LOADER,
  unpackObjectronDetector,
  type ObjectronDetectorAssets,
} from './objectron-packed.js';

/** The directory of the installed `@mediapipe/objectron` package. */
export function objectronPackageDir(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve(`${OBJECTRON_PACKAGE}/package.json`));
}

/**
 * Extract MediaPipe Objectron's SSD-MobileNetV2 (Open Images V4 classes, float16 weights) and its label map from the
 * installed npm package, in memory. The model is not copied into this repository: the package carries Apache-2.0
 * terms in its package.json but no licence file, so it is read from node_modules at run time.
 */
export function loadObjectronDetectorAssets(packageDir: string = objectronPackageDir()): ObjectronDetectorAssets {
  const dataPath = join(packageDir, OBJECTRON_PACKED_DATA);
  const loaderPath = join(packageDir, OBJECTRON_PACKED_LOADER);
  const data = readFileSync(dataPath);
  const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version?: string };
  return unpackObjectronDetector(
    new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    readFileSync(loaderPath, 'utf8'),
    {
      data: dataPath,
      loader: loaderPath,
      version: pkg.version ?? 'unknown',
    },
  );
}
