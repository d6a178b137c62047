import { describeValue, FormatError } from '@recurrent/core';

/** The files of `@mediapipe/objectron` that hold the SSD-MobileNetV2 detector and its label map. */
export const OBJECTRON_PACKAGE = '@mediapipe/objectron';
export const OBJECTRON_PACKED_DATA = 'objectron_solution_packed_assets.data';
export const OBJECTRON_PACKED_LOADER = 'objectron_solution_packed_assets_loader.js';
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

export interface PackedFile {
  filename: string;
  start: number;
  end: number;
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
      throw new FormatError(`${where}: file entry ${i} is malformed: ${describeValue(f)}`);
    }
    return { filename, start: start!, end: end! };
  });
}

/**
 * Cut the detector's TFLite flatbuffer and label map out of the package's packed assets (bytes of
 * `objectron_solution_packed_assets.data` and the text of its loader script) — in memory, in Node or the browser.
 * `source` and `version` label the result.
 */
export function unpackObjectronDetector(
  data: Uint8Array,
  loaderSource: string,
  where: { data: string; loader: string; version: string },
): ObjectronDetectorAssets {
  const files = readPackedFileTable(loaderSource, where.loader);
  const slice = (name: string): Uint8Array => {
    const f = files.find((x) => x.filename.endsWith(`/${name}`));
    if (!f) throw new FormatError(`${where.loader}: no packed file named ${name}`);
    if (f.end > data.byteLength) {
      throw new FormatError(
        `${where.data}: ${name} spans bytes ${f.start}–${f.end}, the file has ${data.byteLength} (truncated?)`,
      );
    }
    return data.subarray(f.start, f.end);
  };
  const labels = new TextDecoder()
    .decode(slice(LABELMAP_FILE))
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  return { tflite: slice(DETECTOR_FILE), labels, source: `${where.data}:${DETECTOR_FILE}`, version: where.version };
}
