import { COUNT_WORDS, type Colour, type Relation, type Shape, type Size } from './attributes.js';

/** What a caption token says about the scene. */
export type SlotKind = 'count' | 'size' | 'colour' | 'shape' | 'relation' | 'function';

export interface SceneObject {
  shape: Shape;
  colour: Colour;
  size: Size;
  /** Centre in pixels. */
  cx: number;
  cy: number;
  radius: number;
}

export interface SceneCaption {
  text: string;
  tokens: string[];
  /** Per token: its slot kind. */
  kinds: SlotKind[];
  /** Per token: the index of the object it describes (size/colour/shape words), else −1. */
  objectOfToken: number[];
}

/**
 * The canonical caption of a scene (a small grammar; one caption per scene, so exact match is well defined):
 * - 1 object: "a large red circle"
 * - 2 objects: "a small red circle left-of a large blue square" (the left one first, when the centres differ
 *   more horizontally) or "… above …" (the upper one first, when they differ more vertically)
 * - 3–4 objects: "three objects : a small red circle , a large blue square and a small green diamond" (left to right)
 */
export function captionScene(objects: readonly SceneObject[]): SceneCaption {
  const tokens: string[] = [];
  const kinds: SlotKind[] = [];
  const objectOfToken: number[] = [];
  const push = (token: string, kind: SlotKind, object = -1): void => {
    tokens.push(token);
    kinds.push(kind);
    objectOfToken.push(object);
  };
  const describe = (i: number): void => {
    const o = objects[i]!;
    push('a', 'function');
    push(o.size, 'size', i);
    push(o.colour, 'colour', i);
    push(o.shape, 'shape', i);
  };
  const n = objects.length;
  if (n === 1) {
    describe(0);
  } else if (n === 2) {
    const [a, b] = objects as [SceneObject, SceneObject];
    const relation: Relation = Math.abs(a.cx - b.cx) >= Math.abs(a.cy - b.cy) ? 'left-of' : 'above';
    const aFirst = relation === 'left-of' ? a.cx < b.cx : a.cy < b.cy;
    describe(aFirst ? 0 : 1);
    push(relation, 'relation');
    describe(aFirst ? 1 : 0);
  } else {
    push(COUNT_WORDS[n] ?? String(n), 'count');
    push('objects', 'function');
    push(':', 'function');
    const order = objects.map((_, i) => i).sort((i, j) => objects[i]!.cx - objects[j]!.cx);
    order.forEach((i, k) => {
      if (k > 0) push(k === n - 1 ? 'and' : ',', 'function');
      describe(i);
    });
  }
  return { text: tokens.join(' '), tokens, kinds, objectOfToken };
}
