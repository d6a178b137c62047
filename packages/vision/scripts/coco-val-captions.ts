// The photo captioner on coco-mini's 79 val photos, greedy and with beam search: BLEU-4, CIDEr-D and main-object
// naming for each, then the val captions beside a reference — the six best and four worst by CIDEr-D (greedy).
// RECURRENT_THREADS=1 pnpm --filter @recurrent/vision exec tsx --conditions=@recurrent/source \
//   scripts/coco-val-captions.ts [model dir, default models/coco] [beam sizes, default 1,3]
import { initWasm } from '@recurrent/core';
import { loadModelDir } from '@recurrent/core/node';
import { CocoCaptioner, ciderD, corpusBleu, mainObjectAccuracy, tokenizeCaption } from '../src/index.js';
import { decodePhotos, loadObjectronDetector, photoFeatures } from '../src/node.js';
import { cocoPhotos } from '../src/training/coco-task.js';

await initWasm();
const [dir = 'models/coco', beams = '1,3'] = process.argv.slice(2);
const model = loadModelDir(dir);
if (!(model instanceof CocoCaptioner)) throw new Error(`${dir} is not a photo captioner`);
const photos = cocoPhotos('val');
await decodePhotos(photos);
const features = photoFeatures(loadObjectronDetector(), photos, model.architecture.grid);
const references = photos.map((p) => p.captions.map(tokenizeCaption));
for (const beamSize of beams.split(',').map(Number)) {
  const captions = features.map((f) => model.captionFeatures(f, { beamSize })[0]?.words ?? []);
  const cider = ciderD(captions, references);
  const bleu4 = corpusBleu(captions, references).bleu[3];
  const main = mainObjectAccuracy(captions, references).rate;
  console.log(
    `beam ${beamSize}: BLEU-4 ${bleu4.toFixed(4)}, CIDEr-D ${cider.cider.toFixed(4)}, main object ${main.toFixed(4)}`,
  );
  if (beamSize !== 1) continue;
  const order = cider.perImage.map((v, i) => [v, i] as const).sort((a, b) => b[0] - a[0]);
  for (const [v, i] of [...order.slice(0, 6), ...order.slice(-4)]) {
    const photo = photos[i];
    if (photo) console.log(`| ${photo.imageId} | ${v.toFixed(2)} | ${captions[i]?.join(' ')} | ${photo.captions[0]} |`);
  }
}
