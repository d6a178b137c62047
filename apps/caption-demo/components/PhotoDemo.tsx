'use client';
import {
  isSuperseded,
  ModelPicker,
  ModelStatus,
  useInferenceClient,
  useModelLoad,
  useShippedModels,
  useWorkerRestarts,
  WorkerFailureAlert,
} from '@recurrent/demo-kit';
import { useEffect, useRef, useState } from 'react';
import { decodeFile, drawAttention, drawBoxes, drawPixels } from '../lib/draw';
import { fetchGallery, galleryUrl, type GalleryPhoto } from '../lib/gallery';
import { createCaptionClient } from '../lib/inference-client';
import type { CaptionView, DetectResponse, Pixels, ShippedCaptioner } from '../lib/protocol';
import { readUploadedPhoto } from '../lib/upload';
import { CaptionWords, NBest } from './CaptionWords';
import { DetectorCard, ModelCard } from './ModelCard';

interface Photo {
  name: string;
  pixels: Pixels;
  credit: GalleryPhoto | null;
}

interface Answer {
  photo: Photo;
  detection: DetectResponse;
  captions: CaptionView[];
}

const CANVAS = 420;

/** Check the header (format, size limit) before the browser decodes anything. */
async function readUpload(file: File): Promise<Photo> {
  return { name: file.name, pixels: await readUploadedPhoto(file, decodeFile), credit: null };
}

export function PhotoDemo() {
  const client = useInferenceClient(createCaptionClient);
  // After the worker is restarted (a crash), the current photo is run again by the new one.
  const restarts = useWorkerRestarts(client);
  const shipped = useShippedModels<ShippedCaptioner>('coco-captioner');
  const models = shipped.status === 'ready' ? shipped.models : [];
  const [modelName, setModelName] = useState('');
  const model = models.find((m) => m.name === modelName) ?? models[0];
  const load = useModelLoad(client, model);
  const [gallery, setGallery] = useState<GalleryPhoto[]>([]);
  const [photo, setPhoto] = useState<Photo | null>(null);
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [boxes, setBoxes] = useState(true);
  const [beam, setBeam] = useState(3);
  const [shown, setShown] = useState(0);
  const [word, setWord] = useState<number | null>(null);
  const canvas = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    fetchGallery()
      .then(setGallery)
      .catch((e: unknown) => setError(`The gallery did not load: ${(e as Error).message}`));
  }, []);

  // Run the detector (and the captioner when one is shipped) on the current photo.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `restarts` is a re-run trigger
  useEffect(() => {
    if (!client || !photo || shipped.status === 'loading') return;
    let live = true;
    setBusy(true);
    setError(null);
    const done = (a: Answer) => {
      if (!live) return;
      setAnswer(a);
      setShown(0);
      setWord(null);
      setBusy(false);
    };
    const fail = (e: unknown) => {
      if (!live || isSuperseded(e)) return;
      setError((e as Error).message);
      setBusy(false);
    };
    if (model) {
      client
        .request('photo', { type: 'caption-photo', model: model.name, image: photo.pixels, beam })
        .then((r) => done({ photo, detection: r, captions: r.captions }))
        .catch(fail);
    } else {
      client
        .request('photo', { type: 'detect', image: photo.pixels })
        .then((r) => done({ photo, detection: r, captions: [] }))
        .catch(fail);
    }
    return () => {
      live = false;
    };
  }, [client, photo, model, beam, shipped.status, restarts]);

  // The caption appears word by word.
  const best = answer?.captions[0];
  useEffect(() => {
    if (!best || shown >= best.words.length) return;
    const t = setTimeout(() => setShown((s) => s + 1), 250);
    return () => clearTimeout(t);
  }, [best, shown]);

  useEffect(() => {
    const c = canvas.current;
    if (!c || !photo) return;
    drawPixels(c, photo.pixels, true);
    if (answer?.photo !== photo) return;
    const map = word !== null ? best?.attention[word] : undefined;
    if (best && map) drawAttention(c, map, best.grid);
    if (boxes) drawBoxes(c, answer.detection.detections);
  }, [photo, answer, word, boxes, best]);

  const pickGallery = async (p: GalleryPhoto) => {
    setError(null);
    try {
      const r = await fetch(galleryUrl(p));
      if (!r.ok) throw new Error(`${p.file}: HTTP ${r.status}`);
      setPhoto({ name: `photo ${p.id}`, pixels: await decodeFile(await r.blob()), credit: p });
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const upload = async (file: File | undefined) => {
    if (!file) return;
    setError(null);
    try {
      setPhoto(await readUpload(file));
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const current = answer && answer.photo === photo ? answer : null;
  return (
    <div className="caption-demo">
      <section className="panel">
        <h2>Caption a photo</h2>
        {shipped.status === 'ready' && models.length === 0 && (
          <p className="notice" role="note">
            No trained photo captioner is shipped yet (the training command is in packages/vision/README.md), so this
            page writes no captions. The detector the captioner looks through works without one: pick a photo to see its
            classes and boxes.
          </p>
        )}
        {models.length > 0 && model && (
          <>
            <ModelPicker legend="Captioner" models={models} value={model.name} onChange={setModelName} />
            <ModelStatus model={model} state={load} />
          </>
        )}
        {!model && <WorkerFailureAlert client={client} what="The detector's worker" />}
        <fieldset className="gallery">
          <legend>Gallery (CC BY / CC BY-SA photos from COCO)</legend>
          {gallery.map((p) => (
            <button type="button" key={p.id} onClick={() => void pickGallery(p)} aria-label={`Gallery photo ${p.id}`}>
              {/* biome-ignore lint/performance/noImgElement: a static export serves the files as they are */}
              <img src={galleryUrl(p)} alt={p.references[0] ?? `photo ${p.id}`} width={96} height={72} />
            </button>
          ))}
        </fieldset>
        <label
          className="drop-zone"
          onDragOver={(e) => e.preventDefault()}
          onDrop={(e) => {
            e.preventDefault();
            void upload(e.dataTransfer.files[0]);
          }}
        >
          Upload or drop a photo (JPEG, PNG, WebP; it stays in your browser)
          <input
            type="file"
            accept="image/jpeg,image/png,image/webp"
            onChange={(e) => void upload(e.target.files?.[0])}
          />
        </label>
        <div className="controls">
          <label>
            <input type="checkbox" checked={boxes} onChange={(e) => setBoxes(e.target.checked)} /> Detector boxes
          </label>
          {model && (
            <label>
              Beam{' '}
              <select value={beam} onChange={(e) => setBeam(Number(e.target.value))} aria-label="Beam size">
                {[1, 2, 3, 5].map((b) => (
                  <option key={b} value={b}>
                    {b}
                  </option>
                ))}
              </select>
            </label>
          )}
        </div>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </section>
      {photo && (
        <section className="panel photo-view">
          <canvas
            ref={canvas}
            width={CANVAS}
            height={Math.round((CANVAS * photo.pixels.height) / photo.pixels.width)}
            aria-label={`Photo: ${photo.name}`}
          />
          {busy && <p aria-live="polite">Running the detector{model ? ' and the captioner' : ''}…</p>}
          {photo.credit && (
            <p className="credit">
              Photo:{' '}
              <a href={photo.credit.flickrUrl} rel="noreferrer">
                Flickr
              </a>{' '}
              (via COCO), licence{' '}
              <a href={photo.credit.licenceUrl} rel="noreferrer">
                {photo.credit.licence}
              </a>
              . Human caption: “{photo.credit.references[0]}”.{' '}
              {photo.credit.split === 'train'
                ? 'A training photo: the photo captioner learned its five captions.'
                : 'A val photo: the photo captioner never saw it.'}
            </p>
          )}
          {current && best && (
            <>
              <CaptionWords caption={best} shown={shown} selected={word} onSelect={setWord} />
              <NBest captions={current.captions} />
            </>
          )}
          {current && (
            <>
              <h3>Detector classes</h3>
              <ul className="classes" aria-label="Detector classes">
                {current.detection.classes.slice(0, 5).map((c) => (
                  <li key={c.label}>
                    {c.label} <small>{(100 * c.score).toFixed(0)} %</small>
                  </li>
                ))}
              </ul>
              <output aria-label="Detections">
                {`${current.detection.detections.length} box(es) over 50 %; `}
                {`detector ${current.detection.millis.toFixed(0)} ms`}
              </output>
            </>
          )}
        </section>
      )}
      <DetectorCard />
      {models.map((m) => (
        <ModelCard key={m.name} model={m} />
      ))}
    </div>
  );
}
