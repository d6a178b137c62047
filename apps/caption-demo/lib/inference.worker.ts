/// <reference lib="webworker" />
// The detector and the captioners run here, off the main thread. The channel (queue, lanes, cancellation, model
// cache, errors) is @recurrent/demo-kit's serveWorker; this file holds only the model calls.
import { FormatError, initWasm, isWasmReady } from '@recurrent/core';
import { basePath, withBasePath } from '@recurrent/demo-kit';
import { fetchModelFiles, serveWorker, type HandlerContext } from '@recurrent/demo-kit/worker';
import {
  CocoCaptioner,
  loadCocoCaptionerFiles,
  loadSceneCaptionerFiles,
  OBJECTRON_PACKED_DATA,
  OBJECTRON_PACKED_LOADER,
  SceneCaptioner,
  SsdMobileNetV2,
  unpackObjectronDetector,
  type ClassScore,
  type Detection,
  type ImageCaption,
  type VisionModel,
} from '@recurrent/vision';
import type {
  CaptionPhotoRequest,
  CaptionPhotoResponse,
  CaptionRequest,
  CaptionResponse,
  CaptionResponses,
  CaptionSceneRequest,
  CaptionView,
  DetectRequest,
  DetectResponse,
  Pixels,
} from './protocol';

type Context = HandlerContext<VisionModel>;

let detector: Promise<SsdMobileNetV2> | null = null;

async function fetchOk(url: string): Promise<Response> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return r;
}

/** MediaPipe's detector, cut out of the packed assets the build copied from @mediapipe/objectron (once). */
function loadDetector(): Promise<SsdMobileNetV2> {
  detector ??= (async () => {
    const dataUrl = withBasePath(`/detector/${OBJECTRON_PACKED_DATA}`);
    const loaderUrl = withBasePath(`/detector/${OBJECTRON_PACKED_LOADER}`);
    const [data, loader, info] = await Promise.all([
      fetchOk(dataUrl).then((r) => r.arrayBuffer()),
      fetchOk(loaderUrl).then((r) => r.text()),
      fetchOk(withBasePath('/detector/detector.json')).then((r) => r.json() as Promise<{ version: string }>),
    ]);
    const assets = unpackObjectronDetector(new Uint8Array(data), loader, {
      data: dataUrl,
      loader: loaderUrl,
      version: info.version,
    });
    return new SsdMobileNetV2(assets.tflite, assets.labels, assets.source);
  })();
  detector.catch(() => {
    detector = null; // retried on the next request
  });
  return detector;
}

const rgba = (p: Pixels) => ({ data: p.data, width: p.width, height: p.height });

function view(c: ImageCaption): CaptionView {
  return {
    words: c.words,
    probabilities: c.probabilities,
    attention: c.attention.map((m) => Array.from(m)),
    grid: c.grid,
    logProb: c.logProb,
    score: c.score,
  };
}

function detectionsView(classes: ClassScore[], detections: Detection[]) {
  return {
    classes: classes.slice(0, 8).map((c) => ({ label: c.label, score: c.score })),
    detections: detections.map((d) => ({ label: d.label, score: d.score, box: d.box })),
  };
}

async function detect(req: DetectRequest, ctx: Context): Promise<DetectResponse> {
  const d = await loadDetector();
  await ctx.checkpoint();
  const started = performance.now();
  const output = d.forward(SsdMobileNetV2.preprocess(rgba(req.image)));
  return { ...detectionsView(d.classScores(output), d.detections(output)), millis: performance.now() - started };
}

async function captionPhoto(req: CaptionPhotoRequest, ctx: Context): Promise<CaptionPhotoResponse> {
  const model = await ctx.model(req.model);
  if (!(model instanceof CocoCaptioner)) throw new Error(`${req.model} is not a photo captioner`);
  const d = await loadDetector();
  await ctx.checkpoint();
  const started = performance.now();
  const r = model.caption(d, rgba(req.image), { beamSize: req.beam, nBest: req.beam });
  return {
    captions: r.captions.map(view),
    ...detectionsView(r.classes, r.detections),
    millis: performance.now() - started,
  };
}

async function captionScene(req: CaptionSceneRequest, ctx: Context): Promise<CaptionResponse> {
  const model = await ctx.model(req.model);
  if (!(model instanceof SceneCaptioner)) throw new Error(`${req.model} is not a scenes captioner`);
  await ctx.checkpoint();
  const started = performance.now();
  const [captions] = model.caption([rgba(req.image)], { beamSize: req.beam, nBest: req.beam });
  return { captions: (captions ?? []).map(view), millis: performance.now() - started };
}

serveWorker<CaptionRequest, CaptionResponses, VisionModel>({
  init: () => initWasm(),
  backend: () => (isWasmReady() ? 'WebAssembly SIMD' : 'TypeScript'),
  loadModel: async (name, { onProgress }) => {
    const files = await fetchModelFiles(
      name,
      { 'config.json': 'text', 'model.safetensors': 'bytes', 'vocabulary.json': 'text' },
      { onProgress, base: basePath() },
    );
    const config = JSON.parse(files['config.json']) as Record<string, unknown>;
    const modelFiles = { ...files, 'config.json': config };
    if (config.kind === 'scene-captioner') return loadSceneCaptionerFiles(modelFiles, config);
    if (config.kind === 'coco-captioner') return loadCocoCaptionerFiles(modelFiles, config);
    throw new FormatError(`${name}/config.json: kind ${JSON.stringify(config.kind)} is not a captioner`);
  },
  handlers: { detect, 'caption-photo': captionPhoto, 'caption-scene': captionScene },
});
