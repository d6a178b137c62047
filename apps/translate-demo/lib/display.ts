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
