'use client';
import { useEffect, useState } from 'react';
import {
  isSuperseded,
  ModelPicker,
  ModelStatus,
  Notices,
  useInferenceClient,
  useModelLoad,
  useShippedModels,
  useWorkerRestarts,
} from '@recurrent/demo-kit';
import { appendToken, continuationText, displayToken, percent, splitUnknown } from '../lib/display';
import { PREFIX_EXAMPLES } from '../lib/examples';
import { keepInBox, pasteInto, PREPARED_CHARS } from '../lib/input';
import { createTextClient } from '../lib/inference-client';
import { prefixNotices } from '../lib/notices';
import type { GenerateResponse, ShippedTextModel, TopKResponse } from '../lib/protocol';

const TOP_K = 10;
const DEBOUNCE_MS = 80;

/** Character models get Shakespeare prefixes and 300-character samples; word (and subword) models sentences. */
function modelUnit(model: ShippedTextModel | undefined): 'char' | 'word' {
  return model?.tokenizer === 'char' ? 'char' : 'word';
}

export function NextWordDemo() {
  const client = useInferenceClient(createTextClient);
  const shipped = useShippedModels<ShippedTextModel>('language-model');
  const models = shipped.status === 'ready' ? shipped.models : [];
  const [modelName, setModelName] = useState('');
  const model = models.find((m) => m.name === modelName) ?? models[0];
  const load = useModelLoad(client, model);
  // After the worker is restarted (a crash), the list is computed again by the new one.
  const restarts = useWorkerRestarts(client);
  const unit = modelUnit(model);
  const [prefixes, setPrefixes] = useState<Record<'char' | 'word', string>>({
    char: PREFIX_EXAMPLES.char[0]!,
    word: PREFIX_EXAMPLES.word[0]!,
  });
  const prefix = prefixes[unit];
  const setPrefix = (p: string) => setPrefixes((old) => ({ ...old, [unit]: p }));
  // The list is kept with the prefix and model it answers, so its notices never describe an earlier prefix.
  const [top, setTop] = useState<(TopKResponse & { prefix: string; model: string }) | null>(null);
  const [topError, setTopError] = useState('');
  const [temperature, setTemperature] = useState(0.8);
  const [seed, setSeed] = useState(1);
  const [generation, setGeneration] = useState<(GenerateResponse & { prefix: string; temperature: number }) | null>(
    null,
  );
  const [generating, setGenerating] = useState(false);
  const [genError, setGenError] = useState('');

  // Top-k next tokens, refreshed as the prefix changes.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `restarts` is a re-run trigger
  useEffect(() => {
    if (!client || !model) return;
    let live = true;
    const timer = setTimeout(async () => {
      try {
        const r = await client.request('topk', { type: 'topk', model: model.name, prefix, k: TOP_K });
        if (live) {
          setTop({ ...r, prefix, model: model.name });
          setTopError('');
        }
      } catch (e) {
        if (live && !isSuperseded(e)) setTopError(e instanceof Error ? e.message : String(e));
      }
    }, DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [client, model, prefix, restarts]);

  // A new model: its old list and sample no longer apply.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the reset is triggered by a model change, not read from it
  useEffect(() => {
    setTop(null);
    setGeneration(null);
  }, [model?.name]);

  async function generate(nextSeed: number) {
    if (!client || !model) return;
    setSeed(nextSeed);
    setGenerating(true);
    setGenError('');
    try {
      const length = unit === 'char' ? 300 : 40;
      const r = await client.request('generate', {
        type: 'generate',
        model: model.name,
        prefix,
        length,
        temperature,
        seed: nextSeed,
      });
      setGeneration({ ...r, prefix, temperature });
    } catch (e) {
      if (!isSuperseded(e)) setGenError(e instanceof Error ? e.message : String(e));
    } finally {
      setGenerating(false);
    }
  }

  const topIsCurrent = top !== null && top.prefix === prefix && top.model === model?.name;
  const notices = prefixNotices(prefix, topIsCurrent ? top : null, unit === 'char' ? 'character' : 'word');
  const maxP = top?.entries[0]?.probability ?? 1;

  return (
    <div className="demo">
      <header className="demo-header">
        <h1>Next word</h1>
        <p className="lede">
          A language model reads your prefix and predicts what comes next. The list updates as you type; sampling draws
          a whole continuation, one token at a time, at the temperature you choose.
        </p>
      </header>

      {shipped.status === 'error' && <p className="error">{shipped.message}</p>}
      {shipped.status === 'ready' && models.length === 0 && (
        <p className="error">No language model is shipped in this build (packages/text/models has none).</p>
      )}
      {models.length > 0 && (
        <ModelPicker legend="Language model" models={models} value={model?.name ?? ''} onChange={setModelName} />
      )}
      <ModelStatus model={model} state={load} />

      <section className="panel">
        <label htmlFor="prefix" className="field-label">
          Prefix
        </label>
        <textarea
          id="prefix"
          className="prefix-input"
          value={prefix}
          onChange={(e) => setPrefix(keepInBox(e.target.value).text)}
          onPaste={(e) => {
            // A giant paste never enters the textarea: only the head the models can read is kept (lib/input.ts).
            const pasted = e.clipboardData.getData('text');
            if (pasted.length <= PREPARED_CHARS) return;
            e.preventDefault();
            const box = e.currentTarget;
            setPrefix(pasteInto(box.value, pasted, box.selectionStart, box.selectionEnd).text);
          }}
          rows={3}
          placeholder={unit === 'char' ? 'Type some Shakespeare…' : 'Type the start of a sentence…'}
          spellCheck={false}
        />
        <fieldset className="examples" aria-label="Example prefixes">
          <span className="examples-label">Examples:</span>
          {PREFIX_EXAMPLES[unit].map((ex) => (
            <button key={ex} type="button" className="chip" onClick={() => setPrefix(ex)}>
              {ex.length > 32 ? `${ex.slice(0, 30).replace(/\n/g, ' ')}…` : ex}
            </button>
          ))}
          <button type="button" className="chip chip-muted" onClick={() => setPrefix('')}>
            Empty
          </button>
        </fieldset>
      </section>

      <Notices notices={notices} label="Prefix notices" />

      <div className="columns">
        <section className="panel">
          <h2 id="topk-heading">
            Top {TOP_K} next {unit === 'char' ? 'characters' : 'words'}
          </h2>
          {topError && (
            <p className="error" role="alert">
              {topError}
            </p>
          )}
          {!top && !topError && <p className="result-meta">{model ? 'Loading the model…' : ''}</p>}
          {top && (
            <ol
              className={topIsCurrent ? 'topk' : 'topk topk-stale'}
              aria-labelledby="topk-heading"
              aria-busy={!topIsCurrent}
            >
              {top.entries.map((e) => {
                const shown = displayToken(e.token);
                return (
                  <li key={e.token}>
                    <button
                      type="button"
                      className="topk-token"
                      title={`Append ${shown.hint ?? `“${e.token}”`} to the prefix`}
                      onClick={() => setPrefix(appendToken(prefix, e.token, model?.tokenizer ?? 'word'))}
                    >
                      <span className="topk-text">{shown.text}</span>
                      {shown.hint && <span className="topk-hint">{shown.hint}</span>}
                    </button>
                    <span className="topk-bar" aria-hidden="true">
                      <span style={{ width: `${(e.probability / maxP) * 100}%` }} />
                    </span>
                    <span className="topk-probability">{percent(e.probability)}</span>
                  </li>
                );
              })}
            </ol>
          )}
          {top && (
            <p className="result-meta">
              Click a {unit === 'char' ? 'character' : 'word'} to append it · {Math.round(top.millis)} ms
            </p>
          )}
        </section>

        <section className="panel">
          <h2>Sampled continuation</h2>
          <div className="controls">
            <label htmlFor="temperature" className="field-label">
              Temperature <output htmlFor="temperature">{temperature.toFixed(2)}</output>
            </label>
            <input
              id="temperature"
              type="range"
              min={0.1}
              max={2}
              step={0.05}
              value={temperature}
              onChange={(e) => setTemperature(Number(e.target.value))}
            />
            <div className="range-ends" aria-hidden="true">
              <span>0.1 · safe, repetitive</span>
              <span>2 · wild</span>
            </div>
            <div className="buttons">
              <button
                type="button"
                className="primary"
                disabled={!client || !model || generating}
                onClick={() => generate(seed)}
              >
                {generating ? 'Sampling…' : 'Generate'}
              </button>
              <button type="button" disabled={!client || !model || generating} onClick={() => generate(seed + 1)}>
                Sample again
              </button>
              <span className="result-meta">seed {seed}</span>
            </div>
          </div>
          {genError && (
            <p className="error" role="alert">
              {genError}
            </p>
          )}
          <section className="generation" aria-label="Generated text" aria-live="polite">
            {generation ? (
              <>
                <span className="generation-prefix">{generation.prefix}</span>
                <span className="generation-continuation">
                  {splitUnknown(continuationText(generation.prefix, generation.continuation, generation.tokenType)).map(
                    (part, i) =>
                      part.unknown ? (
                        <span
                          // biome-ignore lint/suspicious/noArrayIndexKey: parts of one sample, never reordered
                          key={i}
                          className="generated-unknown"
                          title="the model sampled <unk>: a word outside its vocabulary"
                        >
                          ⟨unk⟩
                        </span>
                      ) : (
                        part.text
                      ),
                  )}
                </span>
              </>
            ) : (
              <span className="result-meta">Press Generate to sample a continuation of the prefix.</span>
            )}
          </section>
          {generation && (
            <p className="result-meta">
              {Math.round(generation.millis)} ms · temperature {generation.temperature.toFixed(2)}
            </p>
          )}
        </section>
      </div>
    </div>
  );
}
