// Quick local timing of the "ours" W1 (train step) and W2 (generation) workloads, for profiling:
//   npx tsx --conditions=@recurrent/source profile-w1.ts [w1|w2|both] [reps]
//   RECURRENT_THREADS=2 npx tsx ... (both cores); ALL=1 also prints every repetition
//   node --cpu-prof --import tsx --conditions=@recurrent/source profile-w1.ts w1 10
import { initWasmThreads } from '@recurrent/core/node';
import { w1Ours, w2Ours } from './src/impls/ours-models.js';

// RECURRENT_THREADS=2 measures after initWasmThreads (as the bench's "ours (2 threads)" rows)
const threads = Number(process.env.RECURRENT_THREADS ?? 1);
if (threads > 1) await initWasmThreads({ threads });

const which = process.argv[2] ?? 'both';
const reps = Number(process.argv[3] ?? 8);

async function time(
  name: string,
  make: () => Promise<{ run(): number | Promise<number> }>,
  unit: string,
): Promise<void> {
  const r = await make();
  for (let i = 0; i < 2; i++) await r.run();
  const vals: number[] = [];
  for (let i = 0; i < reps; i++) vals.push(await r.run());
  vals.sort((a, b) => a - b);
  if (process.env.ALL) console.log(vals.map((v) => v.toFixed(4)).join(' '));
  console.log(
    `${name}: median ${vals[vals.length >> 1]!.toFixed(3)} ${unit} (min ${vals[0]!.toFixed(3)}, max ` +
      `${vals[vals.length - 1]!.toFixed(3)})`,
  );
}

if (which === 'w1' || which === 'both') await time('W1', w1Ours, 'tokens/s');
if (which === 'w2' || which === 'both') await time('W2', w2Ours, 'ms/char');
