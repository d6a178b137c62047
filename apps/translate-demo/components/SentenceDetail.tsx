'use client';
import { Heatmap, Notices, type Notice } from '@recurrent/demo-kit';
import { useMemo, useState } from 'react';
import { alignmentView, type Focus } from '../lib/alignment-view';
import { formatMs } from '../lib/display';
import type { SentenceTranslation } from '../lib/protocol';
import { AlignedWords } from './AlignedWords';

/** What the page should say about one sentence's input and output. */
export function sentenceNotices(t: SentenceTranslation): Notice[] {
  const notices: Notice[] = [];
  if (t.unknown.length > 0)
    notices.push({
      kind: 'unknown',
      level: 'warning',
      message: `Characters the model never saw became <unk>: ${t.unknown.map((c) => `“${c}”`).join(', ')}.`,
    });
  if (t.sourceTruncated)
    notices.push({ kind: 'truncated', level: 'warning', message: 'The sentence was cut at 400 subword pieces.' });
  if (!t.finished)
    notices.push({
      kind: 'unfinished',
      level: 'warning',
      message: 'The translation reached the length limit before the model ended it.',
    });
  return notices;
}

/** One sentence in full: both sides word by word, the attention heatmap, the n-best list and the timings. */
export function SentenceDetail({
  translation,
  pieces,
  sourceLanguage,
  targetLanguage,
}: {
  translation: SentenceTranslation;
  pieces: boolean;
  sourceLanguage: string;
  targetLanguage: string;
}) {
  const [focus, setFocus] = useState<Focus | null>(null);
  const view = useMemo(() => alignmentView(translation, { pieces }), [translation, pieces]);
  const unit = pieces ? 'subword pieces' : 'words';
  const t = translation.timings;
  return (
    <div className="sentence-detail">
      <Notices notices={sentenceNotices(translation)} label="Sentence notices" />
      <AlignedWords
        side="source"
        label={`Source ${unit} (${sourceLanguage})`}
        words={view.source}
        attention={view.attention}
        focus={focus}
        onFocus={setFocus}
      />
      <AlignedWords
        side="target"
        label={`Translation ${unit} (${targetLanguage})`}
        words={view.target}
        attention={view.attention}
        probabilities={view.probabilities}
        focus={focus}
        onFocus={setFocus}
      />
      <p className="result-meta">
        Hover a word to see where the model looked: the other sentence is underlined by attention. The shading of the
        translation is the model's doubt (orange: a low probability); the percentage is its probability of the word.
      </p>
      {view.target.length > 0 && view.source.length > 0 ? (
        <Heatmap
          values={view.attention}
          rowLabels={view.target}
          colLabels={view.source}
          ariaLabel={`Attention: ${view.target.length} target ${unit} × ${view.source.length} source ${unit}`}
          domain={[0, 1]}
          formatValue={(v) => v.toFixed(3)}
          highlight={focus?.side === 'target' ? { row: focus.index } : focus ? { col: focus.index } : undefined}
          onHover={(cell) => setFocus(cell ? { side: 'target', index: cell.row } : null)}
          caption={
            `Rows: the translation's ${unit}; columns: the source's. Each row is where the decoder's attention ` +
            `went while it wrote that ${pieces ? 'piece' : 'word'} (a row sums to 1).`
          }
        />
      ) : (
        <p className="notice" role="note">
          The model wrote an empty translation, so there is no attention to draw.
        </p>
      )}
      {translation.nBest.length > 0 && (
        <>
          <h3>n-best list</h3>
          <ol className="n-best" aria-label="n-best translations">
            {translation.nBest.map((h, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: ranks
              <li key={i} className={i === 0 ? 'best' : undefined}>
                <span className="hypothesis">{h.text || '(empty)'}</span>{' '}
                <small>
                  score {h.score.toFixed(3)} · log p {h.logProb.toFixed(2)}
                  {h.finished ? '' : ' · cut at the length limit'}
                </small>
              </li>
            ))}
          </ol>
        </>
      )}
      <p className="result-meta sentence-timings">
        {translation.cached ? 'From the cache of recent sentences; first run: ' : ''}
        encoder {formatMs(t.encodeMs)} · search {formatMs(t.decodeMs)} · total {formatMs(t.totalMs)} ·{' '}
        {translation.sourceTokens.length} source pieces → {translation.tokens.length} target pieces
      </p>
    </div>
  );
}
