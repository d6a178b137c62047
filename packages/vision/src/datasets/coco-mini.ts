import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FormatError, RecurrentError } from '@recurrent/core';
import { findDataDir } from '@recurrent/core/node';

/** The coco-mini-captions folder is missing. */
export class DatasetNotFoundError extends RecurrentError {}

/** One photo of coco-mini-captions (shared/data/coco-mini-captions/SOURCE.md) with its five captions. */
export interface CocoMiniImage {
  split: 'train' | 'val';
  /** Absolute path of the JPEG. */
  path: string;
  imageId: number;
  width: number;
  height: number;
  license: string;
  licenseUrl: string;
  flickrUrl: string;
  captions: string[];
}

export interface CocoMiniOptions {
  /** The data root holding coco-mini-captions/ (default: $RECURRENT_DATA, else the nearest shared/data). */
  dataDir?: string;
  split?: 'train' | 'val';
}

/** The coco-mini-captions folder; DatasetNotFoundError saying where it looked. */
export function findCocoMini(options: Pick<CocoMiniOptions, 'dataDir'> = {}): string {
  const root = options.dataDir ?? findDataDir();
  const dir = root ? join(root, 'coco-mini-captions') : null;
  if (!dir || !existsSync(join(dir, 'captions.jsonl'))) {
    throw new DatasetNotFoundError(
      `coco-mini-captions not found (looked in ${dir ?? 'no data root'}); set RECURRENT_DATA to the folder holding it`,
    );
  }
  return dir;
}

/** The photos of coco-mini-captions (captions.jsonl), optionally one split, in file order. */
export function readCocoMini(options: CocoMiniOptions = {}): CocoMiniImage[] {
  const dir = findCocoMini(options);
  const file = join(dir, 'captions.jsonl');
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
  const images = lines.map((line, i): CocoMiniImage => {
    let r: Record<string, unknown>;
    try {
      r = JSON.parse(line) as Record<string, unknown>;
    } catch (e) {
      throw new FormatError(`${file}:${i + 1}: not JSON (${(e as Error).message})`);
    }
    const captions = r.captions;
    if ((r.split !== 'train' && r.split !== 'val') || typeof r.file !== 'string' || !Array.isArray(captions)) {
      throw new FormatError(`${file}:${i + 1}: expected split "train"|"val", file and captions`);
    }
    return {
      split: r.split,
      path: join(dir, r.file),
      imageId: Number(r.image_id),
      width: Number(r.width),
      height: Number(r.height),
      license: String(r.license ?? ''),
      licenseUrl: String(r.license_url ?? ''),
      flickrUrl: String(r.flickr_url ?? ''),
      captions: captions.map(String),
    };
  });
  return options.split ? images.filter((x) => x.split === options.split) : images;
}
