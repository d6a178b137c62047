'use client';
import { useState, type ReactNode } from 'react';
import type { Domain } from '../charts/geometry';
import { extent } from '../charts/geometry';
import { cellAt, colourOf, heatmapLayout, matrixSize, type ColourScheme } from '../charts/heatmap';

export interface HeatmapProps {
  /** values[row][col]: e.g. attention of each output token (row) over the input tokens (col), or pitch × time. */
  values: readonly (readonly number[])[];
  ariaLabel: string;
  caption?: ReactNode;
  rowLabels?: readonly string[];
  colLabels?: readonly string[];
  /** Colour range (default: the data's). */
  domain?: Domain;
  scheme?: ColourScheme;
  formatValue?: (value: number) => string;
  /** Widest drawing, in SVG units (it scales down to the container). */
  maxWidth?: number;
  maxCell?: number;
  /** Called with the cell under the pointer (null when it leaves). */
  onHover?: (cell: { row: number; col: number; value: number } | null) => void;
  /**
   * A row and/or column selected outside the chart (e.g. the word hovered in a sentence): outlined as a band, its
   * labels bold. The pointer's own cell is drawn as well.
   */
  highlight?: { row?: number | null; col?: number | null };
}

/**
 * Up to this many cells, each is drawn with its own <title>. Beyond (a piano roll has tens of thousands), cells of the
 * background colour (the domain's low end: silence, zero weight) are not drawn one by one but as one background
 * rectangle, and the hover read-out names the cell instead of titles.
 */
const MAX_TITLED = 2500;

const clip = (s: string) => (s.length > 10 ? `${s.slice(0, 9)}…` : s);

/** A heatmap for attention matrices and piano rolls, with row/column labels and a hover read-out. */
export function Heatmap(props: HeatmapProps) {
  const {
    values,
    rowLabels,
    colLabels,
    scheme = 'sequential',
    maxWidth = 760,
    formatValue = (v) => v.toFixed(2),
  } = props;
  const [hover, setHover] = useState<{ row: number; col: number } | null>(null);
  const { rows, cols } = matrixSize(values);
  const domain = props.domain ?? extent(values);
  const layout = heatmapLayout({
    rows,
    cols,
    maxWidth,
    maxCell: props.maxCell,
    rowLabelWidth: rowLabels ? 80 : 0,
    colLabelHeight: colLabels ? 64 : 0,
  });
  const { cell, left, top } = layout;
  const titled = rows * cols <= MAX_TITLED;
  const background = colourOf(domain[0], domain, scheme);
  const name = (labels: readonly string[] | undefined, i: number, what: string) => labels?.[i] ?? `${what} ${i + 1}`;
  const move = (event: React.MouseEvent<SVGSVGElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    if (box.width === 0) return;
    const scale = layout.width / box.width;
    const at = cellAt((event.clientX - box.left) * scale, (event.clientY - box.top) * scale, layout);
    setHover(at);
    props.onHover?.(at ? { ...at, value: values[at.row]?.[at.col] as number } : null);
  };
  const leave = () => {
    setHover(null);
    props.onHover?.(null);
  };
  const hovered = hover ? (values[hover.row]?.[hover.col] as number) : null;
  const band = (i: number | null | undefined, count: number): number | null =>
    i !== null && i !== undefined && Number.isInteger(i) && i >= 0 && i < count ? i : null;
  const markedRow = band(props.highlight?.row, rows);
  const markedCol = band(props.highlight?.col, cols);
  const activeRow = (r: number) => hover?.row === r || markedRow === r;
  const activeCol = (c: number) => hover?.col === c || markedCol === c;
  return (
    <figure className="chart heatmap">
      <svg
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        role="img"
        aria-label={props.ariaLabel}
        className="chart-svg heatmap-svg"
        style={{ maxWidth: layout.width }}
        data-rows={rows}
        data-cols={cols}
        onMouseMove={move}
        onMouseLeave={leave}
      >
        {!titled && (
          <rect x={left} y={top} width={cols * cell} height={rows * cell} fill={background} className="heatmap-cell" />
        )}
        {values.map((row, r) =>
          row.map((v, c) => {
            const fill = colourOf(v, domain, scheme);
            if (!titled && fill === background) return null;
            return (
              <rect
                // biome-ignore lint/suspicious/noArrayIndexKey: a cell's grid position is its identity
                key={`${r}:${c}`}
                x={left + c * cell}
                y={top + r * cell}
                width={cell}
                height={cell}
                fill={fill}
                className="heatmap-cell"
              >
                {titled && (
                  <title>{`${name(rowLabels, r, 'row')} · ${name(colLabels, c, 'column')}: ${formatValue(v)}`}</title>
                )}
              </rect>
            );
          }),
        )}
        {rowLabels?.map((label, r) => (
          <text
            // biome-ignore lint/suspicious/noArrayIndexKey: a row label's position is its identity (labels repeat)
            key={r}
            x={left - 6}
            y={top + (r + 0.5) * cell + 4}
            textAnchor="end"
            className={activeRow(r) ? 'token-label heatmap-label-active' : 'token-label'}
          >
            {cell >= 9 ? clip(label) : ''}
          </text>
        ))}
        {colLabels?.map((label, c) => {
          const x = left + (c + 0.5) * cell;
          const y = top - 6;
          return (
            <text
              // biome-ignore lint/suspicious/noArrayIndexKey: a column label's position is its identity (labels repeat)
              key={c}
              x={x}
              y={y}
              transform={`rotate(-50 ${x} ${y})`}
              className={activeCol(c) ? 'token-label heatmap-label-active' : 'token-label'}
            >
              {cell >= 9 ? clip(label) : ''}
            </text>
          );
        })}
        {markedRow !== null && (
          <rect x={left} y={top + markedRow * cell} width={cols * cell} height={cell} className="heatmap-band" />
        )}
        {markedCol !== null && (
          <rect x={left + markedCol * cell} y={top} width={cell} height={rows * cell} className="heatmap-band" />
        )}
        {hover && (
          <rect
            x={left + hover.col * cell}
            y={top + hover.row * cell}
            width={cell}
            height={cell}
            className="heatmap-highlight"
          />
        )}
      </svg>
      <output className="chart-readout" aria-live="polite">
        {hover && hovered !== null
          ? `${name(rowLabels, hover.row, 'row')} · ${name(colLabels, hover.col, 'column')}: ${formatValue(hovered)}`
          : '\u00a0'}
      </output>
      {props.caption && <figcaption>{props.caption}</figcaption>}
    </figure>
  );
}
