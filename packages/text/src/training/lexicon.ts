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
 * compound score is ≥ 0). These two rules reproduce the reference figures on the SST-2 test set (67.7 % and
 * 65.5 %). `vader05` uses VADER's documented positive threshold, compound ≥ 0.05 (everything else negative).
 */
export async function lexiconAccuracy(
  texts: readonly LabelledText[],
): Promise<{ afinn: LexiconResult; vader: LexiconResult; vader05: LexiconResult }> {
  const Sentiment = require('sentiment') as SentimentPackage;
  const vader = require('vader-sentiment') as VaderPackage;
  const afinn = new Sentiment();
  let a = 0;
  let v = 0;
  let v05 = 0;
  for (const t of texts) {
    if ((afinn.analyze(t.text).score > 0 ? 1 : 0) === t.label) a++;
    const compound = vader.SentimentIntensityAnalyzer.polarity_scores(t.text).compound;
    if ((compound >= 0 ? 1 : 0) === t.label) v++;
    if ((compound >= 0.05 ? 1 : 0) === t.label) v05++;
  }
  return {
    afinn: { accuracy: a / texts.length, version: versionOf('sentiment'), rule: 'AFINN score > 0 → positive' },
    vader: { accuracy: v / texts.length, version: versionOf('vader-sentiment'), rule: 'VADER compound ≥ 0 → positive' },
    vader05: {
      accuracy: v05 / texts.length,
      version: versionOf('vader-sentiment'),
      rule: 'VADER compound ≥ 0.05 → positive',
    },
  };
}
