import { BACKGROUND_RGB, COLOUR_RGB, type Colour, type Shape } from './attributes.js';

/** One object as drawn: centre and radius in pixels. */
export interface PlacedShape {
  shape: Shape;
  colour: Colour;
  cx: number;
  cy: number;
  radius: number;
}

/** Whether the pixel centre (x + 0.5, y + 0.5) lies inside the shape (no antialiasing, so masks are exact). */
export function insideShape(s: PlacedShape, x: number, y: number): boolean {
  const dx = x + 0.5 - s.cx;
  const dy = y + 0.5 - s.cy;
  const r = s.radius;
  switch (s.shape) {
    case 'circle':
      return dx * dx + dy * dy <= r * r;
    case 'square':
      return Math.abs(dx) <= 0.8 * r && Math.abs(dy) <= 0.8 * r;
    case 'diamond':
      return Math.abs(dx) + Math.abs(dy) <= r;
    case 'triangle':
      // Apex up at dy = −r, base at dy = 0.8r with half-width 0.9r.
      return dy >= -r && dy <= 0.8 * r && Math.abs(dx) <= (dy + r) / 2;
  }
}

/**
 * Draw shapes on the background: RGBA pixels (alpha 255) and one mask per shape (1 where that shape is the visible
 * one). Shapes are drawn in order; a later shape covers an earlier one.
 */
export function renderShapes(shapes: readonly PlacedShape[], size: number): { rgba: Uint8Array; masks: Uint8Array[] } {
  const rgba = new Uint8Array(size * size * 4);
  for (let p = 0; p < size * size; p++) rgba.set([...BACKGROUND_RGB, 255], 4 * p);
  const owner = new Int16Array(size * size).fill(-1);
  shapes.forEach((s, i) => {
    const [r, g, b] = COLOUR_RGB[s.colour];
    const x0 = Math.max(0, Math.floor(s.cx - s.radius - 1));
    const x1 = Math.min(size, Math.ceil(s.cx + s.radius + 1));
    const y0 = Math.max(0, Math.floor(s.cy - s.radius - 1));
    const y1 = Math.min(size, Math.ceil(s.cy + s.radius + 1));
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        if (!insideShape(s, x, y)) continue;
        const p = y * size + x;
        rgba[4 * p] = r;
        rgba[4 * p + 1] = g;
        rgba[4 * p + 2] = b;
        owner[p] = i;
      }
    }
  });
  const masks = shapes.map((_, i) => Uint8Array.from(owner, (o) => (o === i ? 1 : 0)));
  return { rgba, masks };
}
