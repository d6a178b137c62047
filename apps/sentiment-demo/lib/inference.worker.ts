/// <reference lib="webworker" />
// The models run here, off the main thread, so typing never waits for an LSTM. Requests arrive as WorkerMessage and
// are answered in order; a request in a lane ("sentiment", "topk", …) is dropped at its next checkpoint when a newer
// request for the same lane arrives (the user kept typing), so long trajectories never pile up.
import { initWasm, isWasmReady } from '@recurrent/core';
import { LanguageModel, loadModelFromBytes, prepareInput, SentimentClassifier, type TextModel } from '@recurrent/text';
import { CONTEXT_CHARS, lastChars } from './context';
import type {
  GenerateRequest,
  GenerateResponse,
  LanguageModelInputInfo,
  SentimentRequest,
  SentimentResponse,
  TopKRequest,
  TopKResponse,
  WorkerMessage,
  WorkerReply,
} from './protocol';

declare const self: DedicatedWorkerGlobalScope;

/** Prefixes classified per forward pass while drawing the trajectory (between two chances to be superseded). */
const TRAJECTORY_CHUNK = 32;

class Superseded extends Error {
  constructor() {
    super('superseded by a newer request');
  }
}

const wasmReady = initWasm();
const models = new Map<string, Promise<TextModel>>();
/** Newest request id per lane. */
const newest = new Map<string, number>();

async function fetchModel(name: string): Promise<TextModel> {
  if (!/^[\w-]+$/.test(name)) throw new Error(`bad model name ${JSON.stringify(name)}`);
  const base = `/models/${name}/`;
  const get = async (file: string) => {
    const res = await fetch(base + file);
    if (!res.ok) throw new Error(`could not load ${base}${file}: HTTP ${res.status}`);
    return res;
  };
  const [weights, tokenizer, config] = await Promise.all([
    get('model.safetensors').then((r) => r.arrayBuffer()),
    get('tokenizer.json').then((r) => r.text()),
    get('config.json').then((r) => r.text()),
  ]);
  await wasmReady;
  return loadModelFromBytes(new Uint8Array(weights), tokenizer, config);
}

function model(name: string): Promise<TextModel> {
  let m = models.get(name);
  if (!m) {
    m = fetchModel(name);
    models.set(name, m);
    m.catch(() => models.delete(name)); // let a later request retry
  }
  return m;
}

async function sentimentModel(name: string): Promise<SentimentClassifier> {
  const m = await model(name);
  if (!(m instanceof SentimentClassifier)) throw new Error(`${name} is not a sentiment model`);
  return m;
}

async function languageModel(name: string): Promise<LanguageModel> {
  const m = await model(name);
  if (!(m instanceof LanguageModel)) throw new Error(`${name} is not a language model`);
  return m;
}

/** Let queued messages run (a newer request may arrive), then stop if this one is no longer the newest. */
async function checkpoint(lane: string, id: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 0));
  if (newest.get(lane) !== id) throw new Superseded();
}

async function classify(req: SentimentRequest, lane: string, id: number): Promise<SentimentResponse> {
  const m = await sentimentModel(req.model);
  const started = performance.now();
  const prepared = prepareInput(req.text);
  const encoded = m.encode(req.text);
  if (encoded.ids.length === 0) throw new Error('the text has no tokens');
  const tokenCount = m.tokenizer.encode(prepared.text).length;
  const probability = m.probabilities([encoded.ids])[0]!;
  const trajectory: number[] = [];
  if (req.trajectory) {
    const ids = encoded.ids;
    for (let start = 0; start < ids.length; start += TRAJECTORY_CHUNK) {
      await checkpoint(lane, id);
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
    originalLength: req.text.length,
    charsTruncated: prepared.truncated,
    millis: performance.now() - started,
  };
}

function context(m: LanguageModel, prefix: string): { text: string; info: LanguageModelInputInfo } {
  const type = m.tokenizer.type;
  const limit = CONTEXT_CHARS[type];
  const window = lastChars(prepareInput(prefix).text, limit, type !== 'char');
  const unknown = m.tokenizer.unknownTokens(window.text);
  return {
    text: window.text,
    info: { unknown, droppedUnknown: unknown.length > 0 && m.tokenizer.unkId === null, contextTruncated: window.truncated, contextChars: limit },
  };
}

async function topK(req: TopKRequest): Promise<TopKResponse> {
  const m = await languageModel(req.model);
  const started = performance.now();
  const { text, info } = context(m, req.prefix);
  const entries = m.topK(text, req.k).map((e) => ({ token: e.token, probability: e.probability }));
  return { ...info, entries, millis: performance.now() - started };
}

async function generate(req: GenerateRequest): Promise<GenerateResponse> {
  const m = await languageModel(req.model);
  const started = performance.now();
  const { text, info } = context(m, req.prefix);
  const out = m.generate(text, { length: req.length, temperature: req.temperature, seed: req.seed });
  return { ...info, continuation: out.text, tokenType: m.tokenizer.type, millis: performance.now() - started };
}

async function handle({ id, lane, request }: WorkerMessage): Promise<unknown> {
  switch (request.type) {
    case 'status':
      await wasmReady;
      return { wasm: isWasmReady() };
    case 'load':
      await model(request.model);
      return { loaded: true };
    case 'sentiment':
      return classify(request, lane, id);
    case 'topk':
      return topK(request);
    case 'generate':
      return generate(request);
  }
}

// Requests run one at a time, in arrival order; messages still arrive (and mark lanes) while one awaits.
let queue: Promise<void> = Promise.resolve();

self.onmessage = (event: MessageEvent<WorkerMessage>) => {
  const message = event.data;
  newest.set(message.lane, message.id);
  queue = queue.then(async () => {
    let reply: WorkerReply;
    try {
      if (newest.get(message.lane) !== message.id) throw new Superseded();
      reply = { id: message.id, ok: true, result: await handle(message) };
    } catch (e) {
      reply = { id: message.id, ok: false, superseded: e instanceof Superseded, error: e instanceof Error ? e.message : String(e) };
    }
    self.postMessage(reply);
  });
};
