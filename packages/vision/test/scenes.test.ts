import { describe, expect, it } from 'vitest';
import { ValueError } from '@recurrent/core';
import {
  BACKGROUND_RGB,
  COLOUR_RGB,
  HELD_OUT_PAIRS,
  captionScene,
  imageToTensor,
  isHeldOutPair,
  sceneSplit,
  sceneVocabulary,
  type Scene,
} from '../src/index.js';

const train = sceneSplit('train', 300, { seed: 1 });
const test = sceneSplit('test', 100, { seed: 1 });
const heldout = sceneSplit('heldout', 100, { seed: 1 });

describe('scene generator', () => {
  it('is deterministic by seed and index, and differs between seeds and splits', () => {
    const again = sceneSplit('train', 300, { seed: 1 });
    expect(again.map((s) => s.caption.text)).toEqual(train.map((s) => s.caption.text));
    expect(again.every((s, i) => Buffer.from(s.rgba).equals(Buffer.from(train[i]!.rgba)))).toBe(true);
    const piece = sceneSplit('train', 5, { seed: 1, start: 100 });
    expect(piece.map((s) => s.caption.text)).toEqual(train.slice(100, 105).map((s) => s.caption.text));
    const other = sceneSplit('train', 300, { seed: 2 });
    expect(other.filter((s, i) => s.caption.text === train[i]!.caption.text).length).toBeLessThan(30);
    expect(test.filter((s, i) => Buffer.from(s.rgba).equals(Buffer.from(train[i]!.rgba))).length).toBe(0);
  });

  it('draws 1–4 objects of every size, colour and shape', () => {
    const counts = new Set(train.map((s) => s.objects.length));
    expect([...counts].sort()).toEqual([1, 2, 3, 4]);
    const words = new Set(train.flatMap((s) => s.caption.tokens));
    for (const w of sceneVocabulary()) expect(words.has(w), w).toBe(true);
  });

  it('masks match the rendered pixels: mask pixels have their object’s colour, all others the background', () => {
    for (const scene of [...train.slice(0, 50), ...heldout.slice(0, 20)]) {
      const { size, rgba, masks, objects } = scene;
      const wrong: string[] = [];
      for (let p = 0; p < size * size; p++) {
        const owners = masks.map((m, i) => (m[p] ? i : -1)).filter((i) => i >= 0);
        const want = owners.length ? COLOUR_RGB[objects[owners[0]!]!.colour] : BACKGROUND_RGB;
        const got = [rgba[4 * p], rgba[4 * p + 1], rgba[4 * p + 2], rgba[4 * p + 3]];
        if (owners.length > 1 || got.some((v, c) => v !== [...want, 255][c]))
          wrong.push(`pixel ${p}: ${got} owners ${owners}`);
      }
      expect(wrong.slice(0, 3), scene.caption.text).toEqual([]);
      // Every object is visible, and larger objects cover more pixels than small ones of the same shape.
      masks.forEach((m, i) => {
        expect(
          m.reduce((a, b) => a + b, 0),
          `object ${i}`,
        ).toBeGreaterThan(8);
      });
    }
  });

  it('captions describe the scene: counts, attributes in order, and relations that hold', () => {
    for (const scene of train) {
      const { tokens, objectOfToken, kinds } = scene.caption;
      const n = scene.objects.length;
      // Every object is described once, by its own size, colour and shape.
      for (let i = 0; i < n; i++) {
        const own = tokens.filter((_, k) => objectOfToken[k] === i);
        const o = scene.objects[i]!;
        expect(own).toEqual([o.size, o.colour, o.shape]);
      }
      if (n === 2) {
        const rel = tokens[kinds.indexOf('relation')];
        const first = scene.objects[objectOfToken[1]!]!;
        const second = scene.objects[objectOfToken[6]!]!;
        if (rel === 'left-of') expect(first.cx).toBeLessThan(second.cx);
        else expect(first.cy).toBeLessThan(second.cy);
      }
      if (n >= 3) {
        expect(tokens[0]).toBe(n === 3 ? 'three' : 'four');
        const order = objectOfToken.filter((o, k) => o >= 0 && kinds[k] === 'shape');
        const xs = order.map((i) => scene.objects[i]!.cx);
        expect(xs).toEqual([...xs].sort((a, b) => a - b));
      }
    }
    const one = captionScene([{ shape: 'circle', colour: 'red', size: 'large', cx: 10, cy: 10, radius: 5 }]);
    expect(one.text).toBe('a large red circle');
    const two = captionScene([
      { shape: 'circle', colour: 'red', size: 'large', cx: 40, cy: 10, radius: 5 },
      { shape: 'square', colour: 'blue', size: 'small', cx: 10, cy: 14, radius: 3 },
    ]);
    expect(two.text).toBe('a small blue square left-of a large red circle');
  });

  it('keeps the held-out colour–shape pairs out of train and test, and puts one in every held-out scene', () => {
    const pairsOf = (s: Scene) => s.objects.map((o) => isHeldOutPair(o.colour, o.shape));
    for (const s of [...train, ...test]) expect(pairsOf(s).some(Boolean)).toBe(false);
    for (const s of heldout) expect(pairsOf(s).some(Boolean)).toBe(true);
    const seen = new Set(
      heldout.flatMap((s) =>
        s.objects.filter((o) => isHeldOutPair(o.colour, o.shape)).map((o) => `${o.colour} ${o.shape}`),
      ),
    );
    expect(seen.size).toBe(HELD_OUT_PAIRS.length);
  });

  it('feeds the shared preprocessing and rejects bad options', () => {
    const s = train[0]!;
    const t = imageToTensor({ data: s.rgba, width: s.size, height: s.size }, { size: s.size });
    expect(t.shape).toEqual([1, 3, 64, 64]);
    expect(() => sceneSplit('train', 2, { minObjects: 0 })).toThrow(ValueError);
    expect(() => sceneSplit('nope' as 'train', 2)).toThrow(/split must be one of train, test, heldout/);
    expect(() => sceneSplit('train', 1, { size: 8 })).toThrow(/size must be an integer ≥ 16/);
  });
});
