import { describe, expect, it } from 'vitest';
import { cellAt, colourOf, heatmapLayout, matrixSize } from '../src/charts/heatmap';

describe('heatmap geometry', () => {
  it('makes square cells as large as fit after the labels, at most maxCell', () => {
    const small = heatmapLayout({
      rows: 3,
      cols: 4,
      maxWidth: 760,
      maxCell: 36,
      rowLabelWidth: 80,
      colLabelHeight: 64,
    });
    expect(small).toEqual({ rows: 3, cols: 4, cell: 36, left: 80, top: 64, width: 80 + 144, height: 64 + 108 });
    const roll = heatmapLayout({ rows: 88, cols: 680, maxWidth: 760, rowLabelWidth: 80 });
    expect(roll.cell).toBe(1);
    expect(roll.width).toBe(760);
    expect(roll.height).toBe(88);
    expect(() => heatmapLayout({ rows: 0, cols: 3, maxWidth: 100 })).toThrow(RangeError);
    expect(() => heatmapLayout({ rows: 2, cols: 3, maxWidth: 50, rowLabelWidth: 80 })).toThrow('leaves no room');
  });

  it('finds the cell under the pointer, and none outside the grid', () => {
    const layout = heatmapLayout({
      rows: 2,
      cols: 3,
      maxWidth: 400,
      maxCell: 10,
      rowLabelWidth: 50,
      colLabelHeight: 20,
    });
    expect(cellAt(50, 20, layout)).toEqual({ row: 0, col: 0 });
    expect(cellAt(79.9, 39.9, layout)).toEqual({ row: 1, col: 2 });
    expect(cellAt(80, 25, layout)).toBeNull();
    expect(cellAt(49, 25, layout)).toBeNull();
    expect(cellAt(60, 19, layout)).toBeNull();
  });

  it('checks the matrix is a non-empty rectangle', () => {
    expect(
      matrixSize([
        [1, 2],
        [3, 4],
        [5, 6],
      ]),
    ).toEqual({ rows: 3, cols: 2 });
    expect(() => matrixSize([])).toThrow(RangeError);
    expect(() => matrixSize([[1, 2], [3]])).toThrow('row 1 has 1 values, expected 2');
  });

  it('colours sequentially (white → blue) or diverging (red → white → green), clamped', () => {
    expect(colourOf(0, [0, 1])).toBe('rgb(255, 255, 255)');
    expect(colourOf(1, [0, 1])).toBe('rgb(51, 85, 214)');
    expect(colourOf(2, [0, 1])).toBe('rgb(51, 85, 214)');
    expect(colourOf(-1, [-1, 1], 'diverging')).toBe('rgb(220, 38, 38)');
    expect(colourOf(0, [-1, 1], 'diverging')).toBe('rgb(255, 255, 255)');
    expect(colourOf(1, [-1, 1], 'diverging')).toBe('rgb(22, 128, 61)');
    expect(colourOf(Number.NaN, [0, 1])).toBe('rgb(200, 200, 200)');
    expect(colourOf(0.3, [0.3, 0.3]), 'a constant matrix is drawn at full strength').toBe('rgb(51, 85, 214)');
  });
});
