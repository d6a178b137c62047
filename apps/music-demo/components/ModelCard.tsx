import { megabytes } from '@recurrent/demo-kit';
import type { ShippedMusicModel } from '../lib/model-card';

const LIMITS: Record<ShippedMusicModel['kind'], string> = {
  'piano-roll-rnn':
    'Each key of a frame is drawn on its own (88 independent sigmoids), so chords can come out too thick or thin; ' +
    'it knows only its data set: 4-voice chorales nearly all in C major / C minor (JSB), or folk melodies with ' +
    'chords (Nottingham). One frame is a quarter note (JSB) or an eighth (Nottingham); no dynamics.',
  'rnn-nade':
    'The keys of a frame are drawn one after another (NADE), so chords stay chords; same data and grid as the ' +
    'chorale model: C major / C minor, quarter-note frames, no dynamics.',
  'language-model':
    'It writes ABC text one character at a time; a tune that abcjs rejects (a stray letter, an unclosed chord) has ' +
    'no notes to play. Monophonic; knows only the Irish tunes it read.',
};

const fixed = (x: number | null, digits: number) => (x === null ? 'not recorded' : x.toFixed(digits));

/** What a shipped model is, how good it measured (its metrics.json) and what it cannot do. */
export function ModelCard({ model }: { model: ShippedMusicModel }) {
  const c = model.card;
  return (
    <section className="panel model-card" aria-label={`Model card: ${model.title}`}>
      <h3>Model card · {model.title}</h3>
      <p>{model.description}</p>
      <dl className="card-facts">
        <dt>Test NLL</dt>
        <dd>
          {fixed(c.testNll, 4)} {c.unit}
        </dd>
        <dt>Validation NLL</dt>
        <dd>
          {fixed(c.validNll, 4)} {c.unit}
        </dd>
        {c.playable.map((p) => (
          <div key={p.temperature} className="card-fact-row">
            <dt>Playable tunes at temperature {p.temperature}</dt>
            <dd>
              {Math.round(p.share * 100)} % of {p.generated}
            </dd>
          </div>
        ))}
        <dt>Architecture</dt>
        <dd>{c.architecture}</dd>
        <dt>Parameters</dt>
        <dd>{c.parameters === null ? 'not recorded' : c.parameters.toLocaleString('en-US')}</dd>
        <dt>Download</dt>
        <dd>{megabytes(model.bytes)}</dd>
        <dt>Training</dt>
        <dd>
          {c.minutes === null ? 'time not recorded' : `${c.minutes.toFixed(1)} min`}
          {c.bestEpoch === null ? '' : ` to its best epoch, ${c.bestEpoch}`} (2-core machine, one thread)
        </dd>
        <dt>Command</dt>
        <dd>
          <code>{c.command ?? 'not recorded'}</code>
        </dd>
      </dl>
      <p className="caption">
        NLL:{' '}
        {c.unit === 'nats/frame'
          ? 'nats per frame — the sum over the 88 keys of −log p, averaged over every frame of the split.'
          : 'nats per character of held-out ABC text.'}{' '}
        <strong>Limits:</strong> {LIMITS[model.kind]}
      </p>
    </section>
  );
}
