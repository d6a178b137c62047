// Where W6's forward spends its time: milliseconds per TFLite operator kind (TfliteGraph's profile), median of runs.
//   pnpm --filter @recurrent/bench exec tsx --conditions=@recurrent/source profile-w6.ts [runs]
import { noGrad } from '@recurrent/core';
import { loadObjectronDetector } from '@recurrent/vision/node';
import { benchPhotoInput } from './src/vision-data.js';

const runs = Number(process.argv[2] ?? 9);
const detector = loadObjectronDetector();
const { input } = await benchPhotoInput();
const totals: number[] = [];
const perKind: Record<string, number[]> = {};
for (let r = 0; r < runs + 2; r++) {
  const profile: Record<string, number> = {};
  const t0 = performance.now();
  noGrad(() => detector.graph.run(input, { profile }));
  const ms = performance.now() - t0;
  if (r < 2) continue; // warm-up
  totals.push(ms);
  for (const [k, v] of Object.entries(profile)) {
    perKind[k] ??= [];
    perKind[k].push(v);
  }
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
console.log(`forward: median ${median(totals).toFixed(1)} ms over ${runs} runs`);
for (const [k, v] of Object.entries(perKind)) console.log(`  ${k.padEnd(20)} ${median(v).toFixed(1)} ms`);
