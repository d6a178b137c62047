import type { Decoding, SentenceTranslation } from './protocol';

// Formatting and colours of the translation view. Pure, unit-tested.

/** "0.8 ms", "42 ms", "1.25 s". */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

/** "97 %", "< 1 %". */
export function percent(p: number): string {
  const v = 100 * p;
  if (v > 0 && v < 1) return '< 1 %';
  return `${Math.round(v)} %`;
}

/**
 * The background of a target word by the model's probability of it: clear when the model was sure, shading
 * towards orange as the probability falls (a word it had to guess stands out).
 */
export function probabilityShade(p: number): string {
  const doubt = Math.min(1, Math.max(0, 1 - p));
  return `rgba(234, 88, 12, ${(0.45 * doubt).toFixed(3)})`;
}

/** The underline of a word by how much attention links it to the hovered word of the other sentence (0–1). */
export function alignmentShade(weight: number): string {
  const w = Math.min(1, Math.max(0, weight));
  return `inset 0 -0.5em 0 rgba(51, 85, 214, ${(0.65 * w).toFixed(3)})`;
}

function sum(translations: readonly (SentenceTranslation | undefined)[], key: 'encodeMs' | 'decodeMs' | 'totalMs') {
  return translations.reduce((s, t) => s + (t && !t.cached ? t.timings[key] : 0), 0);
}

/**
 * The timings line of a translated paragraph: the model's encoder, search and total time summed over the sentences
 * it ran (not those answered from the cache), the worker's wall time for the request, and the decoding.
 */
export function paragraphTimings(
  translations: readonly (SentenceTranslation | undefined)[],
  workerMs: number,
  decoding: Decoding,
): string {
  const n = translations.length;
  const how = decoding.method === 'greedy' ? 'greedy' : `beam ${decoding.beamSize}, α ${decoding.alpha.toFixed(1)}`;
  const cached = translations.some((t) => t?.cached) ? '; unchanged sentences from the cache' : '';
  return (
    `${n} sentence${n === 1 ? '' : 's'} · encoder ${formatMs(sum(translations, 'encodeMs'))}` +
    ` · search ${formatMs(sum(translations, 'decodeMs'))} · model ${formatMs(sum(translations, 'totalMs'))}` +
    ` · in the worker ${formatMs(workerMs)} (${how}${cached})`
  );
}
