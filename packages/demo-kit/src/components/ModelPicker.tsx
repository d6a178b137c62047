import type { ShippedModel } from '../manifest';

/** Radio buttons for shipped models: title, description, metric and download size of each. */
export function ModelPicker({
  legend,
  models,
  value,
  onChange,
}: {
  legend: string;
  models: readonly ShippedModel[];
  value: string;
  onChange: (name: string) => void;
}) {
  return (
    <fieldset className="model-picker">
      <legend>{legend}</legend>
      {models.map((m) => (
        <label key={m.name} className={m.name === value ? 'model-option selected' : 'model-option'}>
          <input
            type="radio"
            name={legend}
            value={m.name}
            checked={m.name === value}
            onChange={() => onChange(m.name)}
          />
          <span className="model-title">{m.title}</span>
          <span className="model-description">
            {[m.description, m.metric, megabytes(m.bytes)].filter(Boolean).join(' · ')}
          </span>
        </label>
      ))}
    </fieldset>
  );
}

/** 6_512_000 → "6.5 MB". */
export function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}
