import { megabytes } from '@recurrent/demo-kit';
import { languageName } from '../lib/directions';
import type { ShippedTranslator, SplitScores } from '../lib/protocol';

const count = (n: number) => n.toLocaleString('en-US');

function scoreLine(s: SplitScores, decoding: string): string {
  const parts = [`BLEU ${s.bleu.toFixed(1)}`];
  if (s.bleuCased13a !== null) parts.push(`cased 13a BLEU ${s.bleuCased13a.toFixed(1)}`);
  if (s.chrf !== null) parts.push(`chrF2 ${s.chrf.toFixed(1)}`);
  const of = s.sentences !== null ? `, ${count(s.sentences)} sentences` : '';
  return `${parts.join(' · ')} (${decoding}${of})`;
}

function duration(seconds: number): string {
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/** What a shipped translator is, how it was trained, how good it measured and what it cannot do. */
export function ModelCard({ model }: { model: ShippedTranslator }) {
  const c = model.card;
  const a = c.architecture;
  const from = languageName(model.languages.source);
  const to = languageName(model.languages.target);
  const { beam5, greedy } = c.test;
  return (
    <section className="panel model-card" aria-label={`Model card: ${model.title}`}>
      <h3>
        Model card: {from} → {to} <small>({model.name})</small>
      </h3>
      <dl>
        <dt>Model</dt>
        <dd>
          {a.bidirectional ? 'Bidirectional ' : ''}
          {a.cell.toUpperCase()} encoder ({a.encoderHidden} per direction, {a.encoderLayers} layer
          {a.encoderLayers > 1 ? 's' : ''}), {a.cell.toUpperCase()} decoder ({a.decoderHidden}) with{' '}
          {a.attention === 'additive' ? 'additive (Bahdanau)' : `${a.attention} (Luong)`} attention
          {a.decoderStyle === 'bahdanau'
            ? ' in Bahdanau style (attention before each step, the context fed to the decoder, words predicted ' +
              'from state, context and previous word)'
            : a.inputFeeding
              ? ' and input feeding'
              : ''}
          ; embeddings {a.embeddingDim}; one joint {count(a.vocabSize)}
          -piece BPE vocabulary for both languages.
        </dd>
        <dt>Size</dt>
        <dd>
          {c.parameters !== null ? `${count(c.parameters)} parameters · ` : ''}
          {megabytes(model.bytes)} to download{c.weights ? ` (weights in ${c.weights})` : ''}
        </dd>
        <dt>Training data</dt>
        <dd>{c.data ?? 'not recorded'}</dd>
        <dt>Trained by</dt>
        <dd>
          {c.command ? <code>{c.command}</code> : 'not recorded'}
          {c.epochs !== null || c.trainingSeconds !== null ? (
            <span className="card-note">
              {' '}
              (
              {[
                c.epochs !== null ? `${c.epochs} epochs` : '',
                c.bestEpoch !== null ? `best validation at epoch ${c.bestEpoch}` : '',
                c.trainingSeconds !== null ? `${duration(c.trainingSeconds)} of training` : '',
              ]
                .filter(Boolean)
                .join(', ')}
              )
            </span>
          ) : null}
        </dd>
        <dt>Test set (Multi30k test_2016_flickr)</dt>
        <dd>
          {beam5 || greedy ? (
            <>
              {beam5 && <div>{scoreLine(beam5, 'beam 5')}</div>}
              {greedy && <div>{scoreLine(greedy, 'greedy')}</div>}
            </>
          ) : (
            'not measured yet'
          )}
        </dd>
        {c.valid && (
          <>
            <dt>Validation (selected checkpoint)</dt>
            <dd>{scoreLine(c.valid, 'greedy')}</dd>
          </>
        )}
        <dt>Limits</dt>
        <dd>
          It knows one domain: Multi30k's short descriptions of Flickr photos (people, animals, what they do and wear,
          where). Anything else — news, dialogue, questions, long or technical sentences, names it never saw — comes out
          as a photo description or in pieces. BLEU lowercases and compares words with one reference translation.
        </dd>
      </dl>
    </section>
  );
}
