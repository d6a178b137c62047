/** One SSD anchor in normalised image coordinates (0–1), as MediaPipe's SsdAnchorsCalculator makes them. */
export interface Anchor {
  xCenter: number;
  yCenter: number;
  width: number;
  height: number;
}

export interface SsdAnchorOptions {
  inputSize: [number, number];
  minScale: number;
  maxScale: number;
  strides: number[];
  aspectRatios: number[];
  /** The lowest layer has 3 anchors (scale 0.1 at ratio 1, then ratios 2 and 0.5) instead of the full set. */
  reduceBoxesInLowestLayer: boolean;
  /** Extra anchor per cell at ratio 1 with scale √(s_i · s_{i+1}) (0 = none). */
  interpolatedScaleAspectRatio: number;
}

/** The anchors of Objectron's SSD-MobileNetV2 (mediapipe/modules/objectron/object_detection_oid_v4_cpu.pbtxt). */
export const OBJECTRON_SSD_ANCHORS: SsdAnchorOptions = {
  inputSize: [300, 300],
  minScale: 0.2,
  maxScale: 0.95,
  strides: [16, 32, 64, 128, 256, 512],
  aspectRatios: [1.0, 2.0, 0.5, 3.0, 0.3333],
  reduceBoxesInLowestLayer: true,
  interpolatedScaleAspectRatio: 1.0,
};

function layerScale(o: SsdAnchorOptions, layer: number): number {
  const n = o.strides.length;
  return n === 1 ? (o.minScale + o.maxScale) / 2 : o.minScale + ((o.maxScale - o.minScale) * layer) / (n - 1);
}

/**
 * SSD anchors in the model's output order: layer by layer, row by row, column by column, then each anchor shape of
 * the cell — the ordering of MediaPipe's SsdAnchorsCalculator, whose behaviour this follows (one layer per stride).
 */
export function ssdAnchors(o: SsdAnchorOptions): Anchor[] {
  const anchors: Anchor[] = [];
  const [inH, inW] = o.inputSize;
  o.strides.forEach((stride, layer) => {
    const shapes: { scale: number; ratio: number }[] = [];
    const scale = layerScale(o, layer);
    if (layer === 0 && o.reduceBoxesInLowestLayer) {
      shapes.push({ scale: 0.1, ratio: 1 }, { scale, ratio: 2 }, { scale, ratio: 0.5 });
    } else {
      for (const ratio of o.aspectRatios) shapes.push({ scale, ratio });
      if (o.interpolatedScaleAspectRatio > 0) {
        const next = layer === o.strides.length - 1 ? 1 : layerScale(o, layer + 1);
        shapes.push({ scale: Math.sqrt(scale * next), ratio: o.interpolatedScaleAspectRatio });
      }
    }
    const rows = Math.ceil(inH / stride);
    const cols = Math.ceil(inW / stride);
    for (let y = 0; y < rows; y++) {
      for (let x = 0; x < cols; x++) {
        for (const { scale: s, ratio } of shapes) {
          const r = Math.sqrt(ratio);
          anchors.push({ xCenter: (x + 0.5) / cols, yCenter: (y + 0.5) / rows, width: s * r, height: s / r });
        }
      }
    }
  });
  return anchors;
}
