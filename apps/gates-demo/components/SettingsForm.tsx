'use client';
import { BATCH_SIZES, DEFAULT_CLIP, HIDDEN_SIZES, LEARNING_RATES, LIMITS, type RaceSettings } from '../lib/settings';

export interface SettingsFormProps {
  settings: RaceSettings;
  onChange: (settings: RaceSettings) => void;
  /** While training the settings are locked (Pause first; a change then starts a new run). */
  disabled: boolean;
}

const number = (raw: string) => (raw.trim() === '' ? Number.NaN : Number(raw));

/** Task, T, budget, model and optimiser settings, clipping and initialisation. */
export function SettingsForm({ settings: s, onChange, disabled }: SettingsFormProps) {
  const set = (patch: Partial<RaceSettings>) => onChange({ ...s, ...patch });
  const chooseTask = (task: RaceSettings['task']) => () => set({ task });
  return (
    <fieldset className="settings" disabled={disabled} aria-label="Race settings">
      <div className="setting">
        <span className="field-label" id="task-label">
          Task
        </span>
        <div role="radiogroup" aria-labelledby="task-label" className="choice-row">
          <label>
            <input type="radio" name="task" checked={s.task === 'adding'} onChange={chooseTask('adding')} /> adding
            problem
          </label>
          <label>
            <input type="radio" name="task" checked={s.task === 'copy'} onChange={chooseTask('copy')} /> copy after a
            delay
          </label>
        </div>
      </div>
      <div className="setting">
        <label htmlFor="length" className="field-label">
          T (sequence length{s.task === 'copy' ? ' / delay' : ''}) <output>{s.length}</output>
        </label>
        <input
          id="length"
          type="range"
          min={LIMITS.length.min}
          max={LIMITS.length.max}
          step={5}
          value={s.length}
          onChange={(e) => set({ length: number(e.target.value) })}
        />
        <div className="range-ends">
          <span>{LIMITS.length.min}</span>
          <span>{LIMITS.length.max}</span>
        </div>
      </div>
      <div className="setting-grid">
        <label>
          <span className="field-label">Budget (steps)</span>
          <input
            type="number"
            min={LIMITS.steps.min}
            max={LIMITS.steps.max}
            step={50}
            value={Number.isNaN(s.steps) ? '' : s.steps}
            onChange={(e) => set({ steps: number(e.target.value) })}
          />
        </label>
        <label>
          <span className="field-label">Hidden size</span>
          <select value={s.hiddenSize} onChange={(e) => set({ hiddenSize: number(e.target.value) })}>
            {HIDDEN_SIZES.map((h) => (
              <option key={h} value={h}>
                {h}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span className="field-label">Batch</span>
          <select value={s.batchSize} onChange={(e) => set({ batchSize: number(e.target.value) })}>
            {BATCH_SIZES.map((b) => (
              <option key={b} value={b}>
                {b}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span className="field-label">Learning rate (Adam)</span>
          <select value={s.lr} onChange={(e) => set({ lr: number(e.target.value) })}>
            {LEARNING_RATES.map((lr) => (
              <option key={lr} value={lr}>
                {lr}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span className="field-label">Seed</span>
          <input
            type="number"
            min={LIMITS.seed.min}
            max={LIMITS.seed.max}
            step={1}
            value={Number.isNaN(s.seed) ? '' : s.seed}
            onChange={(e) => set({ seed: number(e.target.value) })}
          />
        </label>
      </div>
      <div className="setting-grid">
        <div>
          <label className="check">
            <input
              type="checkbox"
              checked={s.clip !== null}
              onChange={(e) => set({ clip: e.target.checked ? DEFAULT_CLIP : null })}
            />{' '}
            Clip the gradient norm
          </label>
          <label>
            <span className="field-label">Threshold</span>
            <input
              type="number"
              aria-label="Clipping threshold"
              min={LIMITS.clip.min}
              max={LIMITS.clip.max}
              step={0.5}
              disabled={s.clip === null}
              value={s.clip === null ? DEFAULT_CLIP : Number.isNaN(s.clip) ? '' : s.clip}
              onChange={(e) => set({ clip: number(e.target.value) })}
            />
          </label>
        </div>
        <label>
          <span className="field-label">Recurrent scale (W_hh ×)</span>
          <input
            type="number"
            min={LIMITS.recurrentScale.min}
            max={LIMITS.recurrentScale.max}
            step={0.25}
            value={Number.isNaN(s.recurrentScale) ? '' : s.recurrentScale}
            onChange={(e) => set({ recurrentScale: number(e.target.value) })}
          />
        </label>
        <div>
          <span className="field-label" id="forget-label">
            LSTM forget-gate bias
          </span>
          <div role="radiogroup" aria-labelledby="forget-label" className="choice-row">
            {([0, 1] as const).map((b) => (
              <label key={b}>
                <input
                  type="radio"
                  name="forget-bias"
                  checked={s.lstmForgetBias === b}
                  onChange={() => set({ lstmForgetBias: b })}
                />{' '}
                +{b}
              </label>
            ))}
          </div>
        </div>
      </div>
    </fieldset>
  );
}
