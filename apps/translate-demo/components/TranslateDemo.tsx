'use client';
import {
  isSuperseded,
  ModelPicker,
  ModelStatus,
  Notices,
  useInferenceClient,
  useModelLoad,
  useShippedModels,
  type Notice,
} from '@recurrent/demo-kit';
import { corpusChrf } from '@recurrent/text';
import { useEffect, useMemo, useState } from 'react';
import { DIRECTIONS, EXAMPLES, languageName } from '../lib/directions';
import { paragraphTimings } from '../lib/display';
import { fetchGallery, sideOf, type Gallery as GalleryData, type GallerySentence } from '../lib/gallery';
import { createTranslateClient } from '../lib/inference-client';
import type { Decoding, SentenceTranslation, SentenceUpdate, ShippedTranslator } from '../lib/protocol';
import { splitSentences } from '../lib/sentences';
import { DecodingControls } from './DecodingControls';
import { Gallery } from './Gallery';
import { ModelCard } from './ModelCard';
import { SentenceDetail } from './SentenceDetail';

/** Wait this long after the last keystroke (or control change) before translating. */
const DEBOUNCE_MS = 300;
/** The longest text the box takes (about 40 long sentences; each is translated on its own). */
const MAX_CHARS = 4000;

/** The worker's answer for one paragraph, kept with what it answers so a stale one is never shown as current. */
interface Answer {
  key: string;
  sentences: string[];
  /** Filled in as the worker streams each sentence. */
  translations: (SentenceTranslation | undefined)[];
  /** Worker wall time of the whole paragraph; null until every sentence is in. */
  millis: number | null;
}

const requestKey = (model: string, decoding: Decoding, sentences: readonly string[]) =>
  JSON.stringify([model, decoding, sentences]);

function missingDirections(models: readonly ShippedTranslator[]): Notice[] {
  return DIRECTIONS.filter((d) => !models.some((m) => m.name === d.model)).map((d) => ({
    kind: `missing-${d.model}`,
    level: 'warning' as const,
    message:
      `${languageName(d.source)} → ${languageName(d.target)} is unavailable: no trained model was in ` +
      `packages/text/models/${d.model} when this page was built.`,
  }));
}

export function TranslateDemo() {
  const client = useInferenceClient(createTranslateClient);
  const shipped = useShippedModels<ShippedTranslator>('translator');
  const models = shipped.status === 'ready' ? shipped.models : [];
  const [modelName, setModelName] = useState('');
  const model = models.find((m) => m.name === modelName) ?? models[0];
  const load = useModelLoad(client, model);
  const source = model?.languages.source ?? 'de';
  const target = model?.languages.target ?? 'en';
  // null: the example sentence of the current direction's source language (so switching direction switches it).
  const [typed, setTyped] = useState<string | null>(null);
  const text = typed ?? EXAMPLES[source] ?? '';
  const [decoding, setDecoding] = useState<Decoding>({ method: 'beam', beamSize: 5, alpha: 0.6 });
  const [pieces, setPieces] = useState(false);
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState(0);
  const [gallery, setGallery] = useState<GalleryData | null>(null);
  const sentences = useMemo(() => splitSentences(text), [text]);
  const key = model ? requestKey(model.name, decoding, sentences) : '';

  useEffect(() => {
    fetchGallery()
      .then(setGallery)
      .catch((e: unknown) => setError(`The test sentences did not load: ${(e as Error).message}`));
  }, []);

  // Translate (debounced) whenever the text, the direction or the decoding changes; sentences stream in one by one.
  useEffect(() => {
    if (!client || !model) return;
    const current = requestKey(model.name, decoding, sentences);
    if (sentences.length === 0) {
      setAnswer({ key: current, sentences, translations: [], millis: 0 });
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      const partial: (SentenceTranslation | undefined)[] = sentences.map(() => undefined);
      const onUpdate = (update: unknown) => {
        if (!live) return;
        const { index, translation } = update as SentenceUpdate;
        partial[index] = translation;
        setAnswer({ key: current, sentences, translations: [...partial], millis: null });
      };
      client
        .request('translate', { type: 'translate', model: model.name, sentences, decoding }, { onUpdate })
        .then((r) => {
          if (!live) return;
          setError(null);
          setAnswer({ key: current, sentences, translations: r.translations, millis: r.millis });
        })
        .catch((e: unknown) => {
          if (!live || isSuperseded(e)) return;
          setError(e instanceof Error ? e.message : String(e));
        });
    }, DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [client, model, sentences, decoding]);

  const current = answer !== null && answer.key === key;
  const done = current && answer.millis !== null;
  const shown = answer?.translations ?? [];
  const index = Math.min(selected, Math.max(0, shown.length - 1));
  const detail = shown[index];
  const reference = useMemo(() => {
    const match = gallery?.sentences.find((s) => sideOf(s, source) === text.trim());
    return match ? { line: match.line, text: sideOf(match, target) } : null;
  }, [gallery, source, target, text]);
  const chrf = useMemo(() => {
    if (!done || !reference || !answer) return null;
    const hypothesis = answer.translations.map((t) => t?.text ?? '').join(' ');
    return corpusChrf([hypothesis], [[reference.text]]);
  }, [done, reference, answer]);

  const pick = (s: GallerySentence) => {
    setTyped(sideOf(s, source));
    setSelected(0);
  };

  return (
    <div className="translate-demo">
      <section className="panel">
        <h2>Translate as you type</h2>
        {shipped.status === 'error' && (
          <p className="error" role="alert">
            {shipped.message}
          </p>
        )}
        {shipped.status === 'ready' && models.length === 0 && (
          <p className="notice" role="note">
            No trained translation model is shipped yet (the training commands are in packages/text/README.md,
            "Translation"), so this page cannot translate. Neither German → English nor English → French is available.
          </p>
        )}
        {models.length > 0 && model && (
          <>
            <ModelPicker
              legend="Direction"
              models={models}
              value={model.name}
              onChange={(name) => {
                setModelName(name);
                setTyped(null);
                setSelected(0);
              }}
            />
            <ModelStatus model={model} state={load} />
          </>
        )}
        <Notices notices={shipped.status === 'ready' ? missingDirections(models) : []} label="Directions" />
        <label className="field-label" htmlFor="source-text">
          {languageName(source)} text
        </label>
        <textarea
          id="source-text"
          rows={4}
          value={text}
          maxLength={MAX_CHARS}
          disabled={!model}
          onChange={(e) => setTyped(e.target.value)}
          spellCheck={false}
        />
        <p className="input-meta">
          {sentences.length} sentence{sentences.length === 1 ? '' : 's'} · {text.length.toLocaleString('en-US')} of{' '}
          {MAX_CHARS.toLocaleString('en-US')} characters · translated sentence by sentence, in a Web Worker
        </p>
        <DecodingControls decoding={decoding} onDecoding={setDecoding} pieces={pieces} onPieces={setPieces} />
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </section>

      {model && (
        <section className="panel" aria-label="Translation" aria-busy={!done}>
          <h2>{languageName(target)}</h2>
          <div className={current ? 'translation' : 'translation stale'}>
            {shown.map((t, i) =>
              t ? (
                <button
                  // biome-ignore lint/suspicious/noArrayIndexKey: a sentence's position is its identity
                  key={i}
                  type="button"
                  className={i === index ? 'sentence selected' : 'sentence'}
                  onClick={() => setSelected(i)}
                  title={`sentence ${i + 1}: ${t.source}`}
                >
                  {t.text || '(empty)'}
                </button>
              ) : (
                // biome-ignore lint/suspicious/noArrayIndexKey: a sentence's position is its identity
                <span key={i} className="sentence pending">
                  …
                </span>
              ),
            )}
          </div>
          <p className="result-meta" role="status" aria-label="Timings">
            {done ? paragraphTimings(shown, answer?.millis ?? 0, decoding) : 'Translating…'}
          </p>
          {reference && (
            <p className="reference">
              Reference (Multi30k line {reference.line}): “{reference.text}”
              {chrf !== null && <small> · chrF2 of this translation against it: {chrf.toFixed(1)}</small>}
            </p>
          )}
        </section>
      )}

      {model && detail && (
        <section className="panel" aria-label="Attention">
          <h2>
            Sentence {index + 1}
            {shown.length > 1 ? ` of ${shown.length}` : ''}: where the model looked
          </h2>
          <SentenceDetail
            key={`${answer?.key}:${index}`}
            translation={detail}
            pieces={pieces}
            sourceLanguage={languageName(source)}
            targetLanguage={languageName(target)}
          />
        </section>
      )}

      {model && <Gallery gallery={gallery} source={source} target={target} onPick={pick} />}
      {models.map((m) => (
        <ModelCard key={m.name} model={m} />
      ))}
    </div>
  );
}
