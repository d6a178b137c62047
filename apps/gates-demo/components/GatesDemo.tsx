'use client';
import { longRangeTask } from '@recurrent/core';
import { useInferenceClient, useResumableRun, useWorkerFailure } from '@recurrent/demo-kit';
import { useMemo, useState } from 'react';
import { progressSentence, taskSentence } from '../lib/display';
import type { TrainResponse } from '../lib/protocol';
import { isTrainUpdate } from '../lib/protocol';
import { appendUpdate, emptyLog, latestProfile, type RaceLog } from '../lib/race-log';
import { DEFAULT_SETTINGS, settingsProblems, type RaceSettings } from '../lib/settings';
import { createTrainingClient } from '../lib/training-client';
import { CellTable } from './CellTable';
import { GradientChart } from './GradientChart';
import { LossChart } from './LossChart';
import { SettingsForm } from './SettingsForm';

/** The task's baseline and "solved" threshold for these settings (null while they are not valid). */
function taskOf(s: RaceSettings) {
  if (settingsProblems(s).length > 0) return null;
  return longRangeTask(s.task, { length: s.length });
}

/** A race as the page holds it: its settings (fixed once it started) and its log. */
interface HeldRace {
  runId: number;
  settings: RaceSettings;
  race: RaceLog;
}

export function GatesDemo() {
  const client = useInferenceClient(createTrainingClient);
  const failure = useWorkerFailure(client);
  const [settings, setSettings] = useState<RaceSettings>(DEFAULT_SETTINGS);
  const run = useResumableRun<HeldRace, TrainResponse>({
    newLog: (runId) => ({ runId, settings, race: emptyLog(runId) }),
    send: (held, signal, onUpdate) => {
      if (!client) return Promise.reject(new Error('the training worker is not ready'));
      return client.request(
        'train',
        {
          type: 'train',
          runId: held.runId,
          settings: held.settings,
          haveSteps: held.race.step,
          haveProfiles: held.race.profiles.length,
        },
        { signal, onUpdate },
      );
    },
    append: (held, update) => {
      if (!isTrainUpdate(update) || update.runId !== held.runId) return null;
      const { solvedBelow } = longRangeTask(held.settings.task, { length: held.settings.length });
      return { ...held, race: appendUpdate(held.race, update, solvedBelow) };
    },
  });
  const { phase, answer: result, error } = run;
  const log = run.log?.race ?? null;

  const problems = settingsProblems(settings);
  const invalid = problems.length > 0;
  // The settings of the run on screen (fixed once it started).
  const shown = run.log?.settings ?? settings;
  const task = useMemo(() => taskOf(shown), [shown]);

  function start() {
    if (!client || phase === 'running') return;
    if (phase === 'idle' && invalid) return;
    run.start();
  }

  function changeSettings(next: RaceSettings) {
    setSettings(next);
    if (phase !== 'idle') run.reset();
  }

  const profile = log ? latestProfile(log) : null;
  const budget = shown.steps;
  return (
    <div className="demo gates">
      <header className="demo-header">
        <h1>Why gates</h1>
        <p className="lede">
          Four recurrent cells learn the same long-range task on the same batches with the same budget, here in your
          browser: a vanilla tanh RNN, a ReLU RNN with identity initialisation (IRNN), an LSTM and a GRU. Watch which
          ones learn to remember T steps back, and how the gradient fades — or explodes — on its way back through time.
        </p>
      </header>

      <section className="panel controls" aria-label="Settings">
        <SettingsForm settings={settings} onChange={changeSettings} disabled={phase === 'running'} />
        <p className="result-meta task-line">{task ? taskSentence(task) : ''}</p>
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
            disabled={!client || phase === 'running' || phase === 'finished' || (phase === 'idle' && invalid)}
          >
            {phase === 'paused' ? 'Resume' : 'Start'}
          </button>
          <button type="button" onClick={run.pause} disabled={phase !== 'running'}>
            Pause
          </button>
          <button type="button" onClick={run.reset} disabled={phase === 'idle'}>
            Reset
          </button>
          <output className="result-meta" aria-label="Progress" data-phase={phase}>
            {progressSentence(log, budget, phase)}
          </output>
        </div>
        {(error ?? failure) && (
          <p className="error" role="alert">
            {failure ? `The training worker stopped: ${failure}` : error}
          </p>
        )}
      </section>

      {log && task && (
        <>
          <div className="columns gates-charts">
            <section className="panel" aria-label="Training loss">
              <h2>Training loss</h2>
              <LossChart log={log} budget={budget} baselineLoss={task.baselineLoss} solvedBelow={task.solvedBelow} />
              <p className="caption">
                Each cell&apos;s training loss (a moving average, log scale). The dashed line is the{' '}
                <strong>input-blind baseline</strong>: what a model reaches that remembers nothing. A cell stuck there
                gets no learning signal from the inputs T steps back — backpropagation through time (
                <strong>BPTT</strong>) delivered a <strong>vanished gradient</strong>. Reaching the shaded band is
                solving the task.
              </p>
            </section>
            <section className="panel" aria-label="Gradient through time">
              <h2>‖∂L/∂h_t‖ through time</h2>
              {profile ? <GradientChart record={profile} /> : <p className="result-meta">measuring…</p>}
              <p className="caption">
                {profile ? `After ${profile.step} steps, on a fixed probe batch. ` : ''}BPTT carries the error from the
                last step back to h_0, multiplying by the recurrent Jacobian at every step: a line falling to the left
                is the <strong>vanishing gradient</strong> (tanh RNN, factor below 1 per step), one rising is the{' '}
                <strong>exploding gradient</strong>. <strong>Gating</strong> (LSTM, GRU) adds a path whose Jacobian
                stays near 1; <strong>identity initialisation</strong> (IRNN) starts W_hh at I.
              </p>
            </section>
          </div>
          <section className="panel" aria-label="Cell states">
            <CellTable log={log} profile={profile} heldOut={result?.heldOut ?? null} baselineLoss={task.baselineLoss} />
            <p className="caption">
              <strong>Clipping</strong> rescales the whole gradient to the threshold when its norm is above it: it stops
              an explosion from wrecking the weights, but cannot bring back a gradient that vanished. ‖∇‖ is the norm
              before clipping; a spike is a norm above 100; exploded means the loss or gradient stopped being finite and
              the cell stopped training. Solved: the moving-average training loss went below the threshold; the held-out
              loss (fresh batches) is read when the budget is spent. Same seed, same settings → the same curves.
            </p>
          </section>
        </>
      )}
    </div>
  );
}
