import { ValueError } from '@recurrent/core';
import type { Rate } from './scene-metrics.js';

/**
 * Caption words naming an object, grouped by object: the COCO categories a caption most often names (people,
 * animals, vehicles, furniture, food …) with their common synonyms and plurals. Used to decide an image's main
 * object from its reference captions and whether a generated caption names it.
 */
export const OBJECT_SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  person: [
    'person',
    'people',
    'man',
    'men',
    'woman',
    'women',
    'boy',
    'boys',
    'girl',
    'girls',
    'child',
    'children',
    'kid',
    'kids',
    'player',
    'players',
    'skier',
    'skiers',
    'surfer',
    'surfers',
    'skateboarder',
    'guy',
    'lady',
    'baby',
    'family',
    'crowd',
    'group',
  ],
  cat: ['cat', 'cats', 'kitten', 'kittens', 'kitty'],
  dog: ['dog', 'dogs', 'puppy', 'puppies'],
  horse: ['horse', 'horses', 'pony'],
  cow: ['cow', 'cows', 'cattle'],
  sheep: ['sheep', 'lamb', 'lambs'],
  elephant: ['elephant', 'elephants'],
  bear: ['bear', 'bears'],
  zebra: ['zebra', 'zebras'],
  giraffe: ['giraffe', 'giraffes'],
  bird: ['bird', 'birds', 'duck', 'ducks', 'seagull', 'pigeon', 'pigeons'],
  bicycle: ['bicycle', 'bicycles', 'bike', 'bikes'],
  motorcycle: ['motorcycle', 'motorcycles', 'motorbike', 'scooter'],
  car: ['car', 'cars', 'taxi', 'suv'],
  bus: ['bus', 'buses'],
  train: ['train', 'trains', 'locomotive'],
  truck: ['truck', 'trucks'],
  boat: ['boat', 'boats', 'ship', 'canoe', 'kayak'],
  airplane: ['airplane', 'airplanes', 'plane', 'planes', 'jet', 'jets', 'aircraft'],
  laptop: ['laptop', 'laptops', 'computer', 'computers'],
  tv: ['tv', 'television', 'monitor'],
  phone: ['phone', 'cellphone', 'smartphone'],
  table: ['table', 'tables', 'desk'],
  chair: ['chair', 'chairs', 'bench', 'couch', 'sofa'],
  bed: ['bed', 'beds'],
  toilet: ['toilet', 'toilets'],
  sink: ['sink', 'sinks'],
  kitchen: ['kitchen', 'stove', 'oven', 'microwave', 'refrigerator', 'fridge'],
  pizza: ['pizza', 'pizzas'],
  sandwich: ['sandwich', 'sandwiches', 'burger', 'hamburger'],
  cake: ['cake', 'cakes', 'donut', 'donuts', 'dessert'],
  food: ['food', 'meal', 'plate', 'bowl', 'broccoli', 'vegetables', 'fruit', 'bananas', 'banana', 'apple', 'oranges'],
  cup: ['cup', 'cups', 'mug', 'glass', 'bottle', 'bottles', 'vase'],
  umbrella: ['umbrella', 'umbrellas'],
  clock: ['clock', 'clocks'],
  sign: ['sign', 'signs', 'hydrant'],
  kite: ['kite', 'kites'],
  frisbee: ['frisbee', 'frisbees'],
  skateboard: ['skateboard', 'skateboards'],
  surfboard: ['surfboard', 'surfboards'],
  skis: ['skis', 'ski', 'snowboard'],
  teddy: ['teddy', 'bear'],
  book: ['book', 'books'],
};

const OBJECT_OF_WORD = new Map<string, string>();
for (const [object, words] of Object.entries(OBJECT_SYNONYMS))
  for (const w of words) if (!OBJECT_OF_WORD.has(w)) OBJECT_OF_WORD.set(w, object);

/** The objects a tokenized caption names (in order of first mention, each once). */
export function objectsNamed(tokens: readonly string[]): string[] {
  const out: string[] = [];
  for (const t of tokens) {
    const o = OBJECT_OF_WORD.get(t);
    if (o && !out.includes(o)) out.push(o);
  }
  return out;
}

/**
 * An image's main object: the object named by the most of its reference captions (ties: the one named first in the
 * earliest reference); null when no reference names a listed object.
 */
export function mainObject(references: readonly (readonly string[])[]): string | null {
  const votes = new Map<string, number>();
  for (const r of references) for (const o of objectsNamed(r)) votes.set(o, (votes.get(o) ?? 0) + 1);
  let best: string | null = null;
  for (const [o, n] of votes) if (best === null || n > (votes.get(best) ?? 0)) best = o;
  return best;
}

/** Fraction of images with a main object whose generated caption names it (`total` counts those images). */
export function mainObjectAccuracy(
  captions: readonly (readonly string[])[],
  references: readonly (readonly (readonly string[])[])[],
): Rate {
  if (captions.length !== references.length)
    throw new ValueError(`mainObjectAccuracy: ${captions.length} captions for ${references.length} reference sets`);
  let correct = 0;
  let total = 0;
  captions.forEach((c, i) => {
    const main = mainObject(references[i] ?? []);
    if (main === null) return;
    total++;
    if (objectsNamed(c).includes(main)) correct++;
  });
  return { correct, total, rate: total ? correct / total : Number.NaN };
}
