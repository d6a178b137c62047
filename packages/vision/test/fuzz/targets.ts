// Fuzz targets of @recurrent/vision's parsers: image headers and decoding (JPEG, PNG, WebP), the TFLite flatbuffer
// reader and graph builder, saved captioner directories and the recurrent-vision command line.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import {
  cliTarget,
  EXTREME_INTEGERS,
  modelDirTarget,
  mutateBytes,
  TYPED_ERRORS,
  type CliCase,
  type FuzzRandom,
  type FuzzTarget,
  type ModelDirFiles,
} from '@recurrent/test-support';
import { loadModelDir } from '@recurrent/core/node';
import {
  CaptionVocabulary,
  checkImageSize,
  CocoCaptioner,
  readImageHeader,
  readTflite,
  SceneCaptioner,
  TfliteGraph,
} from '../../src/index.js';
import { loadObjectronDetectorAssets, readImage, runCli, saveVisionModel } from '../../src/node.js';

/** Small valid images of the three formats, drawn from one seeded RGBA pattern. */
async function validImages(): Promise<Uint8Array[]> {
  const width = 23;
  const height = 17;
  const pixels = Buffer.alloc(width * height * 4);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 37 + (i >> 5) * 11) & 0xff;
  const raw = { raw: { width, height, channels: 4 as const } };
  return Promise.all([
    sharp(pixels, raw).png().toBuffer(),
    sharp(pixels, raw).jpeg({ quality: 80 }).toBuffer(),
    sharp(pixels, raw).jpeg({ progressive: true }).toBuffer(),
    sharp(pixels, raw).webp({ lossless: true }).toBuffer(),
    sharp(pixels, raw).webp({ quality: 70 }).toBuffer(),
  ]).then((buffers) => buffers.map((b) => new Uint8Array(b)));
}

/** Where a format keeps its dimensions and chunk or segment lengths. */
function imageHotOffsets(bytes: Uint8Array): number[] {
  if (bytes[0] === 0x89) return [8, 16, 18, 20, 22, 33]; // PNG: IHDR length, width, height, next chunk length
  if (bytes[0] === 0x52) return [4, 16, 24, 26, 28]; // WebP: RIFF size, chunk size, VP8/VP8L dimensions
  const hot: number[] = [];
  for (let i = 2; i + 4 < bytes.length && hot.length < 24; i++) {
    // JPEG: each marker's segment length, and the SOF's height and width.
    if (bytes[i] === 0xff && bytes[i + 1] !== 0 && bytes[i + 1] !== 0xff) {
      hot.push(i + 2);
      if (bytes[i + 1] === 0xc0 || bytes[i + 1] === 0xc2) hot.push(i + 5, i + 7);
    }
  }
  return hot;
}

function imageTarget(parser: string, run: (bytes: Uint8Array) => unknown, timeLimitMs: number): FuzzTarget<Uint8Array> {
  let images: Uint8Array[] = [];
  return {
    parser,
    async prepare() {
      images = await validImages();
    },
    generate(random) {
      const image = random.pick(images);
      return mutateBytes(random, image, { others: images, hotOffsets: imageHotOffsets(image) });
    },
    run,
    rule: () => ({ accepts: TYPED_ERRORS, names: ['fuzz-image'] }),
    inputBytes: (bytes) => bytes.length,
    timeLimitMs,
  };
}

/** The browser's check: format and dimensions from the header, the pixel limit. */
export function imageHeaderTarget(): FuzzTarget<Uint8Array> {
  return imageTarget(
    'image headers (vision)',
    (bytes) => {
      const header = readImageHeader(bytes, 'fuzz-image');
      checkImageSize(header, 'fuzz-image');
    },
    10_000,
  );
}

/** Node's reader: the header checks, then sharp's decode of mutated and truncated pixel data. */
export function imageDecodeTarget(): FuzzTarget<Uint8Array> {
  return imageTarget('image decoding (vision)', (bytes) => readImage(bytes, { name: 'fuzz-image' }), 10_000);
}

interface TfliteCase {
  /** The model with the case's changes applied (a view of the shared buffer, or a copy for splices). */
  bytes: Uint8Array;
  /** In-place changes to the shared 10 MB model, undone after the case (a copy per case costs more than parsing). */
  patches: { at: number; value: Uint8Array; saved: Uint8Array }[];
  /** Also build the interpreter's graph (dequantised constants, shape checks) — the slow part. */
  graph: boolean;
}

/** The flatbuffer's root offset, and a spread of 32-bit words (vtable and vector offsets and lengths live there). */
function tfliteHotOffsets(bytes: Uint8Array): number[] {
  const hot = [0, 4];
  const root = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true);
  for (let i = 0; i < 64; i += 4) hot.push(root + i - 32);
  return hot.filter((o) => o >= 0 && o + 4 <= bytes.length);
}

/** 1–4 in-place changes: extreme integers in 32-bit words (offsets, lengths, vector sizes) or flipped bits. */
function tflitePatches(random: FuzzRandom, model: Uint8Array, hot: readonly number[]): TfliteCase['patches'] {
  const patches: TfliteCase['patches'] = [];
  for (let i = random.between(1, 4); i > 0; i--) {
    const at = random.chance(0.4) ? random.pick(hot) : 4 * random.int(Math.floor(model.length / 4) - 1);
    const value = new Uint8Array(4);
    if (random.chance(0.7)) new DataView(value.buffer).setUint32(0, random.pick(EXTREME_INTEGERS) >>> 0, true);
    else {
      value.set(model.subarray(at, at + 4));
      value[random.int(4)] ^= 1 << random.int(8);
    }
    patches.push({ at, value, saved: new Uint8Array(4) });
  }
  return patches;
}

export function tfliteTarget(): FuzzTarget<TfliteCase> {
  let model: Uint8Array | null = null;
  let hot: number[] = [];
  return {
    parser: 'TFLite flatbuffers (vision)',
    generate(random) {
      if (!model) {
        model = loadObjectronDetectorAssets().tflite;
        hot = tfliteHotOffsets(model);
      }
      const graph = random.chance(0.02);
      const kind = random.int(10);
      if (kind < 7) return { bytes: model, patches: tflitePatches(random, model, hot), graph };
      if (kind < 9) return { bytes: model.subarray(0, random.int(model.length)), patches: [], graph };
      return { bytes: mutateBytes(random, model, { hotOffsets: hot, count: 1 }), patches: [], graph };
    },
    run({ bytes, patches, graph }) {
      for (const p of patches) {
        p.saved.set(bytes.subarray(p.at, p.at + 4));
        bytes.set(p.value, p.at);
      }
      const parsed = readTflite(bytes, 'fuzz.tflite');
      if (graph) new TfliteGraph(parsed, 'fuzz.tflite');
    },
    dispose({ bytes, patches }) {
      for (const p of [...patches].reverse()) bytes.set(p.saved, p.at);
    },
    rule: () => ({ accepts: TYPED_ERRORS, names: ['fuzz.tflite'] }),
    inputBytes: ({ bytes }) => bytes.length,
    timeLimitMs: 20_000,
  };
}

/** The files saveVisionModel writes for `model`, read back into memory. */
function savedFiles(model: SceneCaptioner | CocoCaptioner): ModelDirFiles {
  const dir = mkdtempSync(join(tmpdir(), 'recurrent-fuzz-vision-'));
  saveVisionModel(dir, model, { training: { task: 'scenes' }, metrics: { valid: { exact_match: 0.1 } } });
  const files: ModelDirFiles = {};
  for (const name of readdirSync(dir)) {
    const bytes = readFileSync(join(dir, name));
    files[name] = name.endsWith('.json') ? bytes.toString('utf8') : new Uint8Array(bytes);
  }
  return files;
}

function tinyScene(): SceneCaptioner {
  const architecture = {
    imageSize: 16,
    encoderWidth: 4,
    encoderBlocks: 2,
    embDim: 4,
    hiddenSize: 6,
    dropout: 0,
    maxLength: 6,
  };
  return new SceneCaptioner(architecture, { seed: 1 });
}

function tinyCoco(): CocoCaptioner {
  const vocabulary = new CaptionVocabulary(['a', 'cat', 'dog', 'on', 'the']);
  return new CocoCaptioner({ grid: 'grid10', embDim: 4, hiddenSize: 6, dropout: 0, maxLength: 6 }, vocabulary, {
    seed: 1,
  });
}

export function visionModelDirTargets(): FuzzTarget<never>[] {
  return [
    modelDirTarget(
      'model dir (vision scene captioner)',
      () => savedFiles(tinyScene()),
      (d) => loadModelDir(d),
    ),
    modelDirTarget(
      'model dir (vision coco captioner)',
      () => savedFiles(tinyCoco()),
      (d) => loadModelDir(d),
    ),
  ] as unknown as FuzzTarget<never>[];
}

/**
 * recurrent-vision with hostile arguments. Its training tasks draw synthetic scenes (no data folder to take away), so
 * `train` is left out of the vocabulary: the command lines caption images and evaluate with an empty data folder.
 */
export function visionCliTarget(): FuzzTarget<CliCase> {
  const target = cliTarget('CLI arguments (recurrent-vision)', runCli, (root) => {
    const scene = join(root, 'scene');
    saveVisionModel(scene, tinyScene(), { training: { task: 'scenes' }, metrics: {} });
    const empty = join(root, 'no-data');
    mkdirSync(empty);
    const png = join(root, 'image.png');
    writeFileSync(png, images[0] ?? new Uint8Array());
    const jpg = join(root, 'image.jpg');
    writeFileSync(jpg, images[1] ?? new Uint8Array());
    return {
      templates: [
        ['caption', '--model', scene, png],
        ['caption', '--model', scene, '--beam', '2', '--json', jpg, png],
        ['eval', '--model', scene, '--data-dir', empty],
        ['eval', 'coco', '--model', scene, '--data-dir', empty],
        ['tasks'],
        ['help'],
      ],
      words: ['caption', 'eval', 'tasks', 'help', 'scenes', 'coco', '--model', '--beam', '--json', '--write'],
      values: [scene, png, jpg, empty, join(scene, 'config.json'), '0', '65'],
      stdinLines: [''],
      emptyDataDir: empty,
    };
  });
  let images: Uint8Array[] = [];
  return {
    ...target,
    async prepare() {
      images = await validImages();
    },
  };
}

export function visionFuzzTargets(): FuzzTarget<never>[] {
  return [
    imageHeaderTarget(),
    imageDecodeTarget(),
    tfliteTarget(),
    ...visionModelDirTargets(),
    visionCliTarget(),
  ] as unknown as FuzzTarget<never>[];
}
