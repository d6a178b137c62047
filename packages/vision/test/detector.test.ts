import { describe, expect, it } from 'vitest';
import { SsdMobileNetV2, ssdAnchors, OBJECTRON_SSD_ANCHORS } from '../src/index.js';
import { loadObjectronDetector, readCocoMini, readImage, type CocoMiniImage } from '../src/node.js';

function photos(): CocoMiniImage[] {
  try {
    return readCocoMini();
  } catch {
    return [];
  }
}

// Photos whose main object is one of the detector's classes, beyond doubt (captions in the comments).
const CLEAR_PHOTOS: [number, string][] = [
  [358083, 'Cat'], // "A cat next to a reflection of itself in a mirror."
  [418049, 'Dog'], // "A dog that is looking at a can of food."
  [107438, 'Bicycle'], // "A bike parked under a traffic light next to a blue sign."
  [84284, 'Laptop'], // "A computer desk topped with an open laptop computer."
  [183872, 'Person'], // "A lone person skiing down a slope of fresh snow."
];

describe('SSD anchors', () => {
  it('has MediaPipe’s 1917 anchors: 19×19×3, then 10×10, 5×5, 3×3, 2×2 and 1×1 cells of 6', () => {
    const anchors = ssdAnchors(OBJECTRON_SSD_ANCHORS);
    expect(anchors).toHaveLength(19 * 19 * 3 + 6 * (100 + 25 + 9 + 4 + 1));
    expect(anchors[0]).toEqual({ xCenter: 0.5 / 19, yCenter: 0.5 / 19, width: 0.1, height: 0.1 });
    expect(anchors[1]!.width / anchors[1]!.height).toBeCloseTo(2, 12);
    const last = anchors[anchors.length - 1]!;
    expect([last.xCenter, last.yCenter]).toEqual([0.5, 0.5]);
    expect(last.width).toBeCloseTo(Math.sqrt(0.95 * 1), 12); // the interpolated anchor of the top layer
  });
});

describe.skipIf(photos().length === 0)('SSD-MobileNetV2 on coco-mini photos', () => {
  const detector = loadObjectronDetector();
  const byId = new Map(photos().map((p) => [p.imageId, p]));

  for (const [id, label] of CLEAR_PHOTOS) {
    it(`photo ${id}: top class is ${label}`, async () => {
      const photo = byId.get(id);
      expect(photo, `coco-mini has image ${id}`).toBeDefined();
      const output = detector.forward(SsdMobileNetV2.preprocess(await readImage(photo!.path)));
      const scores = detector.classScores(output);
      expect(scores[0]!.label).toBe(label);
      expect(scores[0]!.score).toBeGreaterThan(0.5);
    });
  }

  it('exposes the 19×19×576 and 10×10×1280 feature grids and boxes inside the image', async () => {
    const photo = byId.get(358083)!;
    const output = detector.forward(SsdMobileNetV2.preprocess(await readImage(photo.path)), ['grid19', 'grid10']);
    expect(output.features.grid19?.shape).toEqual([1, 576, 19, 19]);
    expect(output.features.grid10?.shape).toEqual([1, 1280, 10, 10]);
    // ReLU6 activations.
    const grid = Array.from(output.features.grid10!.data);
    expect([Math.min(...grid) >= 0, Math.max(...grid) <= 6, Math.max(...grid) > 0]).toEqual([true, true, true]);
    const encoded = detector.encode(SsdMobileNetV2.preprocess(await readImage(photo.path)));
    expect(encoded.grid.shape).toEqual([1, 576, 19, 19]);
    expect(encoded.condition.shape).toEqual([1, 23]);
    expect(encoded.condition.toArray()[detector.labels.indexOf('Cat') - 1]).toBeCloseTo(
      detector.classScores(output)[0]!.score,
      6,
    );
    const detections = detector.detections(output, { minScore: 0.5 });
    expect(detections[0]?.label).toBe('Cat');
    const box = detections[0]!.box;
    expect(box.xMax - box.xMin).toBeGreaterThan(0.1);
    expect(box.xMin).toBeGreaterThan(-0.1);
    expect(box.yMax).toBeLessThan(1.1);
  });
});
