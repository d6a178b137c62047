import { type Generator, ValueError } from '@recurrent/core';

/**
 * Hold out a random fraction of items (e.g. a validation set carved from IMDB train, which has none): a seeded
 * permutation, the first round(fraction·n) items of it held out. Both parts keep the input order.
 */
export function randomSplit<T>(
  items: readonly T[],
  fraction: number,
  generator: Generator,
): { kept: T[]; heldOut: T[] } {
  if (!(fraction > 0 && fraction < 1)) throw new ValueError(`randomSplit: fraction must be in (0, 1), got ${fraction}`);
  const held = new Uint8Array(items.length);
  const perm = generator.permutation(items.length);
  const count = Math.round(fraction * items.length);
  for (let i = 0; i < count; i++) held[perm[i]!] = 1;
  const kept: T[] = [];
  const heldOut: T[] = [];
  items.forEach((item, i) => {
    (held[i] ? heldOut : kept).push(item);
  });
  return { kept, heldOut };
}
