// Geometry and colours of the heatmap (attention matrices, piano rolls): pure, unit-tested.
import type { Domain } from './geometry';

export interface HeatmapLayout {
  rows: number;
  cols: number;
  /** Side of a cell, in SVG units. */
  cell: number;
  /** Where the grid of cells starts (after the row labels and column labels). */
  left: number;
  top: number;
  /** Size of the whole SVG. */
  width: number;
  height: number;
}

export interface HeatmapLayoutOptions {
  rows: number;
  cols: number;
  /** The widest the drawing may be (the cells shrink to fit). */
  maxWidth: number;
  /** The largest a cell may be. */
  maxCell?: number;
  /** Room for the row labels (left) and the column labels (top); 0 when there are none. */
  rowLabelWidth?: number;
  colLabelHeight?: number;
}

/** Square cells as large as fit in maxWidth (at most maxCell), after the label margins. */
export function heatmapLayout(options: HeatmapLayoutOptions): HeatmapLayout {
  const { rows, cols, maxWidth, maxCell = 36, rowLabelWidth = 0, colLabelHeight = 0 } = options;
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 1 || cols < 1) {
    throw new RangeError(`heatmapLayout: rows and cols must be positive integers, got ${rows} × ${cols}`);
  }
  const room = maxWidth - rowLabelWidth;
  if (!(room > 0))
    throw new RangeError(`heatmapLayout: maxWidth ${maxWidth} leaves no room after ${rowLabelWidth} of labels`);
  const cell = Math.min(maxCell, room / cols);
  return {
    rows,
    cols,
    cell,
    left: rowLabelWidth,
    top: colLabelHeight,
    width: rowLabelWidth + cell * cols,
    height: colLabelHeight + cell * rows,
  };
}

/** The cell under point (x, y) of the SVG, or null outside the grid. */
export function cellAt(x: number, y: number, layout: HeatmapLayout): { row: number; col: number } | null {
  const col = Math.floor((x - layout.left) / layout.cell);
  const row = Math.floor((y - layout.top) / layout.cell);
  if (row < 0 || col < 0 || row >= layout.rows || col >= layout.cols) return null;
  return { row, col };
}

/** Check that `values` is a non-empty rectangle and return its size. */
export function matrixSize(values: readonly (readonly number[])[]): { rows: number; cols: number } {
  const rows = values.length;
  const cols = values[0]?.length ?? 0;
  if (rows === 0 || cols === 0) throw new RangeError(`heatmap: expected a non-empty matrix, got ${rows} × ${cols}`);
  values.forEach((row, i) => {
    if (row.length !== cols) throw new RangeError(`heatmap: row ${i} has ${row.length} values, expected ${cols}`);
  });
  return { rows, cols };
}

export type ColourScheme = 'sequential' | 'diverging';

const WHITE = [255, 255, 255] as const;
const BLUE = [51, 85, 214] as const; // --accent
const RED = [220, 38, 38] as const;
const GREEN = [22, 128, 61] as const;

function mix(from: readonly number[], to: readonly number[], t: number): string {
  const c = from.map((f, i) => Math.round(f + ((to[i] as number) - f) * t));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

/**
 * Fill of `value` within `domain`: 'sequential' runs white → blue (attention weights, note velocities);
 * 'diverging' runs red → white (middle of the domain) → green. Values outside the domain are clamped; NaN is grey.
 */
export function colourOf(value: number, domain: Domain, scheme: ColourScheme = 'sequential'): string {
  if (Number.isNaN(value)) return 'rgb(200, 200, 200)';
  const [lo, hi] = domain;
  const t = hi === lo ? 1 : Math.min(1, Math.max(0, (value - lo) / (hi - lo)));
  if (scheme === 'sequential') return mix(WHITE, BLUE, t);
  return t < 0.5 ? mix(RED, WHITE, t * 2) : mix(WHITE, GREEN, (t - 0.5) * 2);
}
