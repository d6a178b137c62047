// Translation latency of the mt_S-like Translator (random weights, joint BPE 8,000) on a 13-word German sentence,
// single thread: greedy and beam 5, with the output held to 15 subwords + eos (a typical length: an untrained model
// would otherwise run to the length bound). Prints the median of repeated runs (wall and CPU).
// Run: pnpm --filter @recurrent/text exec tsx --conditions=@recurrent/source scripts/translation-latency.ts
import { initWasm } from '@recurrent/core';
import { learnJointBpe, Translator, type TranslateOptions } from '../src/index.js';
import { readMulti30k } from '../src/node.js';

await initWasm();
const train = readMulti30k('train', 'de-en');
const tokenizer = learnJointBpe(
  train.flatMap((p) => [p.source, p.target]),
  { vocabSize: 8000 },
);
const model = new Translator(tokenizer, {}, { seed: 0 });
const sentence = 'Ein Mann mit einem orangefarbenen Hut steht vor einem Gebäude und schaut auf etwas.';
console.log(
  `${sentence.split(' ').length} words, ${tokenizer.encode(sentence).length} subwords; ` +
    `${model.numParameters().toLocaleString('en-US')} parameters`,
);
const fixedLength = { maxLengthRatio: 0, maxLengthOffset: 16, noRepeatNgram: 0 };
const runs = 15;
const median = (a: number[]): number => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
for (const [label, options] of [
  ['greedy', { method: 'greedy', ...fixedLength }],
  ['beam 5', { method: 'beam', beamSize: 5, ...fixedLength }],
] as [string, TranslateOptions][]) {
  model.translate(sentence, options);
  const wall: number[] = [];
  const cpu: number[] = [];
  let tokens = 0;
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const r = model.translate(sentence, options);
    const c = process.cpuUsage(c0);
    wall.push(r.timings.totalMs);
    cpu.push((c.user + c.system) / 1000);
    tokens = r.ids.length + 1;
  }
  console.log(
    `${label}: ${tokens} output tokens, median wall ${median(wall).toFixed(1)} ms, cpu ${median(cpu).toFixed(1)} ms`,
  );
}
const batch = train.slice(0, 64).map((p) => p.source);
const c0 = process.cpuUsage();
const t0 = performance.now();
model.translateBatch(batch, { method: 'greedy', ...fixedLength });
const c = process.cpuUsage(c0);
const cpuMs = (c.user + c.system) / 1000;
console.log(
  `greedy batch of 64: ${(performance.now() - t0).toFixed(0)} ms wall, ${cpuMs.toFixed(0)} ms cpu → ` +
    `${(64000 / cpuMs).toFixed(0)} sentences/s of CPU`,
);
