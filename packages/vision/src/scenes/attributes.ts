/** The attribute values of scene objects. Every word here is one caption token. */
export const SHAPES = ['circle', 'square', 'triangle', 'diamond'] as const;
export const COLOURS = ['red', 'green', 'blue', 'yellow', 'purple', 'cyan'] as const;
export const SIZES = ['small', 'large'] as const;
export type Shape = (typeof SHAPES)[number];
export type Colour = (typeof COLOURS)[number];
export type Size = (typeof SIZES)[number];

/** sRGB of each colour name; far apart, so a pixel's colour names its object. */
export const COLOUR_RGB: Record<Colour, readonly [number, number, number]> = {
  red: [220, 40, 40],
  green: [40, 190, 60],
  blue: [50, 80, 230],
  yellow: [235, 215, 40],
  purple: [150, 60, 200],
  cyan: [40, 210, 220],
};

/** The background every scene is drawn on. */
export const BACKGROUND_RGB = [24, 24, 24] as const;

/**
 * The (colour, shape) combinations held out of training: each colour and each shape appears in at most one, so
 * every word is still seen in training, only never in these pairings.
 */
export const HELD_OUT_PAIRS: readonly (readonly [Colour, Shape])[] = [
  ['red', 'triangle'],
  ['green', 'circle'],
  ['blue', 'diamond'],
  ['yellow', 'square'],
];

export function isHeldOutPair(colour: Colour, shape: Shape): boolean {
  return HELD_OUT_PAIRS.some(([c, s]) => c === colour && s === shape);
}

/** Number words for the counts in captions. */
export const COUNT_WORDS = ['zero', 'one', 'two', 'three', 'four'] as const;

/** Relation phrases between two objects (one token each). */
export const RELATIONS = ['left-of', 'above'] as const;
export type Relation = (typeof RELATIONS)[number];
