import type { ShippedModel } from '../lib/protocol';

/** Radio buttons for the shipped models of one kind. */
export function ModelPicker({
  legend,
  models,
  value,
  onChange,
}: {
  legend: string;
  models: ShippedModel[];
  value: string;
  onChange: (name: string) => void;
}) {
  return (
    <fieldset className="model-picker">
      <legend>{legend}</legend>
      {models.map((m) => (
        <label key={m.name} className={m.name === value ? 'model-option selected' : 'model-option'}>
          <input type="radio" name={legend} value={m.name} checked={m.name === value} onChange={() => onChange(m.name)} />
          <span className="model-title">{m.title}</span>
          <span className="model-description">
            {[m.description, m.metric, `${(m.bytes / 1e6).toFixed(1)} MB`].filter(Boolean).join(' · ')}
          </span>
        </label>
      ))}
    </fieldset>
  );
}
