'use client';
import { useState, type ReactNode } from 'react';
import {
  downsample,
  extent,
  indexAt,
  linePath,
  niceTicks,
  xOf,
  yOf,
  type Domain,
  type PlotArea,
} from '../charts/geometry';

export interface LineSeries {
  name: string;
  values: readonly number[];
  /** Class of the line (default `chart-line series-<i>`, coloured by the kit's CSS). */
  className?: string;
}

export interface ChartBand {
  from: number;
  to: number;
  className: string;
  label?: string;
}

export interface LineChartProps {
  /** One line per series; all share the x positions 0 … n-1 (NaN leaves a value out). */
  series: readonly LineSeries[];
  /** Accessible description of what the chart shows (its role is img). */
  ariaLabel: string;
  caption?: ReactNode;
  /** Label of each x position, drawn under the axis when there are at most `maxLabelled`. */
  xLabels?: readonly string[];
  /** Axis caption when the positions are not labelled one by one, e.g. "step" → "step (1 – 500)". */
  xTitle?: string;
  /** Fixed y range (default: the data's, widened to round ticks). */
  yDomain?: Domain;
  yTicks?: readonly number[];
  formatY?: (value: number) => string;
  /** A value drawn as a dashed line (e.g. the 0.5 decision threshold). */
  midline?: number;
  /** Shaded value ranges (e.g. positive / negative halves). */
  bands?: readonly ChartBand[];
  /** Dots at every value of the first series when it has at most this many (0: never). */
  maxDots?: number;
  dotClass?: (value: number) => string;
  /** Hover text of a dot / of a position. */
  pointTitle?: (index: number, value: number) => string;
  /** When given, hovering shows a guide line and this text for the nearest position. */
  readout?: (index: number) => string;
  width?: number;
  height?: number;
  maxLabelled?: number;
}

const defaultFormat = (v: number) => (Math.abs(v) >= 1000 ? v.toExponential(1) : String(Number(v.toPrecision(4))));

/** A line chart for probability trajectories and loss curves: SVG, scales to its container's width. */
export function LineChart(props: LineChartProps) {
  const { series, width = 760, height = 260, maxLabelled = 40, maxDots = 0, formatY = defaultFormat } = props;
  const [hover, setHover] = useState<number | null>(null);
  const count = Math.max(0, ...series.map((s) => s.values.length));
  const labelled = props.xLabels !== undefined && count <= maxLabelled;
  const area: PlotArea = { left: 44, top: 14, width: width - 60, height: labelled ? height - 90 : height - 44 };
  const auto = niceTicks(...extent(series.map((s) => s.values)));
  const domain = props.yDomain ?? auto.domain;
  const ticks = props.yTicks ?? (props.yDomain ? niceTicks(domain[0], domain[1]).ticks : auto.ticks);
  const first = series[0]?.values ?? [];
  const showDots = maxDots > 0 && count <= maxDots;
  const pointer = (event: React.MouseEvent<SVGRectElement>) => {
    const box = event.currentTarget.ownerSVGElement?.getBoundingClientRect();
    if (!box || box.width === 0) return;
    setHover(indexAt(((event.clientX - box.left) / box.width) * width, count, area));
  };
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={props.ariaLabel} className="chart-svg">
        {props.bands?.map((b) => {
          const top = yOf(Math.max(b.from, b.to), area, domain);
          const bottom = yOf(Math.min(b.from, b.to), area, domain);
          const atTop = Math.max(b.from, b.to) >= domain[1];
          return (
            <g key={b.className}>
              <rect x={area.left} y={top} width={area.width} height={bottom - top} className={b.className} />
              {b.label && (
                <text x={area.left + 6} y={atTop ? top + 14 : bottom - 6} className="band-label">
                  {b.label}
                </text>
              )}
            </g>
          );
        })}
        {ticks.map((t) => (
          <g key={t}>
            <line
              x1={area.left}
              x2={area.left + area.width}
              y1={yOf(t, area, domain)}
              y2={yOf(t, area, domain)}
              className={t === props.midline ? 'grid-mid' : 'grid'}
            />
            <text x={area.left - 8} y={yOf(t, area, domain) + 4} className="axis-label" textAnchor="end">
              {formatY(t)}
            </text>
          </g>
        ))}
        {props.midline !== undefined && !ticks.includes(props.midline) && (
          <line
            x1={area.left}
            x2={area.left + area.width}
            y1={yOf(props.midline, area, domain)}
            y2={yOf(props.midline, area, domain)}
            className="grid-mid"
          />
        )}
        {series.map((s, i) => (
          <path
            key={s.name}
            d={linePath(downsample(s.values, 600), count, area, domain)}
            className={s.className ?? `chart-line series-${i % 6}`}
          >
            {series.length > 1 && <title>{s.name}</title>}
          </path>
        ))}
        {showDots &&
          first.map((v, i) =>
            Number.isFinite(v) ? (
              <circle
                // biome-ignore lint/suspicious/noArrayIndexKey: a dot's position i is its identity; dots never reorder
                key={i}
                cx={xOf(i, count, area)}
                cy={yOf(v, area, domain)}
                r={count > 60 ? 2 : 3.5}
                className={props.dotClass?.(v) ?? 'chart-dot'}
              >
                {props.pointTitle && <title>{props.pointTitle(i, v)}</title>}
              </circle>
            ) : null,
          )}
        {labelled &&
          props.xLabels?.map((t, i) => {
            const x = xOf(i, count, area);
            const y = area.top + area.height + 10;
            return (
              <text
                // biome-ignore lint/suspicious/noArrayIndexKey: a label's position i is its identity (labels repeat)
                key={i}
                x={x}
                y={y}
                transform={`rotate(-50 ${x} ${y})`}
                className="token-label"
                textAnchor="end"
              >
                {t.length > 12 ? `${t.slice(0, 11)}…` : t}
              </text>
            );
          })}
        {!labelled && props.xTitle && (
          <text x={area.left + area.width / 2} y={height - 12} className="axis-label" textAnchor="middle">
            {props.xTitle} (1 – {count.toLocaleString('en-US')})
          </text>
        )}
        {props.readout && hover !== null && (
          <line
            x1={xOf(hover, count, area)}
            x2={xOf(hover, count, area)}
            y1={area.top}
            y2={area.top + area.height}
            className="chart-guide"
          />
        )}
        {props.readout && count > 0 && (
          // biome-ignore lint/a11y/noStaticElementInteractions: pointer-only hover target inside the role="img" svg
          <rect
            x={area.left}
            y={area.top}
            width={area.width}
            height={area.height}
            className="chart-hover-area"
            onMouseMove={pointer}
            onMouseLeave={() => setHover(null)}
          />
        )}
      </svg>
      {series.length > 1 && (
        <ul className="chart-legend" aria-label="Series">
          {series.map((s, i) => (
            <li key={s.name}>
              <span className={`chart-swatch series-${i % 6}`} aria-hidden="true" />
              {s.name}
            </li>
          ))}
        </ul>
      )}
      {props.readout && (
        <output className="chart-readout" aria-live="polite">
          {hover !== null ? props.readout(hover) : '\u00a0'}
        </output>
      )}
      {props.caption && <figcaption>{props.caption}</figcaption>}
    </figure>
  );
}
