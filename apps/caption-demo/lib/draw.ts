// Canvas drawing shared by both pages: an image, an attention map over it, detector boxes.
import type { DetectionView, Pixels } from './protocol';

/** Draw pixels scaled to the canvas (nearest neighbour for small scenes, smooth for photos). */
export function drawPixels(canvas: HTMLCanvasElement, pixels: Pixels, smooth: boolean): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const source = document.createElement('canvas');
  source.width = pixels.width;
  source.height = pixels.height;
  source.getContext('2d')?.putImageData(new ImageData(new Uint8ClampedArray(pixels.data), pixels.width), 0, 0);
  ctx.imageSmoothingEnabled = smooth;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(source, 0, 0, canvas.width, canvas.height);
}

/** Overlay an attention map (gridH·gridW weights) as a translucent heat layer, scaled to its maximum. */
export function drawAttention(
  canvas: HTMLCanvasElement,
  map: readonly number[],
  grid: readonly [number, number],
): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const [gh, gw] = grid;
  const max = Math.max(...map, 1e-12);
  const cw = canvas.width / gw;
  const ch = canvas.height / gh;
  ctx.fillStyle = 'rgba(0, 0, 0, 0.45)';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  for (let i = 0; i < gh; i++) {
    for (let j = 0; j < gw; j++) {
      const a = (map[i * gw + j] ?? 0) / max;
      if (a < 0.02) continue;
      ctx.fillStyle = `rgba(255, 210, 60, ${(0.75 * a).toFixed(3)})`;
      ctx.fillRect(j * cw, i * ch, cw + 0.5, ch + 0.5);
    }
  }
}

export function drawBoxes(canvas: HTMLCanvasElement, detections: readonly DetectionView[]): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.lineWidth = 2;
  ctx.font = '13px sans-serif';
  for (const d of detections) {
    const x = d.box.xMin * canvas.width;
    const y = d.box.yMin * canvas.height;
    const w = (d.box.xMax - d.box.xMin) * canvas.width;
    const h = (d.box.yMax - d.box.yMin) * canvas.height;
    ctx.strokeStyle = '#4fd1ff';
    ctx.strokeRect(x, y, w, h);
    const label = `${d.label} ${(100 * d.score).toFixed(0)} %`;
    ctx.fillStyle = 'rgba(0, 0, 0, 0.7)';
    ctx.fillRect(x, Math.max(0, y - 17), ctx.measureText(label).width + 8, 17);
    ctx.fillStyle = '#4fd1ff';
    ctx.fillText(label, x + 4, Math.max(13, y - 4));
  }
}

/** Decode an image file in the browser after checking its header (size limit before any decoding). */
export async function decodeFile(file: Blob, maxSide = 1024): Promise<Pixels> {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas');
  ctx.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  const data = ctx.getImageData(0, 0, width, height).data;
  return { data, width, height };
}
