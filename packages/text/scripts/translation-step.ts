// Measures one training step (batch 64) of the mt_S-like Translator on real Multi30k de→en batches, single thread,
// and extrapolates one epoch. Prints wall and CPU time (CPU time is what the step costs on an idle core: this
// machine is shared).
// Run: pnpm --filter @recurrent/text exec tsx --conditions=@recurrent/source scripts/translation-step.ts
import { Adam, clipGradNorm, initWasm } from '@recurrent/core';
import {
  learnJointBpe,
  Translator,
  translationBatches,
  translationLoss,
  DEFAULT_TRANSLATOR_ARCHITECTURE,
} from '../src/index.js';
import { readMulti30k } from '../src/node.js';

const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]));
const vocabSize = Number(args.get('vocab') ?? 8000);
const steps = Number(args.get('steps') ?? 6);
const batchSize = Number(args.get('batch') ?? 64);

await initWasm();
const train = readMulti30k('train', 'de-en');
const t = performance.now();
const tokenizer = learnJointBpe(
  train.flatMap((p) => [p.source, p.target]),
  { vocabSize },
);
console.log(`joint BPE ${tokenizer.vocabSize} tokens learned in ${((performance.now() - t) / 1000).toFixed(1)} s`);
const examples = train.map((p) => ({ src: tokenizer.encode(p.source), tgt: tokenizer.encode(p.target) }));
const meanLength = (f: (e: (typeof examples)[number]) => number): number =>
  examples.reduce((s, e) => s + f(e), 0) / examples.length;
console.log(
  `mean subword tokens: source ${meanLength((e) => e.src.length).toFixed(2)}, ` +
    `target ${meanLength((e) => e.tgt.length).toFixed(2)}`,
);
const model = new Translator(tokenizer, {}, { seed: 0 });
console.log(`architecture ${JSON.stringify({ ...DEFAULT_TRANSLATOR_ARCHITECTURE, vocabSize: tokenizer.vocabSize })}`);
console.log(`parameters ${model.numParameters().toLocaleString('en-US')}`);
const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
const batches = translationBatches(examples, { batchSize, generator: model.generator });
const wall: number[] = [];
const cpu: number[] = [];
for (let i = 0; i < steps; i++) {
  const w0 = performance.now();
  const c0 = process.cpuUsage();
  const { loss } = translationLoss(model, batches[i]!);
  loss.backward();
  clipGradNorm(model.parameters(), 1);
  optimizer.step();
  optimizer.zeroGrad();
  const value = loss.item();
  const c = process.cpuUsage(c0);
  wall.push(performance.now() - w0);
  cpu.push((c.user + c.system) / 1000);
  const b = batches[i]!;
  const shape = `S ${Math.max(...b.map((e) => e.src.length))}, T ${Math.max(...b.map((e) => e.tgt.length)) + 1}`;
  console.log(
    `step ${i} (${shape}): loss ${value.toFixed(3)}, wall ${wall[i]!.toFixed(0)} ms, cpu ${cpu[i]!.toFixed(0)} ms`,
  );
}
// Step 0 includes warm-up (wasm compilation of the first shapes); the batches are a random sample of the epoch.
const rest = (a: number[]): number[] => a.slice(1);
const median = (a: number[]): number => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
const mean = (a: number[]): number => a.reduce((x, y) => x + y, 0) / a.length;
const perEpoch = batches.length;
console.log(
  `steps 1..${steps - 1}: cpu median ${median(rest(cpu)).toFixed(0)} ms, mean ${mean(rest(cpu)).toFixed(0)} ms; ` +
    `wall median ${median(rest(wall)).toFixed(0)} ms, mean ${mean(rest(wall)).toFixed(0)} ms`,
);
console.log(
  `one epoch = ${perEpoch} steps ≈ ${((mean(rest(cpu)) * perEpoch) / 60000).toFixed(1)} min of CPU time on one core ` +
    `(${((mean(rest(wall)) * perEpoch) / 60000).toFixed(1)} min wall at this load, ` +
    `load average ${(await import('node:os')).loadavg()[0]!.toFixed(1)})`,
);
