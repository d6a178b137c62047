/// <reference lib="webworker" />
// The models run here, off the main thread, so typing never waits for an LSTM. The channel (queue, lanes where a
// newer request supersedes an older one, cancellation, model cache, errors) is @recurrent/demo-kit's serveWorker;
// this file holds only the model calls.
import { initWasm, isWasmReady } from '@recurrent/core';
import { fetchModelFiles, serveWorker, type HandlerContext } from '@recurrent/demo-kit/worker';
import { LanguageModel, loadModelFromBytes, SentimentClassifier, type TextModel } from '@recurrent/text';
import { CONTEXT_CHARS, lastChars } from './context';
import { boundedHead, prepareBounded } from './input';
import type {
  GenerateRequest,
  GenerateResponse,
  LanguageModelInputInfo,
  SentimentRequest,
  SentimentResponse,
  TextRequest,
  TextResponses,
  TopKRequest,
  TopKResponse,
} from './protocol';

type Context = HandlerContext<TextModel>;

/** Prefixes classified per forward pass while drawing the trajectory (between two chances to be superseded). */
const TRAJECTORY_CHUNK = 32;

async function sentimentModel(ctx: Context, name: string): Promise<SentimentClassifier> {
  const m = await ctx.model(name);
  if (!(m instanceof SentimentClassifier)) throw new Error(`${name} is not a sentiment model`);
  return m;
}

async function languageModel(ctx: Context, name: string): Promise<LanguageModel> {
  const m = await ctx.model(name);
  if (!(m instanceof LanguageModel)) throw new Error(`${name} is not a language model`);
  return m;
}

async function classify(req: SentimentRequest, ctx: Context): Promise<SentimentResponse> {
  const m = await sentimentModel(ctx, req.model);
  const started = performance.now();
  // A giant paste is prepared only as far as the model can read (lib/input.ts), not whole.
  const prepared = prepareBounded(req.text);
  const encoded = m.encode(boundedHead(req.text));
  if (encoded.ids.length === 0) throw new Error('the text has no tokens');
  const tokenCount = m.tokenizer.encode(prepared.text).length;
  const probability = m.probabilities([encoded.ids])[0] as number;
  const trajectory: number[] = [];
  if (req.trajectory) {
    const ids = encoded.ids;
    for (let start = 0; start < ids.length; start += TRAJECTORY_CHUNK) {
      await ctx.checkpoint();
      const end = Math.min(ids.length, start + TRAJECTORY_CHUNK);
      const prefixes = Array.from({ length: end - start }, (_, i) => ids.slice(0, start + i + 1));
      trajectory.push(...m.probabilities(prefixes));
    }
  }
  return {
    probability,
    label: probability >= 0.5 ? 'positive' : 'negative',
    tokens: encoded.tokens,
    trajectory,
    unknown: encoded.unknown,
    unknownIds: encoded.ids.filter((x) => x === m.tokenizer.unkId).length,
    tokenCount,
    tokensTruncated: tokenCount > m.architecture.maxTokens,
    maxTokens: m.architecture.maxTokens,
    truncation: m.architecture.truncation,
    originalLength: Math.max(req.originalLength ?? 0, req.text.length),
    charsTruncated: prepared.truncated || (req.originalLength ?? 0) > req.text.length,
    millis: performance.now() - started,
  };
}

function context(m: LanguageModel, prefix: string): { text: string; info: LanguageModelInputInfo } {
  const type = m.tokenizer.type;
  const limit = CONTEXT_CHARS[type];
  const window = lastChars(prepareBounded(prefix).text, limit, type !== 'char');
  const unknown = m.tokenizer.unknownTokens(window.text);
  const droppedUnknown = unknown.length > 0 && m.tokenizer.unkId === null;
  const info = { unknown, droppedUnknown, contextTruncated: window.truncated, contextChars: limit };
  return { text: window.text, info };
}

async function topK(req: TopKRequest, ctx: Context): Promise<TopKResponse> {
  const m = await languageModel(ctx, req.model);
  const started = performance.now();
  const { text, info } = context(m, req.prefix);
  const entries = m.topK(text, req.k).map((e) => ({ token: e.token, probability: e.probability }));
  return { ...info, entries, millis: performance.now() - started };
}

async function generate(req: GenerateRequest, ctx: Context): Promise<GenerateResponse> {
  const m = await languageModel(ctx, req.model);
  const started = performance.now();
  const { text, info } = context(m, req.prefix);
  const out = m.generate(text, { length: req.length, temperature: req.temperature, seed: req.seed });
  return { ...info, continuation: out.text, tokenType: m.tokenizer.type, millis: performance.now() - started };
}

serveWorker<TextRequest, TextResponses, TextModel>({
  init: () => initWasm(),
  backend: () => (isWasmReady() ? 'WebAssembly SIMD' : 'TypeScript'),
  loadModel: async (name, { onProgress }) => {
    const files = await fetchModelFiles(
      name,
      { 'model.safetensors': 'bytes', 'tokenizer.json': 'text', 'config.json': 'text' },
      { onProgress },
    );
    return loadModelFromBytes(files['model.safetensors'], files['tokenizer.json'], files['config.json']);
  },
  handlers: { sentiment: classify, topk: topK, generate },
});
