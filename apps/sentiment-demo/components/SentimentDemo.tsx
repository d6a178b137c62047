'use client';
import { useEffect, useMemo, useState } from 'react';
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
import { createTextClient } from '../lib/inference-client';
import { SENTIMENT_EXAMPLES, TRICKY_EXAMPLES } from '../lib/examples';
import { percent, probabilityText } from '../lib/display';
import { type BoxText, keepInBox, pasteInto, prepareBounded, PREPARED_CHARS } from '../lib/input';
import { sentimentNotices } from '../lib/notices';
import type { SentimentResponse, ShippedTextModel } from '../lib/protocol';
import { TrajectoryChart } from './TrajectoryChart';

/** Wait this long after the last keystroke before classifying. */
const DEBOUNCE_MS = 200;

type Phase = 'idle' | 'loading-model' | 'classifying' | 'done' | 'error';

/** A worker's answer together with the input it answers. */
interface Answer<T> {
  text: string;
  model: string;
  value: T;
}

/** The answer's value when it answers exactly this text with this model, else null (it is stale). */
function answerFor<T>(answer: Answer<T> | null, text: string, model: string | undefined): T | null {
  return answer && answer.text === text && answer.model === model ? answer.value : null;
}

export function SentimentDemo() {
  const client = useInferenceClient(createTextClient);
  const shipped = useShippedModels<ShippedTextModel>('sentiment');
  const models = shipped.status === 'ready' ? shipped.models : [];
  const [modelName, setModelName] = useState('');
  const [text, setText] = useState(SENTIMENT_EXAMPLES[0]!.text);
  // How long the visitor's input was when the box kept only the head of a giant paste (lib/input.ts), else null.
  const [originalLength, setOriginalLength] = useState<number | null>(null);
  const setBox = ({ text, originalLength }: BoxText) => {
    setText(text);
    setOriginalLength(originalLength > text.length ? originalLength : null);
  };
  const setExample = (example: string) => setBox({ text: example, originalLength: example.length });
  // Answers are kept with the text and model they answer: a notice or verdict for an earlier text is never shown
  // as if it described the current one (the effect below clears them, but only after a render with the new text).
  const [answer, setAnswer] = useState<Answer<SentimentResponse> | null>(null);
  const [trajectoryAnswer, setTrajectoryAnswer] = useState<Answer<number[]> | null>(null);
  const [phase, setPhase] = useState<Phase>('idle');
  const [error, setError] = useState('');
  const model = models.find((m) => m.name === modelName) ?? models[0];
  const load = useModelLoad(client, model);
  const empty = useMemo(() => prepareBounded(text).empty, [text]); // bounded: a 20 MB paste is not prepared whole
  // A new worker after a crash (or the retry below) classifies the text again.
  const restarts = useWorkerRestarts(client);
  const [retries, setRetries] = useState(0);
  const retry = () => {
    if (client && client.failure !== null && client.restart()) return; // the restart re-runs the effect
    setRetries((n) => n + 1);
  };
  // A classification that failed because the model did not load (or the worker crashed) runs again once it is ready.
  const modelReady = load.status === 'ready';
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the model becomes ready, reading the phase then
  useEffect(() => {
    if (modelReady && phase === 'error') setRetries((n) => n + 1);
  }, [modelReady]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `restarts` and `retries` are re-run triggers
  useEffect(() => {
    if (!client || !model) return;
    let live = true;
    setAnswer(null);
    setTrajectoryAnswer(null);
    if (empty) {
      setPhase('idle');
      return;
    }
    setPhase('classifying');
    const timer = setTimeout(async () => {
      try {
        const verdict = await client.request('sentiment', {
          type: 'sentiment',
          model: model.name,
          text,
          trajectory: false,
          originalLength: originalLength ?? undefined,
        });
        if (!live) return;
        setAnswer({ text, model: model.name, value: verdict });
        setPhase('done');
        const full = await client.request('sentiment', {
          type: 'sentiment',
          model: model.name,
          text,
          trajectory: true,
          originalLength: originalLength ?? undefined,
        });
        if (live) setTrajectoryAnswer({ text, model: model.name, value: full.trajectory });
      } catch (e) {
        if (!live || isSuperseded(e)) return;
        setError(e instanceof Error ? e.message : String(e));
        setPhase('error');
      }
    }, DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [client, model, text, empty, restarts, retries, originalLength]);

  const result = answerFor(answer, text, model?.name);
  const trajectory = answerFor(trajectoryAnswer, text, model?.name);
  const notices = sentimentNotices(result, empty);
  const positive = result?.label === 'positive';
  const tokenCount = result?.tokens.length.toLocaleString('en-US');
  // A failed model load or worker is shown by ModelStatus at once; the verdict says so in that render, not "Reading…".
  const failed = phase === 'error' || load.status === 'error' || load.status === 'worker-failed';

  return (
    <div className="demo">
      <header className="demo-header">
        <h1>Sentiment</h1>
        <p className="lede">
          An LSTM reads your text word by word and says whether it is positive or negative. The chart shows what it
          believes after each word: many-to-one classification, made visible.
        </p>
      </header>

      {shipped.status === 'error' && <p className="error">{shipped.message}</p>}
      {shipped.status === 'ready' && models.length === 0 && (
        <p className="error">No sentiment model is shipped in this build (packages/text/models has none).</p>
      )}
      {models.length > 0 && (
        <ModelPicker legend="Model" models={models} value={model?.name ?? ''} onChange={setModelName} />
      )}
      <ModelStatus model={model} state={load} />

      <section className="panel">
        <label htmlFor="review" className="field-label">
          Review text
        </label>
        <textarea
          id="review"
          className="review-input"
          value={text}
          onChange={(e) => setBox(keepInBox(e.target.value))}
          onPaste={(e) => {
            // A giant paste never enters the textarea: the page keeps its head (see lib/input.ts).
            const pasted = e.clipboardData.getData('text');
            if (pasted.length <= PREPARED_CHARS) return;
            e.preventDefault();
            const box = e.currentTarget;
            setBox(pasteInto(box.value, pasted, box.selectionStart, box.selectionEnd));
          }}
          rows={5}
          placeholder="Type or paste a movie review…"
          spellCheck={false}
        />
        <div className="input-meta">
          {text.length.toLocaleString('en-US')} characters
          {originalLength !== null &&
            ` (the first of ${originalLength.toLocaleString('en-US')} given: the box keeps ` +
              `${PREPARED_CHARS.toLocaleString('en-US')})`}
        </div>
        <fieldset className="examples" aria-label="Example reviews">
          <span className="examples-label">Examples:</span>
          {SENTIMENT_EXAMPLES.map((ex) => (
            <button key={ex.label} type="button" className="chip" onClick={() => setExample(ex.text)} title={ex.text}>
              {ex.label}
            </button>
          ))}
        </fieldset>
        <fieldset className="examples" aria-label="Tricky inputs">
          <span className="examples-label">Tricky input:</span>
          {TRICKY_EXAMPLES.map((ex) => (
            <button key={ex.label} type="button" className="chip chip-muted" onClick={() => setExample(ex.text)}>
              {ex.label}
            </button>
          ))}
        </fieldset>
      </section>

      <Notices notices={notices} label="Input notices" />
      {phase === 'error' && (
        <p className="error" role="alert">
          Something went wrong: {error}.{' '}
          <button type="button" className="retry" onClick={retry}>
            Try again
          </button>
        </p>
      )}

      <section className="panel result" aria-label="Result" aria-busy={!result && !empty && !failed}>
        <div className="verdict-row">
          <div>
            <div className="field-label">Verdict</div>
            <output
              aria-label="Verdict"
              className={`verdict ${result ? (positive ? 'verdict-positive' : 'verdict-negative') : 'verdict-none'}`}
            >
              {result ? (positive ? 'Positive' : 'Negative') : empty || failed ? '—' : 'Reading…'}
            </output>
          </div>
          <div className="probability">
            <div className="field-label" id="probability-label">
              Probability of positive
            </div>
            <output aria-labelledby="probability-label" className="probability-value">
              {result ? probabilityText(result.probability) : '—'}
            </output>
            <div className="meter" aria-hidden="true">
              <div className="meter-mid" />
              {result && <div className="meter-marker" style={{ left: percent(result.probability) }} />}
            </div>
            <div className="meter-ends" aria-hidden="true">
              <span>negative</span>
              <span>positive</span>
            </div>
          </div>
        </div>
        {result && (
          <p className="result-meta">
            {tokenCount} tokens read by {model?.title} in {Math.round(result.millis)} ms
          </p>
        )}
        {result && trajectory && trajectory.length === result.tokens.length && (
          <TrajectoryChart tokens={result.tokens} trajectory={trajectory} />
        )}
        {result && !trajectory && <p className="result-meta">Drawing the per-word trajectory…</p>}
        {result && trajectory && result.tokens.length <= 400 && (
          <figure className="tokens" aria-label="Tokens coloured by the running prediction">
            {result.tokens.map((t, i) => {
              const p = trajectory[i] ?? 0.5;
              const unknown = result.unknown.includes(t);
              return (
                <span
                  // biome-ignore lint/suspicious/noArrayIndexKey: token i of the review (tokens repeat)
                  key={i}
                  className={unknown ? 'token token-unknown' : 'token'}
                  style={{ background: unknown ? undefined : tokenColour(p) }}
                  title={`${unknown ? 'not in the vocabulary · ' : ''}${percent(p)} positive after this token`}
                >
                  {t}
                </span>
              );
            })}
          </figure>
        )}
      </section>
    </div>
  );
}

/** Red (negative) through white to green (positive). */
function tokenColour(p: number): string {
  const strength = Math.min(1, Math.abs(p - 0.5) * 2);
  return p >= 0.5 ? `rgba(22, 163, 74, ${0.08 + 0.32 * strength})` : `rgba(220, 38, 38, ${0.08 + 0.32 * strength})`;
}
