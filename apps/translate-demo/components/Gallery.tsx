'use client';
import { languageName } from '../lib/directions';
import { sideOf, type Gallery as GalleryData, type GallerySentence } from '../lib/gallery';

/** Test sentences of the source language to try, each with its reference translation. */
export function Gallery({
  gallery,
  source,
  target,
  onPick,
}: {
  gallery: GalleryData | null;
  source: string;
  target: string;
  onPick: (sentence: GallerySentence) => void;
}) {
  return (
    <section className="panel gallery" aria-label="Test sentences">
      <h2>Test sentences with their references</h2>
      <p className="result-meta">
        {gallery && gallery.sentences.length > 0
          ? `${gallery.sentences.length} sentences of Multi30k ${gallery.split}, the test set the models are scored ` +
            `on (chosen with seed ${gallery.seed}). Pick one to translate it and compare with the human ` +
            `${languageName(target)} translation.`
          : 'No test sentences: the build did not find the Multi30k data (shared/data/multi30k).'}
      </p>
      <ul className="gallery-list">
        {gallery?.sentences.map((s) => (
          <li key={s.line}>
            <button type="button" onClick={() => onPick(s)} title={`line ${s.line}`}>
              {sideOf(s, source)}
            </button>
          </li>
        ))}
      </ul>
      <p className="credit">
        Sentences: Multi30K (Elliott, Frank, Sima'an and Specia 2016, German; Elliott et al. 2017, French), from the
        multi30k/dataset repository, derived from Flickr30K image descriptions; provided for non-commercial research and
        educational use. They are read from the data at build time, not copied into this repository.
      </p>
    </section>
  );
}
