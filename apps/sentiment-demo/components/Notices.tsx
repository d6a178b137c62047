import type { Notice } from '../lib/notices';

/** The input notices of a page, announced politely to screen readers as they change. */
export function Notices({ notices, label }: { notices: Notice[]; label: string }) {
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
