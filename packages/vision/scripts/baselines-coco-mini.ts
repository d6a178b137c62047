// Caption baselines on the coco-mini val photos, measured with our BLEU-4 and CIDEr-D:
//  - constant: the one training caption that agrees best (CIDEr-D) with all training references, used for every photo;
//  - template: "a <top class> and a <second class>" from the detector's two best image-level class scores.
// pnpm --filter @recurrent/vision exec tsx --conditions=@recurrent/source scripts/baselines-coco-mini.ts
import { ciderD, corpusBleu, SsdMobileNetV2, tokenizeCaption } from '../src/index.js';
import { loadObjectronDetector, readCocoMini, readImage } from '../src/node.js';

const train = readCocoMini({ split: 'train' });
const val = readCocoMini({ split: 'val' });
const trainRefs = train.map((p) => p.captions.map(tokenizeCaption));
const valRefs = val.map((p) => p.captions.map(tokenizeCaption));

// The most consensual training caption: highest mean CIDEr-D when used as the caption of every training photo.
let constant: string[] = [];
let best = -1;
for (const candidate of trainRefs.flat()) {
  const score = ciderD(
    trainRefs.map(() => candidate),
    trainRefs,
  ).cider;
  if (score > best) [best, constant] = [score, candidate];
}
const report = (name: string, captions: string[][]): void => {
  const bleu = corpusBleu(captions, valRefs).bleu[3];
  const cider = ciderD(captions, valRefs).cider;
  console.log(`${name}: BLEU-4 ${bleu.toFixed(3)}, CIDEr-D ${cider.toFixed(3)}`);
};
console.log(`constant caption (train CIDEr-D ${best.toFixed(3)}): "${constant.join(' ')}"`);
report(
  'constant',
  val.map(() => constant),
);

const detector = loadObjectronDetector();
const templates: string[][] = [];
for (const photo of val) {
  const scores = detector.classScores(detector.forward(SsdMobileNetV2.preprocess(await readImage(photo.path))));
  const [first, second] = scores.map((s) => s.label.toLowerCase());
  templates.push(tokenizeCaption(`a ${first} and a ${second}`));
}
console.log(
  `template examples: ${templates
    .slice(0, 3)
    .map((t) => `"${t.join(' ')}"`)
    .join(', ')}`,
);
report('template (top-2 classes)', templates);
