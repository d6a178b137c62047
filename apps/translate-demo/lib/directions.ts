// The translation directions this demo offers (issue 13) and the language names it shows.

export const LANGUAGE_NAMES: Record<string, string> = { de: 'German', en: 'English', fr: 'French' };

export const languageName = (code: string): string => LANGUAGE_NAMES[code] ?? code;

export interface Direction {
  /** The model folder under packages/text/models (and public/models). */
  model: string;
  source: string;
  target: string;
}

/** Both directions the demo offers; a missing model folder makes its direction unavailable (and the page says so). */
export const DIRECTIONS: readonly Direction[] = [
  { model: 'multi30k-de-en', source: 'de', target: 'en' },
  { model: 'multi30k-en-fr', source: 'en', target: 'fr' },
];

/** A starting text per source language: the model's own domain (short descriptions of a photo). */
export const EXAMPLES: Record<string, string> = {
  de: 'Ein Mann mit einem orangefarbenen Hut starrt auf etwas. Zwei Hunde spielen im Schnee.',
  en: 'A man in an orange hat is staring at something. Two dogs are playing in the snow.',
};
