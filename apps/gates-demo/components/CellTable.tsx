'use client';
import { badgesOf } from '../lib/badges';
import { CELL_INFO } from '../lib/cells';
import type { HeldOutLoss, ProfileRecord } from '../lib/protocol';
import type { RaceLog } from '../lib/race-log';

export interface CellTableProps {
  log: RaceLog;
  profile: ProfileRecord | null;
  heldOut: HeldOutLoss[] | null;
  baselineLoss: number;
}

const fixed = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(4));
const sci = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '—' : x.toExponential(1));

/** Per cell: the smoothed loss, the gradient norm, h_0/h_T−1, the held-out loss when done, and the badges. */
export function CellTable({ log, profile, heldOut, baselineLoss }: CellTableProps) {
  return (
    <table className="cell-table" aria-label="Cells">
      <thead>
        <tr>
          <th scope="col">cell</th>
          <th scope="col">training loss</th>
          <th scope="col">held-out loss</th>
          <th scope="col">‖∇‖ before clipping</th>
          <th scope="col" title="‖∂L/∂h_0‖ / ‖∂L/∂h_T−1‖ in the latest gradient profile">
            h_0 / h_T−1
          </th>
          <th scope="col">state</th>
        </tr>
      </thead>
      <tbody>
        {log.tracks.map((t, i) => (
          <tr key={t.cell} data-cell={t.cell}>
            <th scope="row" title={CELL_INFO[t.cell].what}>
              <span className={`chart-swatch series-${i % 6}`} aria-hidden="true" />
              {CELL_INFO[t.cell].label}
            </th>
            <td className="num" data-field="loss">
              {fixed(t.smoothed[t.smoothed.length - 1])}
            </td>
            <td className="num" data-field="held-out">
              {fixed(heldOut?.find((h) => h.cell === t.cell)?.loss)}
            </td>
            <td className="num">{sci(t.gradNorms[t.gradNorms.length - 1])}</td>
            <td className="num" data-field="ratio">
              {sci(profile?.profiles.find((p) => p.cell === t.cell)?.firstToLast)}
            </td>
            <td>
              <ul className="badges" aria-label={`${CELL_INFO[t.cell].label} state`}>
                {badgesOf(t, log.step, baselineLoss).map((b) => (
                  <li key={b.kind} className={`badge badge-${b.kind}`}>
                    {b.text}
                  </li>
                ))}
              </ul>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
