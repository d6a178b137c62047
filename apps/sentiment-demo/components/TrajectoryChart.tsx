import { LineChart } from '@recurrent/demo-kit';
import { percent } from '../lib/display';

const BANDS = [
  { from: 0.5, to: 1, className: 'band-positive', label: 'positive' },
  { from: 0, to: 0.5, className: 'band-negative', label: 'negative' },
];
const TICKS = [0, 0.25, 0.5, 0.75, 1];

/**
 * What the classifier believes after each token: probability of positive (y) against position (x), with the 0.5
 * decision line. Many-to-one made visible.
 */
export function TrajectoryChart({ tokens, trajectory }: { tokens: string[]; trajectory: number[] }) {
  const count = trajectory.length;
  const first = trajectory[0] ?? 0.5;
  const last = trajectory[count - 1] ?? 0.5;
  const description =
    `Probability of positive after each of ${count} tokens: ${percent(first, 0)} after ` +
    `“${tokens[0] ?? ''}”, ${percent(last, 0)} at the end.`;
  return (
    <LineChart
      series={[{ name: 'probability of positive', values: trajectory, className: 'trajectory-line' }]}
      ariaLabel={description}
      caption="Probability of positive after each token: how the verdict forms as the model reads."
      xLabels={tokens}
      xTitle="token position"
      yDomain={[0, 1]}
      yTicks={TICKS}
      formatY={(p) => `${p * 100}%`}
      midline={0.5}
      bands={BANDS}
      maxDots={120}
      dotClass={(p) => (p >= 0.5 ? 'dot-positive' : 'dot-negative')}
      pointTitle={(i, p) => `${tokens[i]}: ${percent(p)} positive`}
    />
  );
}
