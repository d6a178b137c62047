/** A message about the user's input; `kind` names it (one of each kind at a time), `level` how much it matters. */
export interface Notice {
  kind: string;
  /** 'warning' when the result may not mean much (or part of the input was not read). */
  level: 'info' | 'warning';
  message: string;
}

/** The input notices of a page, announced politely to screen readers as they change. */
export function Notices({ notices, label }: { notices: readonly Notice[]; label: string }) {
  return (
    <ul className="notices" aria-label={label} aria-live="polite">
      {notices.map((n) => (
        <li key={n.kind} className={`notice notice-${n.level}`} data-kind={n.kind}>
          <span className="notice-icon" aria-hidden="true">
            {n.level === 'warning' ? '!' : 'i'}
          </span>
          {n.message}
        </li>
      ))}
    </ul>
  );
}
