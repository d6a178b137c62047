'use client';
import { LineChart, useInferenceClient, useResumableRun, useWorkerFailure } from '@recurrent/demo-kit';
import { useState } from 'react';
import { createTrainingClient } from '../lib/inference-client';
import { isTrainUpdate, type TrainResponse, type TrainSettings } from '../lib/protocol';
import { appendTrainUpdate, emptyTrainLog, movingAverage, targetReached, type TrainLog } from '../lib/train-log';
import { DEFAULT_TRAIN_SETTINGS, TARGET_VALID_NLL, trainSettingsProblems } from '../lib/training-run';
import { usePlayer } from '../lib/use-player';
import { PianoRoll } from './PianoRoll';

const HIDDEN_SIZES = [32, 64, 128, 256];

function minutes(seconds: number): string {
  return seconds < 60 ? `${seconds.toFixed(0)} s` : `${(seconds / 60).toFixed(1)} min`;
}

export function TrainDemo() {
  const client = useInferenceClient(createTrainingClient);
  const failure = useWorkerFailure(client);
  const [settings, setSettings] = useState<TrainSettings>(DEFAULT_TRAIN_SETTINGS);
  const player = usePlayer();
  const problems = trainSettingsProblems(settings);
  const run = useResumableRun<TrainLog, TrainResponse>({
    newLog: (runId) => emptyTrainLog(runId, settings),
    send: (held, signal, onUpdate) => {
      if (!client) return Promise.reject(new Error('the training worker is not ready'));
      return client.request(
        'train',
        {
          type: 'train',
          runId: held.runId,
          settings: held.settings,
          haveLosses: held.losses.length,
          haveValidations: held.validations.length,
          haveSamples: held.samples.length,
        },
        { signal, onUpdate },
      );
    },
    append: (held, update) =>
      isTrainUpdate(update) && update.runId === held.runId ? appendTrainUpdate(held, update) : null,
  });
  const { phase, log, answer: result, error } = run;

  function start() {
    if (!client || (phase === 'idle' && problems.length > 0)) return;
    run.start();
  }

  function reset() {
    player.stop();
    run.reset();
  }

  function change(next: Partial<TrainSettings>) {
    setSettings({ ...settings, ...next });
    if (phase !== 'idle') reset();
  }

  const epochs = log?.validations ?? [];
  const reached = log ? targetReached(log, TARGET_VALID_NLL) : null;
  const latest = log?.samples[log.samples.length - 1] ?? null;
  const progress = log
    ? `step ${log.step} of ${log.totalSteps || '…'} · epoch ${log.epoch} of ${log.settings.epochs} · ` +
      `${minutes(log.seconds)}${log.parameters ? ` · ${log.parameters.toLocaleString('en-US')} parameters` : ''}`
    : 'not started';

  return (
    <div className="demo train">
      <header className="demo-header">
        <h1>Train it here</h1>
        <p className="lede">
          Train a small LSTM on the 229 training chorales of JSB (Bach, one frame per quarter note) right in this page:
          @recurrent/music&apos;s <code>jsb</code> task on @recurrent/core&apos;s training runner (Adam, gradient
          clipping at 1, a cosine learning-rate schedule), in a Web Worker. After every epoch it measures the validation
          NLL on the 76 validation chorales and, when that is a new best, writes 32 frames you can play — listen to them
          get better.
        </p>
      </header>

      <section className="panel controls" aria-label="Training settings">
        <div className="settings-row">
          <label className="field-label">
            LSTM hidden size
            <select
              aria-label="Hidden size"
              value={settings.hiddenSize}
              onChange={(e) => change({ hiddenSize: Number(e.target.value) })}
              disabled={phase === 'running'}
            >
              {HIDDEN_SIZES.map((h) => (
                <option key={h} value={h}>
                  {h}
                </option>
              ))}
            </select>
          </label>
          <label className="field-label">
            Epochs
            <input
              type="number"
              min={1}
              max={200}
              value={settings.epochs}
              aria-label="Epochs"
              disabled={phase === 'running'}
              onChange={(e) => change({ epochs: Math.round(Number(e.target.value) || 1) })}
            />
          </label>
          <label className="field-label">
            Learning rate
            <input
              type="number"
              min={0.0005}
              max={0.05}
              step={0.0005}
              value={settings.lr}
              aria-label="Learning rate"
              disabled={phase === 'running'}
              onChange={(e) => change({ lr: Number(e.target.value) })}
            />
          </label>
          <label className="field-label">
            Seed
            <input
              type="number"
              min={0}
              value={settings.seed}
              aria-label="Seed"
              disabled={phase === 'running'}
              onChange={(e) => change({ seed: Math.max(0, Math.round(Number(e.target.value) || 0)) })}
            />
          </label>
        </div>
        {problems.length > 0 && (
          <ul className="error" role="alert" aria-label="Setting problems">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        )}
        <div className="buttons">
          <button
            type="button"
            className="primary"
            onClick={start}
            disabled={
              !client || phase === 'running' || phase === 'finished' || (phase === 'idle' && problems.length > 0)
            }
          >
            {phase === 'paused' ? 'Resume' : 'Start training'}
          </button>
          <button type="button" onClick={run.pause} disabled={phase !== 'running'}>
            Pause
          </button>
          <button type="button" onClick={reset} disabled={phase === 'idle'}>
            Reset
          </button>
          <output className="result-meta" aria-label="Training progress" data-phase={phase}>
            {progress}
          </output>
        </div>
        {(error ?? failure) && (
          <p className="error" role="alert">
            {failure ? `The training worker stopped: ${failure}` : error}
          </p>
        )}
      </section>

      {log && (
        <div className="columns">
          <section className="panel" aria-label="Training loss">
            <h2>Training loss, every step</h2>
            <LineChart
              series={[
                { name: 'step', values: log.losses },
                { name: 'moving average (20 steps)', values: movingAverage(log.losses, 20) },
              ]}
              ariaLabel={`Training loss over ${log.losses.length} steps (nats per frame)`}
              xTitle="training step"
              readout={(i) => `step ${i + 1}: ${(log.losses[i] ?? Number.NaN).toFixed(3)} nats/frame`}
              width={460}
              height={260}
            />
            <p className="caption">
              −log p of a batch of 8 chorales per frame, summed over the 88 keys (nats). An untrained model starts near
              61 (every key at 50 %); predicting &quot;nothing sounds&quot; well gets to about 12, learning which notes
              go together goes below 10.
            </p>
          </section>
          <section className="panel" aria-label="Validation NLL">
            <h2>Validation NLL, every epoch</h2>
            {epochs.length > 0 ? (
              <LineChart
                series={[
                  { name: 'training (epoch mean)', values: epochs.map((v) => v.trainLoss) },
                  { name: 'validation', values: epochs.map((v) => v.nll) },
                ]}
                ariaLabel={`Validation NLL over ${epochs.length} epochs`}
                xLabels={epochs.map((v) => String(v.epoch))}
                xTitle="epoch"
                midline={TARGET_VALID_NLL}
                pointTitle={(i, v) => `epoch ${i + 1}: ${v.toFixed(3)}`}
                width={460}
                height={260}
              />
            ) : (
              <p className="result-meta">The first validation comes at the end of epoch 1.</p>
            )}
            <output className="caption block" aria-label="Target">
              Line: the stated target, validation NLL {TARGET_VALID_NLL.toFixed(1)} nats/frame.{' '}
              {reached
                ? `Reached at epoch ${reached.epoch} after ${minutes(reached.seconds)} of training.`
                : 'Not reached yet.'}
              {result && result.bestNll !== null ? ` Best: ${result.bestNll.toFixed(3)}.` : ''}
            </output>
          </section>
        </div>
      )}

      {log && log.samples.length > 0 && (
        <section className="panel" aria-label="Samples">
          <h2>Samples from the best model so far</h2>
          {latest && (
            <PianoRoll
              roll={latest.roll}
              primerFrames={0}
              cursor={player.playing === `epoch-${latest.epoch}` ? player.frame : null}
              ariaLabel={`Sample after epoch ${latest.epoch}`}
              width={640}
            />
          )}
          <ul className="samples" aria-label="Samples by epoch">
            {log.samples.map((s) => {
              const id = `epoch-${s.epoch}`;
              return (
                <li key={id}>
                  <button
                    type="button"
                    onClick={() =>
                      player.playing === id
                        ? player.stop()
                        : void player.play({
                            id,
                            notes: s.notes,
                            secondsPerFrame: s.secondsPerFrame,
                            frames: s.roll.frames,
                          })
                    }
                  >
                    {player.playing === id ? 'Stop' : 'Play'}
                  </button>{' '}
                  after epoch {s.epoch} · validation NLL {s.validNll.toFixed(3)}
                </li>
              );
            })}
          </ul>
          <p className="caption">
            Each sample: 32 frames (quarter notes) drawn at temperature 1 with seed 0 from the model that had the best
            validation NLL at that point. Early ones are random clusters; then the model finds the chorales&apos; key
            and four-voice texture.
          </p>
        </section>
      )}
    </div>
  );
}
