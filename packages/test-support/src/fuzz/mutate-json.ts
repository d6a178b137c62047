// Mutations of a valid JSON document: wrong types, extreme numbers, missing and unknown keys, huge and deeply
// nested values — on the parsed tree — and, now and then, a byte-level mutation of the text.
import { mutateBytes } from './mutate-bytes.js';
import type { FuzzRandom } from './random.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Numbers a size, rate or count should be checked against. */
export const EXTREME_NUMBERS: readonly number[] = [
  0,
  -1,
  1,
  -0.5,
  0.5,
  1.5,
  2 ** 31,
  2 ** 32,
  2 ** 53 + 2,
  1e9,
  1e15,
  1e308,
  -1e308,
  Number.MIN_VALUE,
  65536,
  1e6,
];

/** Paths of the objects and arrays in a tree (at most 4,000, at most 40 levels deep: mutations nest deeper). */
function containers(
  value: Json,
  path: (string | number)[] = [],
  out: (string | number)[][] = [],
): (string | number)[][] {
  if (value !== null && typeof value === 'object') {
    out.push(path);
    if (out.length > 4000 || path.length >= 40) return out;
    if (Array.isArray(value)) {
      // Long arrays (a vocabulary): only a few elements are worth descending into.
      const step = Math.max(1, Math.floor(value.length / 8));
      for (let i = 0; i < value.length; i += step) containers(value[i] as Json, [...path, i], out);
    } else for (const [k, v] of Object.entries(value)) containers(v, [...path, k], out);
  }
  return out;
}

function at(root: Json, path: readonly (string | number)[]): Json {
  let v = root;
  for (const p of path) v = (v as Record<string | number, Json>)[p] as Json;
  return v;
}

/** A value of the wrong type, an extreme number, a huge string/array or a deep nesting. */
export function hostileJsonValue(random: FuzzRandom, like?: Json): Json {
  const choice = random.int(11);
  switch (choice) {
    case 0:
      return null;
    case 1:
      return random.pick([true, false]);
    case 2:
    case 3:
      return random.pick(EXTREME_NUMBERS);
    case 4:
      return random.pick(['', 'x', '-1', '1e309', 'NaN', '\u0000', '💥', ' '.repeat(3)]);
    case 5:
      return [];
    case 6:
      return {};
    case 7:
      return random.chance(0.5) ? 'A'.repeat(random.pick([1e4, 1e5, 1e6])) : Array(random.pick([1e3, 1e5])).fill(1);
    case 8: {
      // Deep nesting: [[[[…]]]] or {"a":{"a":…}} (deep enough for a recursive reader, shallow enough to stringify).
      let v: Json = 1;
      const depth = random.pick([100, 1000, 3000]);
      const asArray = random.chance(0.5);
      for (let i = 0; i < depth; i++) v = asArray ? [v] : { a: v };
      return v;
    }
    case 9:
      return typeof like === 'number' ? -like : typeof like === 'string' ? [like] : stringify(like ?? null, false);
    default:
      return Array.isArray(like) ? like.slice(0, random.int(like.length + 1)) : [like ?? null];
  }
}

/** target[key] = value as an own property, as JSON.parse makes it (a "__proto__" key must not set the prototype). */
function setOwn(target: Json[] | Record<string, Json>, key: string | number, value: Json): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** One mutation of the parsed tree (in place). */
function mutateTree(random: FuzzRandom, root: Json): Json {
  const places = containers(root);
  if (places.length === 0 || random.chance(0.05)) return hostileJsonValue(random, root);
  const path = random.pick(places);
  const target = at(root, path) as Json[] | Record<string, Json>;
  const keys = Array.isArray(target) ? target.map((_, i) => i) : Object.keys(target);
  const op = random.int(5);
  if (keys.length === 0 || op === 0) {
    const key = Array.isArray(target) ? target.length : random.pick(['extra', '__proto__', 'constructor', '', 'kind']);
    setOwn(target, key, hostileJsonValue(random));
    return root;
  }
  const key = random.pick(keys as (string | number)[]);
  const old = (target as Record<string | number, Json>)[key] as Json;
  if (op === 1) {
    if (Array.isArray(target)) target.splice(key as number, 1);
    else delete target[key as string];
  } else if (op === 2 && typeof old === 'number') {
    (target as Record<string | number, Json>)[key] = random.pick(EXTREME_NUMBERS);
  } else if (op === 3 && Array.isArray(old) && old.length > 0) {
    // Duplicate or reorder elements of a list (vocabularies, shapes, merges).
    const i = random.int(old.length);
    if (random.chance(0.5)) old.push(old[i] as Json);
    else old.splice(i, 1, ...old.splice(random.int(old.length), 1, old[i] as Json));
  } else {
    (target as Record<string | number, Json>)[key] = hostileJsonValue(random, old);
  }
  return root;
}

/** Stringify without throwing on the deep nestings some mutations make (a stack overflow becomes a short text). */
function stringify(value: Json, indent: boolean): string {
  try {
    return JSON.stringify(value, null, indent ? 2 : undefined) ?? 'null';
  } catch {
    return '[[[[[[[[';
  }
}

/** A mutated JSON text from a valid one: 1–3 tree mutations, sometimes followed by a byte mutation of the text. */
export function mutateJsonText(random: FuzzRandom, validText: string): string {
  let tree: Json;
  try {
    tree = JSON.parse(validText) as Json;
  } catch {
    tree = validText;
  }
  if (random.chance(0.15)) {
    const bytes = mutateBytes(random, new TextEncoder().encode(validText));
    return new TextDecoder().decode(bytes);
  }
  for (let i = random.between(1, 3); i > 0; i--) tree = mutateTree(random, tree);
  if (random.chance(0.05)) return `${'['.repeat(random.pick([1e4, 1e5]))}${']'.repeat(random.int(3))}`;
  return stringify(tree, random.chance(0.5));
}
