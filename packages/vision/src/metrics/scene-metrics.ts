import { ValueError } from '@recurrent/core';
import type { SceneCaption, SlotKind } from '../scenes/caption.js';

export type ContentSlot = Exclude<SlotKind, 'function'>;
export const CONTENT_SLOTS: readonly ContentSlot[] = ['count', 'size', 'colour', 'shape', 'relation'];

export interface Rate {
  correct: number;
  total: number;
  /** correct / total (NaN when total is 0). */
  rate: number;
}

const rate = (correct: number, total: number): Rate => ({ correct, total, rate: total ? correct / total : Number.NaN });

/** Fraction of predictions (token lists) equal to their scene's caption, token for token. */
export function exactMatch(predicted: readonly (readonly string[])[], truth: readonly SceneCaption[]): Rate {
  checkLengths('exactMatch', predicted.length, truth.length);
  const correct = predicted.filter((p, i) => p.join(' ') === truth[i]!.text).length;
  return rate(correct, truth.length);
}

/**
 * Per-slot accuracy: for every content token of the true caption (count, size, colour, shape, relation), whether the
 * prediction has the same token at the same position. The grammar is canonical, so positions line up exactly when
 * the prediction has the right structure; a structurally wrong caption loses the slots it misplaces.
 */
export function slotAccuracy(
  predicted: readonly (readonly string[])[],
  truth: readonly SceneCaption[],
): Record<ContentSlot, Rate> {
  checkLengths('slotAccuracy', predicted.length, truth.length);
  const counts = Object.fromEntries(CONTENT_SLOTS.map((s) => [s, [0, 0]])) as Record<ContentSlot, [number, number]>;
  truth.forEach((t, i) => {
    const p = predicted[i]!;
    t.kinds.forEach((kind, k) => {
      if (kind === 'function') return;
      const c = counts[kind];
      c[1]++;
      if (p[k] === t.tokens[k]) c[0]++;
    });
  });
  return Object.fromEntries(CONTENT_SLOTS.map((s) => [s, rate(...counts[s])])) as Record<ContentSlot, Rate>;
}

export interface PointingInput {
  /** The true caption, whose tokens the maps belong to (teacher forcing on the reference). */
  caption: SceneCaption;
  /** One attention map per caption token (gridH·gridW weights, row-major); extra maps (e.g. <eos>) are ignored. */
  attention: readonly ArrayLike<number>[];
  grid: readonly [number, number];
  /** The scene's object masks (size × size). */
  masks: readonly Uint8Array[];
  size: number;
}

/**
 * Pointing accuracy: for every token that names an object's size, colour or shape, whether the argmax cell of the
 * token's attention map covers part of that object — the cell's pixel rectangle (image side / grid per cell)
 * contains at least one pixel of the object's mask.
 */
export function pointingAccuracy(items: readonly PointingInput[]): Rate {
  let correct = 0;
  let total = 0;
  for (const { caption, attention, grid, masks, size } of items) {
    const [gh, gw] = grid;
    caption.objectOfToken.forEach((object, k) => {
      if (object < 0) return;
      const map = attention[k];
      const mask = masks[object];
      if (!map || map.length !== gh * gw)
        throw new ValueError(`pointingAccuracy: token ${k} needs a ${gh}×${gw} map, got ${map?.length ?? 'none'}`);
      if (!mask || mask.length !== size * size)
        throw new ValueError(`pointingAccuracy: object ${object} needs a ${size}×${size} mask`);
      let best = 0;
      for (let c = 1; c < map.length; c++) if (map[c]! > map[best]!) best = c;
      const row = Math.floor(best / gw);
      const col = best % gw;
      const y0 = Math.floor((row * size) / gh);
      const y1 = Math.ceil(((row + 1) * size) / gh);
      const x0 = Math.floor((col * size) / gw);
      const x1 = Math.ceil(((col + 1) * size) / gw);
      let hit = false;
      for (let y = y0; y < y1 && !hit; y++) for (let x = x0; x < x1 && !hit; x++) hit = mask[y * size + x] === 1;
      total++;
      if (hit) correct++;
    });
  }
  return rate(correct, total);
}

function checkLengths(what: string, predicted: number, truth: number): void {
  if (predicted !== truth) throw new ValueError(`${what}: ${predicted} predictions for ${truth} scenes`);
}
