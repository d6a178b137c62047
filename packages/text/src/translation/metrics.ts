import { corpusBleu, tokenize13a, tokenizeAnchor, type BleuResult } from './bleu.js';
import { corpusChrf } from './chrf.js';

export interface TranslationScores {
  /** The anchors' convention: lowercased, `\w+|[^\w\s]`-tokenised hypotheses and references, BLEU tokenize=none. */
  bleu: BleuResult;
  /** Cased BLEU with 13a tokenisation (sacrebleu's default `corpus_bleu(hyps, [refs])`). */
  bleuCased13a: BleuResult;
  /** chrF2 (character n = 6, β = 2, whitespace ignored), sacrebleu's default CHRF. */
  chrf: number;
}

/** Score detokenised translations against one reference stream with all three conventions. */
export function scoreTranslations(hypotheses: readonly string[], references: readonly string[]): TranslationScores {
  return {
    bleu: corpusBleu(hypotheses.map(tokenizeAnchor), [references.map(tokenizeAnchor)]),
    bleuCased13a: corpusBleu(hypotheses.map(tokenize13a), [references.map(tokenize13a)]),
    chrf: corpusChrf(hypotheses, [references]),
  };
}
