'use client';
import { Generator } from '@recurrent/core';
import {
  isSuperseded,
  ModelPicker,
  ModelStatus,
  useInferenceClient,
  useModelLoad,
  useShippedModels,
  WorkerFailureAlert,
} from '@recurrent/demo-kit';
import {
  COLOURS,
  SHAPES,
  captionScene,
  generateScene,
  radiusOf,
  renderShapes,
  type Colour,
  type SceneObject,
  type Shape,
  type Size,
} from '@recurrent/vision';
import { useEffect, useMemo, useRef, useState } from 'react';
import { drawAttention, drawPixels } from '../lib/draw';
import { createCaptionClient } from '../lib/inference-client';
import type { CaptionView, Pixels, ShippedCaptioner } from '../lib/protocol';
import { CaptionWords, NBest } from './CaptionWords';
import { ModelCard } from './ModelCard';

const SIDE = 64;
const CANVAS = 384;

function randomScene(seed: number): SceneObject[] {
  return generateScene(new Generator(seed), 'test', { size: SIDE }).objects;
}

export function SceneDemo() {
  const client = useInferenceClient(createCaptionClient);
  const shipped = useShippedModels<ShippedCaptioner>('scene-captioner');
  const models = shipped.status === 'ready' ? shipped.models : [];
  const [modelName, setModelName] = useState('');
  const model = models.find((m) => m.name === modelName) ?? models[0];
  const load = useModelLoad(client, model);
  const [seed, setSeed] = useState(1);
  const [objects, setObjects] = useState<SceneObject[]>(() => randomScene(1));
  const [selected, setSelected] = useState(0);
  const [shape, setShape] = useState<Shape>('circle');
  const [colour, setColour] = useState<Colour>('red');
  const [size, setSize] = useState<Size>('large');
  const [captions, setCaptions] = useState<{ pixels: Pixels; captions: CaptionView[] } | null>(null);
  const [word, setWord] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const canvas = useRef<HTMLCanvasElement>(null);

  const pixels = useMemo<Pixels>(() => {
    const { rgba } = renderShapes(objects, SIDE);
    return { data: new Uint8ClampedArray(rgba), width: SIDE, height: SIDE };
  }, [objects]);
  const truth = useMemo(() => (objects.length > 0 ? captionScene(objects).text : ''), [objects]);

  // Caption live: every change of the scene asks the worker again (a newer request supersedes an older one).
  useEffect(() => {
    if (!client || !model || objects.length === 0) return;
    let live = true;
    client
      .request('scene', { type: 'caption-scene', model: model.name, image: pixels, beam: 1 })
      .then((r) => {
        if (!live) return;
        setCaptions({ pixels, captions: r.captions });
        setWord(0);
        setError(null);
      })
      .catch((e: unknown) => {
        if (live && !isSuperseded(e)) setError((e as Error).message);
      });
    return () => {
      live = false;
    };
  }, [client, model, pixels, objects.length]);

  const best = captions?.pixels === pixels ? captions.captions[0] : undefined;
  useEffect(() => {
    const c = canvas.current;
    if (!c) return;
    drawPixels(c, pixels, false);
    const map = best && word !== null ? best.attention[word] : undefined;
    if (best && map) drawAttention(c, map, best.grid);
  }, [pixels, best, word]);

  const update = (i: number, patch: Partial<SceneObject>) =>
    setObjects((list) => list.map((o, k) => (k === i ? { ...o, ...patch } : o)));
  const add = () => {
    if (objects.length >= 4) return;
    const r = radiusOf(size, SIDE);
    setObjects((list) => [...list, { shape, colour, size, cx: SIDE / 2, cy: SIDE / 2, radius: r }]);
    setSelected(objects.length);
  };
  const moveTo = (e: React.MouseEvent<HTMLCanvasElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    const x = ((e.clientX - rect.left) / rect.width) * SIDE;
    const y = ((e.clientY - rect.top) / rect.height) * SIDE;
    if (objects[selected]) update(selected, { cx: Math.round(x), cy: Math.round(y) });
  };

  return (
    <div className="caption-demo">
      <section className="panel">
        <h2>Compose a scene</h2>
        {shipped.status === 'ready' && models.length === 0 && (
          <p className="notice" role="note">
            No trained scenes captioner is shipped yet (the training command is in packages/vision/README.md), so no
            model caption is shown. The grammar's own caption of the scene — the truth a model is measured against — is
            below.
          </p>
        )}
        {model && (
          <>
            <ModelPicker legend="Captioner" models={models} value={model.name} onChange={setModelName} />
            <ModelStatus model={model} state={load} />
          </>
        )}
        {!model && <WorkerFailureAlert client={client} />}
        <div className="controls">
          <button
            type="button"
            onClick={() => {
              setSeed(seed + 1);
              setObjects(randomScene(seed + 1));
              setSelected(0);
            }}
          >
            Random scene
          </button>
          <select aria-label="Shape" value={shape} onChange={(e) => setShape(e.target.value as Shape)}>
            {SHAPES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
          <select aria-label="Colour" value={colour} onChange={(e) => setColour(e.target.value as Colour)}>
            {COLOURS.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
          <select aria-label="Size" value={size} onChange={(e) => setSize(e.target.value as Size)}>
            <option>small</option>
            <option>large</option>
          </select>
          <button type="button" onClick={add} disabled={objects.length >= 4}>
            Add shape
          </button>
        </div>
        <ul className="scene-objects" aria-label="Shapes in the scene">
          {objects.map((o, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: objects are positions in the scene
            <li key={i}>
              <label>
                <input type="radio" name="selected" checked={i === selected} onChange={() => setSelected(i)} />
                {o.size} {o.colour} {o.shape}
              </label>{' '}
              <select
                aria-label={`Colour of shape ${i + 1}`}
                value={o.colour}
                onChange={(e) => update(i, { colour: e.target.value as Colour })}
              >
                {COLOURS.map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>{' '}
              <button
                type="button"
                onClick={() => {
                  setObjects(objects.filter((_, k) => k !== i));
                  setSelected(0);
                }}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
        <p>Click the scene to move the selected shape there.</p>
      </section>
      <section className="panel photo-view">
        <canvas ref={canvas} width={CANVAS} height={CANVAS} onClick={moveTo} aria-label="Scene" />
        <p>
          <strong>Grammar's caption (truth):</strong> <output aria-label="Grammar caption">{truth || '—'}</output>
        </p>
        {best && (
          <>
            <CaptionWords caption={best} shown={best.words.length} selected={word} onSelect={setWord} />
            <div className="controls">
              <button type="button" onClick={() => setWord((w) => Math.max(0, (w ?? 0) - 1))}>
                ← Previous word
              </button>
              <button type="button" onClick={() => setWord((w) => Math.min(best.words.length - 1, (w ?? -1) + 1))}>
                Next word →
              </button>
            </div>
            <NBest captions={captions?.captions ?? []} />
          </>
        )}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </section>
      {models.map((m) => (
        <ModelCard key={m.name} model={m} />
      ))}
    </div>
  );
}
