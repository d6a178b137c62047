/// <reference lib="webworker" />
// The music models run here, off the main thread. The channel (queue, lanes, cancellation, model cache, errors) is
// @recurrent/demo-kit's serveWorker; the model calls are lib/compose.ts.
import { FormatError, initWasm, isWasmReady } from '@recurrent/core';
import { basePath } from '@recurrent/demo-kit';
import { fetchModelFiles, serveWorker, type HandlerContext } from '@recurrent/demo-kit/worker';
import { loadRollModelFromBytes } from '@recurrent/music';
import { LanguageModel, loadModelFromBytes } from '@recurrent/text';
import { compose, inspectPrimer, type LoadedMusicModel } from './compose';
import type { GeneratedMusic, GenerateRequest, MusicRequest, MusicResponses } from './protocol';

async function generate(req: GenerateRequest, ctx: HandlerContext<LoadedMusicModel>): Promise<GeneratedMusic> {
  const loaded = await ctx.model(req.model);
  await ctx.checkpoint();
  return compose(loaded, req, (p) => ctx.update(p));
}

serveWorker<MusicRequest, MusicResponses, LoadedMusicModel>({
  init: () => initWasm(),
  backend: () => (isWasmReady() ? 'WebAssembly SIMD' : 'TypeScript'),
  loadModel: async (name, { onProgress }) => {
    const base = basePath();
    const { 'config.json': configText } = await fetchModelFiles(name, { 'config.json': 'text' }, { base });
    const config = JSON.parse(configText) as { kind?: unknown };
    if (config.kind === 'language-model') {
      const files = await fetchModelFiles(
        name,
        { 'model.safetensors': 'bytes', 'tokenizer.json': 'text' },
        { onProgress, base },
      );
      const model = loadModelFromBytes(files['model.safetensors'], files['tokenizer.json'], configText);
      if (!(model instanceof LanguageModel)) throw new FormatError(`${name}/config.json: not a language model`);
      return { family: 'folk', model };
    }
    const files = await fetchModelFiles(name, { 'model.safetensors': 'bytes' }, { onProgress, base });
    const { model, config: parsed } = loadRollModelFromBytes(files['model.safetensors'], configText);
    return { family: 'roll', model, stepsPerQuarter: parsed.stepsPerQuarter };
  },
  handlers: { generate, 'inspect-primer': (req) => inspectPrimer(req) },
});
