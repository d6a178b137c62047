// Speed of the depthwise convolution (MobileNetV2-sized layer) and of the SSD-MobileNetV2 encoder on one image.
// pnpm --filter @recurrent/vision exec tsx --conditions=@recurrent/source scripts/bench-encoder.ts [repeats]
import { conv2d, getBackend, noGrad, randn, sum, useBackend, type BackendName } from '@recurrent/core';
import { loadObjectronDetector, readCocoMini, readImage } from '../src/node.js';
import { SsdMobileNetV2 } from '../src/index.js';

const repeats = Number(process.argv[2] ?? 10);

function median(fn: () => void, n: number): number {
  fn();
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(n / 2)]!;
}

console.log(`depthwise 3×3 conv, x [1, 144, 75, 75], weight [144, 1, 3, 3], padding 1 (median of ${repeats})`);
for (const stride of [1, 2]) {
  const x = randn([1, 144, 75, 75]);
  const w = randn([144, 1, 3, 3]);
  const b = randn([144]);
  const forward = median(() => void conv2d(x, w, b, { padding: 1, stride, groups: 144 }), repeats);
  x.requiresGrad_();
  w.requiresGrad_();
  const both = median(() => sum(conv2d(x, w, b, { padding: 1, stride, groups: 144 })).backward(), repeats);
  console.log(`  stride ${stride}: forward ${forward.toFixed(1)} ms, forward + backward ${both.toFixed(1)} ms`);
}

const detector = loadObjectronDetector();
const photo = readCocoMini({ split: 'val' })[0]!;
const image = await readImage(photo.path);
const preprocess = median(() => void SsdMobileNetV2.preprocess(image), repeats);
console.log(`preprocess ${image.width}×${image.height} JPEG pixels → [1, 3, 300, 300]: ${preprocess.toFixed(1)} ms`);
const input = SsdMobileNetV2.preprocess(image);
for (const backend of ['wasm', 'ts'] as BackendName[]) {
  useBackend(backend);
  const ms = median(() => void detector.forward(input, ['grid19', 'grid10']), repeats);
  console.log(
    `SSD-MobileNetV2 forward, 300×300 → logits, boxes and both grids (${getBackend()} GEMMs): ${ms.toFixed(0)} ms`,
  );
}
useBackend('wasm');
const profile: Record<string, number> = {};
for (let i = 0; i < repeats; i++) noGrad(() => detector.graph.run(input, { profile }));
const byKind = Object.entries(profile)
  .map(([k, v]) => `${k} ${(v / repeats).toFixed(0)} ms`)
  .join(', ');
console.log(`per operator kind (wasm, mean of ${repeats}): ${byKind}`);
