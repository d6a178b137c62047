// Quick local timing of the "ours" W3 workload (translation training step), for profiling:
//   npx tsx --conditions=@recurrent/source profile-w3.ts [reps]
//   node --cpu-prof --import tsx --conditions=@recurrent/source profile-w3.ts 4
// Prints each step's wall and CPU time (process.cpuUsage, as the bench's CPU-time columns) after one warm-up step.
import { w3Ours } from './src/impls/ours-translation.js';

const reps = Number(process.argv[2] ?? 4);
const runner = await w3Ours();
await runner.run();
const cpu: number[] = [];
for (let i = 0; i < reps; i++) {
  const c0 = process.cpuUsage();
  const wall = await runner.run();
  const c = process.cpuUsage(c0);
  const ms = (c.user + c.system) / 1000;
  cpu.push(ms);
  console.log(`step ${i + 1}: wall ${wall.toFixed(0)} ms, CPU ${ms.toFixed(0)} ms`);
}
const sorted = [...cpu].sort((a, b) => a - b);
console.log(`W3 ours: CPU median ${sorted[sorted.length >> 1]!.toFixed(0)} ms/step over ${reps} steps`);
