'use client';
// Play notes with Tone.js (loaded on the first Play: the click is the user gesture browsers require before audio
// starts) and move a cursor over the roll while they sound.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { NoteView } from './protocol';

export interface PlayerState {
  /** Id of what is playing (the page's name for it), null when silent. */
  playing: string | null;
  /** The frame under the cursor while playing. */
  frame: number | null;
  error: string | null;
}

export interface Playable {
  id: string;
  notes: NoteView[];
  secondsPerFrame: number;
  frames: number;
}

type ToneModule = typeof import('tone');

/** One player per page: `play` stops whatever plays, then plays `piece`; `stop` ends it. */
export function usePlayer(): PlayerState & { play(piece: Playable): Promise<void>; stop(): void } {
  const [state, setState] = useState<PlayerState>({ playing: null, frame: null, error: null });
  const current = useRef<{ stop(): void } | null>(null);

  const stop = useCallback(() => {
    current.current?.stop();
    current.current = null;
    setState((s) => ({ ...s, playing: null, frame: null }));
  }, []);

  useEffect(() => stop, [stop]);

  const play = useCallback(
    async (piece: Playable) => {
      stop();
      let tone: ToneModule;
      try {
        tone = await import('tone');
        await tone.start();
      } catch (e) {
        setState({ playing: null, frame: null, error: `Audio could not start: ${e instanceof Error ? e.message : e}` });
        return;
      }
      const synth = new tone.PolySynth(tone.Synth, {
        oscillator: { type: 'triangle' },
        envelope: { attack: 0.01, decay: 0.2, sustain: 0.4, release: 0.4 },
      }).toDestination();
      synth.volume.value = -12;
      synth.maxPolyphony = 64;
      const t0 = tone.now() + 0.1;
      for (const n of piece.notes)
        synth.triggerAttackRelease(
          tone.Frequency(n.pitch, 'midi').toFrequency(),
          n.end - n.start,
          t0 + n.start,
          n.velocity,
        );
      const duration = piece.frames * piece.secondsPerFrame;
      let raf = 0;
      let stopped = false;
      const handle = {
        stop: () => {
          if (stopped) return;
          stopped = true;
          cancelAnimationFrame(raf);
          synth.releaseAll();
          setTimeout(() => synth.dispose(), 600);
        },
      };
      current.current = handle;
      setState({ playing: piece.id, frame: 0, error: null });
      const tick = () => {
        if (stopped) return;
        const elapsed = tone.now() - t0;
        if (elapsed >= duration) {
          if (current.current === handle) stop();
          else handle.stop();
          return;
        }
        setState((s) => ({ ...s, frame: Math.max(0, elapsed / piece.secondsPerFrame) }));
        raf = requestAnimationFrame(tick);
      };
      raf = requestAnimationFrame(tick);
    },
    [stop],
  );

  return { ...state, play, stop };
}
