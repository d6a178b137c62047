import { Generator, ValueError } from '@recurrent/core';
import { COLOURS, HELD_OUT_PAIRS, SHAPES, SIZES, isHeldOutPair, type Colour, type Shape } from './attributes.js';
import { captionScene, type SceneCaption, type SceneObject } from './caption.js';
import { renderShapes } from './render.js';

export type SceneSplit = 'train' | 'test' | 'heldout';
export const SCENE_SPLITS: readonly SceneSplit[] = ['train', 'test', 'heldout'];

/** A rendered synthetic scene with its caption and one mask per object. */
export interface Scene {
  /** Width = height in pixels. */
  size: number;
  objects: SceneObject[];
  /** RGBA pixels, row-major, alpha 255 (ready for `imageToTensor` or a canvas). */
  rgba: Uint8Array;
  /** Per object: 1 where the object is drawn, 0 elsewhere (objects never overlap). */
  masks: Uint8Array[];
  caption: SceneCaption;
}

export interface SceneOptions {
  /** Image side in pixels (default 64). */
  size?: number;
  /** Object count range (default 1–4). */
  minObjects?: number;
  maxObjects?: number;
}

/** Radius in pixels of each size word at a given image side: small ≈ 7 %, large ≈ 13 % of the side. */
export function radiusOf(size: 'small' | 'large', side: number): number {
  return (size === 'small' ? 0.07 : 0.13) * side;
}

type Pair = readonly [Colour, Shape];
const ALL_PAIRS: Pair[] = COLOURS.flatMap((c) => SHAPES.map((s) => [c, s] as const));
const SEEN_PAIRS = ALL_PAIRS.filter(([c, s]) => !isHeldOutPair(c, s));

/** Draw object placements until they are clear of each other and their relations/orders are unambiguous. */
function placeObjects(g: Generator, pairs: Pair[], side: number): SceneObject[] | null {
  const objects: SceneObject[] = [];
  for (const [colour, shape] of pairs) {
    const size = SIZES[g.randint(SIZES.length)]!;
    const radius = radiusOf(size, side);
    let placed = false;
    for (let attempt = 0; attempt < 50 && !placed; attempt++) {
      const cx = radius + 1 + g.random() * (side - 2 * radius - 2);
      const cy = radius + 1 + g.random() * (side - 2 * radius - 2);
      // Clear of every other object by 2 px, and at least 3 px apart horizontally (a strict left-to-right order).
      const clear = objects.every(
        (o) => Math.hypot(o.cx - cx, o.cy - cy) >= o.radius + radius + 2 && Math.abs(o.cx - cx) >= 3,
      );
      if (clear) {
        objects.push({ shape, colour, size, cx, cy, radius });
        placed = true;
      }
    }
    if (!placed) return null;
  }
  if (objects.length === 2) {
    // "left-of" vs "above" must be clear: one axis at least 1.5× the other.
    const [a, b] = objects as [SceneObject, SceneObject];
    const dx = Math.abs(a.cx - b.cx);
    const dy = Math.abs(a.cy - b.cy);
    if (Math.max(dx, dy) < 1.5 * Math.min(dx, dy)) return null;
  }
  return objects;
}

/**
 * One scene drawn with `g`. Train and test scenes use only the (colour, shape) pairs not held out; held-out scenes
 * contain at least one held-out pair (their other objects may be any pair).
 */
export function generateScene(g: Generator, split: SceneSplit, options: SceneOptions = {}): Scene {
  const side = options.size ?? 64;
  const lo = options.minObjects ?? 1;
  const hi = options.maxObjects ?? 4;
  if (!Number.isInteger(side) || side < 16)
    throw new ValueError(`generateScene: size must be an integer ≥ 16, got ${side}`);
  if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 1 || hi > 4 || lo > hi) {
    throw new ValueError(`generateScene: object counts must satisfy 1 ≤ minObjects ≤ maxObjects ≤ 4, got ${lo}–${hi}`);
  }
  // Rejection sampling; at the sizes allowed (≥ 16 px) a draw is accepted within a few attempts.
  for (let attempt = 0; attempt < MAX_SCENE_ATTEMPTS; attempt++) {
    const n = lo + g.randint(hi - lo + 1);
    const pairs: Pair[] = [];
    for (let i = 0; i < n; i++) {
      const pool = split === 'heldout' ? (i === 0 ? HELD_OUT_PAIRS : ALL_PAIRS) : SEEN_PAIRS;
      pairs.push(pool[g.randint(pool.length)]!);
    }
    if (split === 'heldout') g.shuffle(pairs);
    const objects = placeObjects(g, pairs, side);
    if (!objects) continue;
    const { rgba, masks } = renderShapes(objects, side);
    return { size: side, objects, rgba, masks, caption: captionScene(objects) };
  }
  throw new ValueError(
    `generateScene: no valid placement of ${lo}–${hi} objects in ${MAX_SCENE_ATTEMPTS} draws at size ${side}`,
  );
}

const MAX_SCENE_ATTEMPTS = 1000;

const SPLIT_STREAM: Record<SceneSplit, number> = { train: 1, test: 2, heldout: 3 };

/** The generator of scene `index` of `split` under `seed`: every scene is reproducible on its own. */
export function sceneGenerator(seed: number, split: SceneSplit, index: number): Generator {
  // A simple integer mix of (seed, split, index) into one 32-bit seed.
  let h = (seed >>> 0) ^ 0x9e3779b9;
  for (const v of [SPLIT_STREAM[split], index]) {
    h = Math.imul(h ^ v, 0x85ebca6b) >>> 0;
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35) >>> 0;
    h ^= h >>> 16;
  }
  return new Generator(h);
}

export interface SceneSplitOptions extends SceneOptions {
  seed?: number;
  /** First scene index (default 0), to draw a split in pieces. */
  start?: number;
}

/** `count` scenes of `split`, scene i drawn from `sceneGenerator(seed, split, start + i)`. */
export function sceneSplit(split: SceneSplit, count: number, options: SceneSplitOptions = {}): Scene[] {
  if (!SCENE_SPLITS.includes(split))
    throw new ValueError(`sceneSplit: split must be one of ${SCENE_SPLITS.join(', ')}, got ${split}`);
  if (!Number.isInteger(count) || count < 0)
    throw new ValueError(`sceneSplit: count must be a non-negative integer, got ${count}`);
  const seed = options.seed ?? 0;
  const start = options.start ?? 0;
  return Array.from({ length: count }, (_, i) => generateScene(sceneGenerator(seed, split, start + i), split, options));
}

/** Every word a scene caption can contain, in a fixed order (for a fixed vocabulary). */
export function sceneVocabulary(): string[] {
  return ['a', 'objects', ':', ',', 'and', 'left-of', 'above', 'three', 'four', ...SIZES, ...COLOURS, ...SHAPES];
}
