'use client';
import {
  downloadBytes,
  isSuperseded,
  ModelPicker,
  ModelStatus,
  Notices,
  readUpload,
  UploadError,
  useInferenceClient,
  useModelLoad,
  useShippedModels,
  withBasePath,
  type Notice,
} from '@recurrent/demo-kit';
import { useEffect, useMemo, useState } from 'react';
import { MAX_CHARS, MAX_FRAMES } from '../lib/compose';
import { createMusicClient } from '../lib/inference-client';
import type { ShippedMusicModel } from '../lib/model-card';
import {
  type GeneratedMusic,
  type GenerateProgress,
  type GenerateRequest,
  isGenerateProgress,
  type PrimerInput,
  type PrimerLibrary,
  type PrimerSummary,
} from '../lib/protocol';
import { realTimeSentence } from '../lib/timing';
import { usePlayer } from '../lib/use-player';
import { ModelCard } from './ModelCard';
import { PianoRoll } from './PianoRoll';
import { SheetMusic } from './SheetMusic';

const KINDS = ['piano-roll-rnn', 'rnn-nade', 'language-model'] as const;
/** Uploads: MIDI or ABC, at most 1 MB (a long piano piece is ~100 kB; the model reads at most 64 frames). */
export const UPLOAD_RULES = { extensions: ['.mid', '.midi', '.abc'], maxBytes: 1_000_000, what: 'a MIDI or ABC file' };

interface Upload {
  name: string;
  bytes: Uint8Array;
  summary: PrimerSummary | null;
}

interface Result {
  music: GeneratedMusic;
  model: ShippedMusicModel;
  seed: number;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function MusicDemo() {
  const client = useInferenceClient(createMusicClient);
  const manifest = useShippedModels<ShippedMusicModel>(KINDS);
  const models = manifest.status === 'ready' ? manifest.models : [];
  const [modelName, setModelName] = useState('');
  const model = models.find((m) => m.name === modelName) ?? models[0];
  const load = useModelLoad(client, model);
  const [library, setLibrary] = useState<PrimerLibrary | null>(null);
  const [libraryError, setLibraryError] = useState<string | null>(null);
  const [primerId, setPrimerId] = useState<string>('first');
  const [upload, setUpload] = useState<Upload | null>(null);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const [temperature, setTemperature] = useState(1);
  const [frames, setFrames] = useState(64);
  const [chars, setChars] = useState(600);
  const [seed, setSeed] = useState(0);
  const [running, setRunning] = useState(false);
  const [progress, setProgress] = useState<GenerateProgress | null>(null);
  const [result, setResult] = useState<Result | null>(null);
  const [error, setError] = useState<string | null>(null);
  const player = usePlayer();

  useEffect(() => {
    fetch(withBasePath('/primers/primers.json'))
      .then((r) => {
        if (!r.ok) throw new Error(`HTTP ${r.status}`);
        return r.json() as Promise<PrimerLibrary>;
      })
      .then(setLibrary)
      .catch((e: unknown) => setLibraryError(`The built-in primers could not be loaded (${message(e)}).`));
  }, []);

  const family = model?.family ?? 'roll';
  const builtIn = useMemo(() => {
    if (!library || !model) return [];
    if (model.family === 'folk') return library.abc.map((p) => ({ id: p.id, title: p.title }));
    return (library.roll[model.dataset ?? ''] ?? []).map((p) => ({ id: p.id, title: p.title }));
  }, [library, model]);
  const chosen =
    primerId === 'upload' && upload
      ? 'upload'
      : primerId === 'none' || builtIn.some((p) => p.id === primerId)
        ? primerId
        : (builtIn[0]?.id ?? 'none');

  function primerInput(): PrimerInput {
    if (chosen === 'upload' && upload) return { kind: 'file', name: upload.name, bytes: upload.bytes };
    if (chosen === 'none' || !library) return { kind: 'none' };
    const abc = library.abc.find((p) => p.id === chosen);
    if (abc) return { kind: 'abc', abc: abc.abc };
    const roll = Object.values(library.roll)
      .flat()
      .find((p) => p.id === chosen);
    return roll ? { kind: 'pitches', pitches: roll.pitches } : { kind: 'none' };
  }

  async function inspect(next: Upload, forModel: ShippedMusicModel | undefined) {
    if (!client || !forModel) return;
    try {
      const summary = await client.request('inspect', {
        type: 'inspect-primer',
        family: forModel.family,
        stepsPerQuarter: forModel.stepsPerQuarter,
        primer: { kind: 'file', name: next.name, bytes: next.bytes },
      });
      setUpload({ ...next, summary });
      setUploadError(null);
    } catch (e) {
      if (isSuperseded(e)) return;
      setUpload(null);
      setPrimerId('first');
      setUploadError(`Cannot use ${next.name} as a primer: ${message(e)}`);
    }
  }

  async function onFile(file: File | undefined) {
    setUploadError(null);
    if (!file) return;
    try {
      const bytes = await readUpload(file, UPLOAD_RULES);
      const next = { name: file.name, bytes, summary: null };
      setUpload(next);
      setPrimerId('upload');
      await inspect(next, model);
    } catch (e) {
      setUpload(null);
      setPrimerId('first');
      setUploadError(e instanceof UploadError ? e.message : `Cannot read ${file.name}: ${message(e)}`);
    }
  }

  function chooseModel(name: string) {
    setModelName(name);
    const next = models.find((m) => m.name === name);
    if (upload && next && next.family !== model?.family) void inspect(upload, next);
  }

  async function generate() {
    if (!client || !model) return;
    const request: GenerateRequest = {
      type: 'generate',
      model: model.name,
      primer: primerInput(),
      length: model.family === 'roll' ? frames : chars,
      temperature,
      seed,
    };
    player.stop();
    setRunning(true);
    setError(null);
    setProgress(null);
    try {
      const music = await client.request('generate', request, {
        onUpdate: (u) => isGenerateProgress(u) && setProgress(u),
      });
      setResult({ music, model, seed });
    } catch (e) {
      if (!isSuperseded(e)) setError(`Could not generate: ${message(e)}`);
    } finally {
      setRunning(false);
    }
  }

  const notices: Notice[] = [];
  if (result) {
    result.music.primerNotes.forEach((m, i) => {
      notices.push({ kind: `primer-${i}`, level: 'info', message: m });
    });
    if (result.music.abcProblem)
      notices.push({
        kind: 'abc',
        level: 'warning',
        message: `abcjs rejects the tune the model wrote, so it has no notes to play: ${result.music.abcProblem}`,
      });
  }
  const music = result?.music;
  const lengthMax = family === 'roll' ? MAX_FRAMES : MAX_CHARS;

  return (
    <div className="demo music">
      <header className="demo-header">
        <h1>Music from a recurrent network</h1>
        <p className="lede">
          The lecture&apos;s one-to-many RNN, composing: give a model the start of a piece and it continues frame by
          frame (or, for the folk model, character by character of ABC text), each step drawn from the distribution it
          predicts after reading everything before. Everything runs in your browser.
        </p>
      </header>

      <section className="panel controls" aria-label="Settings">
        {manifest.status === 'loading' && <p className="result-meta">Loading the model list…</p>}
        {manifest.status === 'error' && (
          <p className="error" role="alert">
            {manifest.message}
          </p>
        )}
        {manifest.status === 'ready' && models.length === 0 && (
          <p className="error" role="note">
            No music model was shipped with this build (packages/music/models is empty).
          </p>
        )}
        {models.length > 0 && model && (
          <>
            <ModelPicker legend="Model" models={models} value={model.name} onChange={chooseModel} />
            <ModelStatus model={model} state={load} />
          </>
        )}
        <fieldset className="primer-picker">
          <legend>Primer</legend>
          <label className="field-label">
            Start from{' '}
            <select aria-label="Primer" value={chosen} onChange={(e) => setPrimerId(e.target.value)}>
              <option value="none">{family === 'folk' ? 'nothing (the tune header X:1)' : 'silence'}</option>
              {builtIn.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.title}
                </option>
              ))}
              {upload && <option value="upload">Uploaded: {upload.name}</option>}
            </select>
          </label>
          <label className="field-label">
            or upload a .mid or .abc file{' '}
            <input
              type="file"
              accept=".mid,.midi,.abc"
              aria-label="Upload a primer"
              onChange={(e) => {
                void onFile(e.target.files?.[0]);
                e.target.value = '';
              }}
            />
          </label>
          {upload?.summary && chosen === 'upload' && (
            <output className="result-meta block" aria-label="Uploaded primer">
              {[
                `${upload.name}: ${upload.summary.notes} notes, ${upload.summary.frames} frames on this model's grid.`,
                ...upload.summary.notices,
              ].join(' ')}
            </output>
          )}
          {uploadError && (
            <p className="error" role="alert" aria-label="Upload problem">
              {uploadError}
            </p>
          )}
          {libraryError && <p className="error">{libraryError}</p>}
        </fieldset>
        <div className="settings-row">
          <label className="field-label">
            Temperature {temperature.toFixed(2)}
            <input
              type="range"
              min={0.2}
              max={2}
              step={0.05}
              value={temperature}
              aria-label="Temperature"
              onChange={(e) => setTemperature(Number(e.target.value))}
            />
          </label>
          <label className="field-label">
            {family === 'roll' ? 'Frames to add' : 'Characters at most'}
            <input
              type="number"
              min={1}
              max={lengthMax}
              value={family === 'roll' ? frames : chars}
              aria-label="Length"
              onChange={(e) => {
                const v = Math.max(1, Math.min(lengthMax, Math.round(Number(e.target.value) || 1)));
                if (family === 'roll') setFrames(v);
                else setChars(v);
              }}
            />
          </label>
          <label className="field-label">
            Seed
            <input
              type="number"
              min={0}
              value={seed}
              aria-label="Seed"
              onChange={(e) => setSeed(Math.max(0, Math.round(Number(e.target.value) || 0)))}
            />
          </label>
        </div>
        <div className="buttons">
          <button type="button" className="primary" onClick={generate} disabled={!client || !model || running}>
            Generate
          </button>
          {running && (
            <output aria-label="Generation progress" className="result-meta">
              <progress max={progress?.total ?? 1} value={progress?.done ?? 0} />{' '}
              {progress ? `${progress.done} of ${progress.total} ${progress.unit}` : 'starting…'}
            </output>
          )}
        </div>
        {error && (
          <p className="error" role="alert" aria-label="Generation problem">
            {error}
          </p>
        )}
      </section>

      {music && result && (
        <section className="panel" aria-label="Result">
          <h2>
            {result.model.title} · seed {result.seed}
          </h2>
          <Notices notices={notices} label="About this result" />
          <output
            className="result-meta block"
            aria-label="Generation time"
            data-millis={music.millis}
            data-frames={music.generatedFrames}
            data-seconds-per-frame={music.secondsPerFrame}
          >
            {realTimeSentence(music)}
          </output>
          {music.roll.frames > 0 && (
            <PianoRoll
              roll={music.roll}
              primerFrames={music.primerFrames}
              probabilities={music.probabilities}
              cursor={player.playing === 'result' ? player.frame : null}
              ariaLabel={`Piano roll: ${music.primerFrames} primer frames and ${
                music.roll.frames - music.primerFrames
              } generated frames`}
            />
          )}
          <div className="buttons">
            <button
              type="button"
              disabled={music.notes.length === 0}
              onClick={() =>
                player.playing === 'result'
                  ? player.stop()
                  : void player.play({
                      id: 'result',
                      notes: music.notes,
                      secondsPerFrame: music.secondsPerFrame,
                      frames: music.roll.frames,
                    })
              }
            >
              {player.playing === 'result' ? 'Stop' : 'Play'}
            </button>
            <button
              type="button"
              disabled={!music.midi}
              onClick={() =>
                music.midi && downloadBytes(music.midi, `${result.model.name}-seed${result.seed}.mid`, 'audio/midi')
              }
            >
              Download .mid
            </button>
          </div>
          {player.error && (
            <p className="error" role="alert">
              {player.error}
            </p>
          )}
          {music.abc !== null && (
            <div className="columns">
              <figure className="abc-text-figure" aria-label="ABC text">
                <pre className="abc-text">{music.abc}</pre>
              </figure>
              {!music.abcProblem && <SheetMusic abc={music.abc} label="Sheet music" />}
            </div>
          )}
          <p className="caption">
            Grey: the primer. Coloured: what the model drew.
            {music.probabilities
              ? ' Shading: the probability the model gave each key in each new frame — notes usually sit on dark ' +
                'cells; at a higher temperature more of the light ones get drawn.'
              : ''}
          </p>
        </section>
      )}

      {model && <ModelCard model={model} />}
    </div>
  );
}
