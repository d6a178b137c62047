'use client';
import { useEffect, useRef, useState } from 'react';

/** ABC text rendered as sheet music by abcjs (loaded when first needed). */
export function SheetMusic({ abc, label }: { abc: string; label: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    import('abcjs')
      .then((abcjs) => {
        if (!live || !ref.current) return;
        abcjs.renderAbc(ref.current, abc, { responsive: 'resize', add_classes: true });
        setError(null);
      })
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [abc]);
  return (
    <figure className="sheet-music" aria-label={label}>
      <div ref={ref} />
      {error && (
        <p className="error" role="alert">
          The sheet music could not be drawn: {error}
        </p>
      )}
    </figure>
  );
}
