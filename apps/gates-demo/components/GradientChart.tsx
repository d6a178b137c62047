'use client';
import { LineChart } from '@recurrent/demo-kit';
import { CELL_INFO } from '../lib/cells';
import type { ProfileRecord } from '../lib/protocol';
import { finiteExtent, formatPowerOfTen, log10OrGap, logTicks } from '../lib/race-log';

/** ‖∂L/∂h_t‖ against t for every cell (log scale), from one gradient profile. */
export function GradientChart({ record }: { record: ProfileRecord }) {
  const series = record.profiles.map((p) => ({ name: CELL_INFO[p.cell].label, values: p.norms.map(log10OrGap) }));
  const [lo, hi] = finiteExtent(series.map((s) => s.values));
  const { domain, ticks } = logTicks(lo, hi);
  const steps = record.profiles[0]?.norms.length ?? 0;
  return (
    <LineChart
      series={series}
      ariaLabel={`Gradient norm through time after ${record.step} training steps, ${steps} time steps (log scale)`}
      xTitle="time step t of the sequence"
      yDomain={domain}
      yTicks={ticks}
      formatY={formatPowerOfTen}
      readout={(t) =>
        `‖∂L/∂h_${t}‖: ${record.profiles
          .map((p) => `${CELL_INFO[p.cell].label} ${(p.norms[t] ?? Number.NaN).toExponential(1)}`)
          .join(' · ')}`
      }
      width={460}
      height={300}
    />
  );
}
