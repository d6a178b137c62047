import { withBasePath } from '@recurrent/demo-kit';

/** One test sentence of the gallery, on all three sides (line-aligned in Multi30k). */
export interface GallerySentence {
  /** Line number in the split's files (1-based). */
  line: number;
  de: string;
  en: string;
  fr: string;
}

/** public/gallery/gallery.json, written at build time by scripts/copy-assets.mjs from the shared data. */
export interface Gallery {
  split: string;
  seed: number;
  sentences: GallerySentence[];
}

export async function fetchGallery(): Promise<Gallery> {
  const url = withBasePath('/gallery/gallery.json');
  const r = await fetch(url);
  if (!r.ok) throw new Error(`could not load ${url}: HTTP ${r.status}`);
  return (await r.json()) as Gallery;
}

/** A sentence's text in `lang` ('' for a language the gallery does not hold). */
export function sideOf(sentence: GallerySentence, lang: string): string {
  return lang === 'de' || lang === 'en' || lang === 'fr' ? sentence[lang] : '';
}
