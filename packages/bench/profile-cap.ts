// Where CAP's end-to-end caption time goes: decode (sharp), resize, detector, decoder (greedy or beam 3).
//   pnpm --filter @recurrent/bench exec tsx --conditions=@recurrent/source profile-cap.ts [runs]
import { SsdMobileNetV2 } from '@recurrent/vision';
import { loadObjectronDetector, readImage } from '@recurrent/vision/node';
import { benchCocoCaptioner } from './src/impls/ours-vision.js';
import { benchPhotoPath } from './src/vision-data.js';

const runs = Number(process.argv[2] ?? 5);
const { model, origin } = benchCocoCaptioner();
console.log(`captioner: ${origin}`);
const detector = loadObjectronDetector();
const path = benchPhotoPath();
const phases: Record<string, number[]> = {};
const note = (name: string, ms: number): void => {
  phases[name] ??= [];
  phases[name].push(ms);
};
let words = 0;
for (let r = 0; r < runs + 1; r++) {
  let t = performance.now();
  const lap = (name: string): void => {
    const now = performance.now();
    if (r > 0) note(name, now - t);
    t = now;
  };
  const image = await readImage(path);
  lap('decode (sharp)');
  const input = SsdMobileNetV2.preprocess(image);
  lap('resize to 300×300');
  const { grid, condition } = detector.encode(input, model.architecture.grid);
  lap('detector');
  const greedy = model.captionFeatures({ grid, condition }, { beamSize: 1 });
  lap('decoder greedy');
  model.captionFeatures({ grid, condition }, { beamSize: 3 });
  lap('decoder beam 3');
  words = greedy[0]?.words.length ?? 0;
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
console.log(`${path}: greedy caption of ${words} words; medians over ${runs} runs`);
for (const [k, v] of Object.entries(phases)) console.log(`  ${k.padEnd(20)} ${median(v).toFixed(1)} ms`);
