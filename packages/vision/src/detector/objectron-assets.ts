import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { FormatError } from '@recurrent/core';

/** The files of `@mediapipe/objectron` that hold the SSD-MobileNetV2 detector and its label map. */
export const OBJECTRON_PACKAGE = '@mediapipe/objectron';
const PACKED_DATA = 'objectron_solution_packed_assets.data';
const PACKED_LOADER = 'objectron_solution_packed_assets_loader.js';
const DETECTOR_FILE = 'object_detection_ssd_mobilenetv2_oidv4_fp16.tflite';
const LABELMAP_FILE = 'object_detection_oidv4_labelmap.txt';

export interface ObjectronDetectorAssets {
  /** The detector's TFLite flatbuffer (a view into the packed file). */
  tflite: Uint8Array;
  /** The label map, one class name per line (index 0 is the background class "???"). */
  labels: string[];
  /** Where they came from, for errors and model cards. */
  source: string;
  /** The npm package version they were read from. */
  version: string;
}

interface PackedFile {
  filename: string;
  start: number;
  end: number;
}

/** The directory of the installed `@mediapipe/objectron` package. */
export function objectronPackageDir(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve(`${OBJECTRON_PACKAGE}/package.json`));
}

/**
 * Read the packed assets' file table from the Emscripten loader script (`loadPackage({"files": [...]})`), so the
 * offsets are the package's own rather than numbers copied into our code.
 */
export function readPackedFileTable(loaderSource: string, where: string): PackedFile[] {
  const match = /loadPackage\((\{"files":.*?\})\);/s.exec(loaderSource);
  if (!match?.[1]) throw new FormatError(`${where}: no loadPackage({"files": ...}) table found`);
  let table: unknown;
  try {
    table = JSON.parse(match[1]);
  } catch (e) {
    throw new FormatError(`${where}: the loadPackage table is not JSON (${(e as Error).message})`);
  }
  const files = (table as { files?: unknown }).files;
  if (!Array.isArray(files)) throw new FormatError(`${where}: loadPackage table has no "files" list`);
  return files.map((f, i) => {
    const { filename, start, end } = f as Partial<PackedFile>;
    if (
      typeof filename !== 'string' ||
      !Number.isInteger(start) ||
      !Number.isInteger(end) ||
      start! < 0 ||
      end! < start!
    ) {
      throw new FormatError(`${where}: file entry ${i} is malformed: ${JSON.stringify(f)}`);
    }
    return { filename, start: start!, end: end! };
  });
}

/**
 * Extract MediaPipe Objectron's SSD-MobileNetV2 (Open Images V4 classes, float16 weights) and its label map from the
 * installed npm package, in memory. The model is not copied into this repository: the package carries Apache-2.0
 * terms in its package.json but no licence file, so it is read from node_modules at run time.
 */
export function loadObjectronDetectorAssets(packageDir: string = objectronPackageDir()): ObjectronDetectorAssets {
  const dataPath = join(packageDir, PACKED_DATA);
  const loaderPath = join(packageDir, PACKED_LOADER);
  const files = readPackedFileTable(readFileSync(loaderPath, 'utf8'), loaderPath);
  const data = readFileSync(dataPath);
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const slice = (name: string): Uint8Array => {
    const f = files.find((x) => x.filename.endsWith(`/${name}`));
    if (!f) throw new FormatError(`${loaderPath}: no packed file named ${name}`);
    if (f.end > bytes.byteLength) {
      throw new FormatError(
        `${dataPath}: ${name} spans bytes ${f.start}–${f.end}, the file has ${bytes.byteLength} (truncated?)`,
      );
    }
    return bytes.subarray(f.start, f.end);
  };
  const labels = new TextDecoder()
    .decode(slice(LABELMAP_FILE))
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version?: string };
  return {
    tflite: slice(DETECTOR_FILE),
    labels,
    source: `${dataPath}:${DETECTOR_FILE}`,
    version: pkg.version ?? 'unknown',
  };
}
