'use client';
import { LineChart } from '@recurrent/demo-kit';
import { CELL_INFO } from '../lib/cells';
import { formatPowerOfTen, log10OrGap, logTicks, type RaceLog } from '../lib/race-log';

export interface LossChartProps {
  log: RaceLog;
  /** The budget: the x axis spans it from the start, so the curves grow to the right. */
  budget: number;
  baselineLoss: number;
  solvedBelow: number;
}

/** Smoothed training loss of every cell against the step, log scale, with the baseline and the solved region. */
export function LossChart({ log, budget, baselineLoss, solvedBelow }: LossChartProps) {
  const top = Math.ceil(Math.log10(baselineLoss)) + 1;
  const { domain, ticks } = logTicks(Math.floor(Math.log10(solvedBelow)) - 1, top);
  const pad = (values: readonly number[]) =>
    Array.from({ length: Math.max(budget, values.length) }, (_, i) => log10OrGap(values[i] ?? Number.NaN));
  const series = log.tracks.map((t) => ({ name: CELL_INFO[t.cell].label, values: pad(t.smoothed) }));
  const solved = Math.log10(solvedBelow);
  const baseline = Math.log10(baselineLoss);
  return (
    <LineChart
      series={series}
      ariaLabel={`Training loss of ${log.tracks.length} cells over ${log.step} of ${budget} steps (log scale)`}
      xTitle="training step"
      yDomain={domain}
      yTicks={ticks}
      formatY={formatPowerOfTen}
      midline={baseline}
      bands={[
        { from: domain[0], to: solved, className: 'band-solved', label: `solved (< ${solvedBelow.toPrecision(2)})` },
        {
          from: baseline,
          to: baseline + (domain[1] - domain[0]) * 0.004,
          className: 'band-baseline',
          label: `input-blind ${baselineLoss.toPrecision(3)}`,
        },
      ]}
      readout={(i) =>
        `step ${i + 1}: ${log.tracks
          .map((t) => `${CELL_INFO[t.cell].label} ${(t.smoothed[i] ?? Number.NaN).toPrecision(3)}`)
          .join(' · ')}`
      }
      width={460}
      height={300}
    />
  );
}
