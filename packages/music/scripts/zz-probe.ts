import { mergeConfig, initWasm } from '@recurrent/core';
import { RollTrainingSession, rollDefaults } from '@recurrent/music';
import { readPianoRollDataset } from '@recurrent/music/node';
initWasm();
const data = readPianoRollDataset('jsb');
for (const [h, lr] of [[64, 0.005], [128, 0.004]] as const) {
  const config = mergeConfig('jsb', rollDefaults('jsb'), { epochs: 12, patience: 0, lr, architecture: { hiddenSize: h, dropout: 0 } });
  const s = new RollTrainingSession(config, data);
  const t0 = Date.now();
  let seen = 0;
  while (!s.finished) {
    const p = s.advance(10);
    if (p.history.length > seen) { seen = p.history.length; const r = p.history[seen - 1]!; console.log(`h${h} lr${lr} epoch ${r.epoch} valid ${r.metrics.nll.toFixed(3)} train ${r.trainLoss.toFixed(3)} ${((Date.now() - t0) / 1000).toFixed(1)} s`); }
  }
}
