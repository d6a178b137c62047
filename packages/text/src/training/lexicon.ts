import { createRequire } from 'node:module';
import type { LabelledText } from '../datasets/types.js';

export interface LexiconResult {
  accuracy: number;
  /** Package version used (pinned in package.json). */
  version: string;
  /** Decision rule. */
  rule: string;
}

interface SentimentPackage {
  new (): { analyze(text: string): { score: number } };
}
interface VaderPackage {
  SentimentIntensityAnalyzer: { polarity_scores(text: string): { compound: number } };
}

const require = createRequire(import.meta.url);

function versionOf(pkg: string): string {
  return (require(`${pkg}/package.json`) as { version: string }).version;
}

/**
 * Lexicon baselines on labelled texts: AFINN-165 through the npm `sentiment` package (positive when the summed
 * score is > 0, so neutral texts count as negative) and VADER through npm `vader-sentiment` (positive when the
 * compound score is ≥ 0.05, VADER's own threshold; below that counts as negative).
 */
export async function lexiconAccuracy(texts: readonly LabelledText[]): Promise<{ afinn: LexiconResult; vader: LexiconResult }> {
  const Sentiment = require('sentiment') as SentimentPackage;
  const vader = require('vader-sentiment') as VaderPackage;
  const afinn = new Sentiment();
  let a = 0;
  let v = 0;
  for (const t of texts) {
    if ((afinn.analyze(t.text).score > 0 ? 1 : 0) === t.label) a++;
    if ((vader.SentimentIntensityAnalyzer.polarity_scores(t.text).compound >= 0.05 ? 1 : 0) === t.label) v++;
  }
  return {
    afinn: { accuracy: a / texts.length, version: versionOf('sentiment'), rule: 'AFINN score > 0 → positive' },
    vader: { accuracy: v / texts.length, version: versionOf('vader-sentiment'), rule: 'VADER compound ≥ 0.05 → positive' },
  };
}
