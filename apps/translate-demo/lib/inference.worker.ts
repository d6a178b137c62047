/// <reference lib="webworker" />
// The translators run here, off the main thread, so typing never waits for a beam search. The channel (queue, lanes
// where a newer request supersedes an older one, cancellation, model cache, errors) is @recurrent/demo-kit's
// serveWorker; this file holds only the model calls.
import { FormatError, initWasm, isWasmReady, loadModelFromFiles } from '@recurrent/core';
import { basePath, fetchModelFiles, serveWorker, type HandlerContext } from '@recurrent/demo-kit/worker';
import { Translator, type TranslateOptions, type TranslationResult } from '@recurrent/text';
import type {
  Decoding,
  SentenceTranslation,
  TranslateDemoRequest,
  TranslateDemoResponses,
  TranslateRequest,
  TranslateResponse,
} from './protocol';

type Context = HandlerContext<Translator>;

/** Sentences kept translated (per model and decoding): editing one sentence of a paragraph re-translates only it. */
const CACHE_SIZE = 200;
const cache = new Map<string, SentenceTranslation>();

function remember(key: string, value: SentenceTranslation): void {
  cache.delete(key);
  cache.set(key, value);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
}

function options(d: Decoding): TranslateOptions {
  return d.method === 'greedy'
    ? { method: 'greedy' }
    : { method: 'beam', beamSize: d.beamSize, alpha: d.alpha, nBest: d.beamSize };
}

function view(r: TranslationResult): SentenceTranslation {
  return {
    source: r.source.text,
    sourceTokens: r.source.tokens,
    unknown: r.source.unknown,
    sourceTruncated: r.source.truncated,
    text: r.text,
    tokens: r.tokens,
    attention: r.attention,
    tokenProbabilities: r.tokenProbabilities,
    nBest: r.nBest.map((h) => ({
      text: h.text,
      tokens: h.tokens,
      score: h.score,
      logProb: h.logProb,
      finished: h.finished,
    })),
    finished: r.finished,
    timings: { encodeMs: r.timings.encodeMs, decodeMs: r.timings.decodeMs, totalMs: r.timings.totalMs },
    cached: false,
  };
}

async function translate(req: TranslateRequest, ctx: Context): Promise<TranslateResponse> {
  const model = await ctx.model(req.model);
  const started = performance.now();
  const translations: SentenceTranslation[] = [];
  for (const [index, sentence] of req.sentences.entries()) {
    await ctx.checkpoint(); // a newer paragraph (the user typed on) stops this one between sentences
    const key = JSON.stringify([req.model, req.decoding, sentence]);
    const known = cache.get(key);
    const translation = known ? { ...known, cached: true } : view(model.translate(sentence, options(req.decoding)));
    if (!known) remember(key, translation);
    translations.push(translation);
    ctx.update({ index, translation });
  }
  return { translations, millis: performance.now() - started };
}

serveWorker<TranslateDemoRequest, TranslateDemoResponses, Translator>({
  init: () => initWasm(),
  backend: () => (isWasmReady() ? 'WebAssembly SIMD' : 'TypeScript'),
  loadModel: async (name, { onProgress }) => {
    const files = await fetchModelFiles(
      name,
      { 'config.json': 'text', 'tokenizer.json': 'text', 'model.safetensors': 'bytes' },
      { onProgress, base: basePath() },
    );
    // The model registry picks the loader from config.json's kind (@recurrent/text registers "translator").
    const model = loadModelFromFiles(files);
    if (!(model instanceof Translator)) throw new FormatError(`${name}/config.json: not a translator`);
    return model;
  },
  handlers: { translate },
});
