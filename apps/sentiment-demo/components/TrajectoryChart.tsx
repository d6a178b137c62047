import { downsample, linePath, xOf, yOf, type PlotArea } from '../lib/trajectory';
import { percent } from '../lib/display';

const WIDTH = 760;
const HEIGHT = 260;
/** Token labels under the x axis only when they can be read. */
const MAX_LABELLED = 40;
const MAX_DOTS = 120;

/**
 * What the classifier believes after each token: probability of positive (y) against position (x), with the 0.5
 * decision line. Many-to-one made visible.
 */
export function TrajectoryChart({ tokens, trajectory }: { tokens: string[]; trajectory: number[] }) {
  const count = trajectory.length;
  const labelled = count <= MAX_LABELLED;
  const area: PlotArea = { left: 44, top: 14, width: WIDTH - 60, height: labelled ? HEIGHT - 90 : HEIGHT - 44 };
  const samples = downsample(trajectory, 600);
  const path = linePath(samples, count, area);
  const mid = yOf(0.5, area);
  const first = trajectory[0] ?? 0.5;
  const last = trajectory[count - 1] ?? 0.5;
  const description = `Probability of positive after each of ${count} tokens: ${percent(first, 0)} after “${tokens[0] ?? ''}”, ${percent(last, 0)} at the end.`;
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={description} className="chart-svg">
        <rect x={area.left} y={area.top} width={area.width} height={mid - area.top} className="band-positive" />
        <rect x={area.left} y={mid} width={area.width} height={area.top + area.height - mid} className="band-negative" />
        {[0, 0.25, 0.5, 0.75, 1].map((p) => (
          <g key={p}>
            <line x1={area.left} x2={area.left + area.width} y1={yOf(p, area)} y2={yOf(p, area)} className={p === 0.5 ? 'grid-mid' : 'grid'} />
            <text x={area.left - 8} y={yOf(p, area) + 4} className="axis-label" textAnchor="end">
              {p * 100}%
            </text>
          </g>
        ))}
        <text x={area.left + 6} y={area.top + 14} className="band-label">
          positive
        </text>
        <text x={area.left + 6} y={area.top + area.height - 6} className="band-label">
          negative
        </text>
        <path d={path} className="trajectory-line" />
        {count <= MAX_DOTS &&
          trajectory.map((p, i) => (
            <circle key={i} cx={xOf(i, count, area)} cy={yOf(p, area)} r={count > 60 ? 2 : 3.5} className={p >= 0.5 ? 'dot-positive' : 'dot-negative'}>
              <title>{`${tokens[i]}: ${percent(p)} positive`}</title>
            </circle>
          ))}
        {labelled &&
          tokens.map((t, i) => {
            const x = xOf(i, count, area);
            const y = area.top + area.height + 10;
            return (
              <text key={i} x={x} y={y} transform={`rotate(-50 ${x} ${y})`} className="token-label" textAnchor="end">
                {t.length > 12 ? `${t.slice(0, 11)}…` : t}
              </text>
            );
          })}
        {!labelled && (
          <text x={area.left + area.width / 2} y={HEIGHT - 12} className="axis-label" textAnchor="middle">
            token position (1 – {count.toLocaleString('en-US')})
          </text>
        )}
      </svg>
      <figcaption>Probability of positive after each token: how the verdict forms as the model reads.</figcaption>
    </figure>
  );
}
