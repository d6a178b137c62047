// Run the SSD-MobileNetV2 port on coco-mini photos and print its top classes beside the first caption.
// pnpm --filter @recurrent/vision exec tsx --conditions=@recurrent/source scripts/detect-coco-mini.ts [count] [split]
import { readImage, loadObjectronDetector, readCocoMini } from '../src/node.js';
import { SsdMobileNetV2 } from '../src/index.js';

const count = Number(process.argv[2] ?? 12);
const split = process.argv[3] === 'train' || process.argv[3] === 'val' ? process.argv[3] : undefined;
const detector = loadObjectronDetector();
let total = 0;
const photos = readCocoMini({ split }).slice(0, count);
for (const photo of photos) {
  const image = await readImage(photo.path);
  const input = SsdMobileNetV2.preprocess(image);
  const t0 = performance.now();
  const output = detector.forward(input);
  total += performance.now() - t0;
  const top = detector
    .classScores(output)
    .slice(0, 3)
    .map((s) => `${s.label} ${s.score.toFixed(2)}`)
    .join(', ');
  console.log(`${photo.imageId}\t${top}\t| ${photo.captions[0]}`);
}
console.log(
  `mean forward (300×300 input → class logits and boxes) over ${photos.length} photos: ` +
    `${(total / photos.length).toFixed(0)} ms`,
);
