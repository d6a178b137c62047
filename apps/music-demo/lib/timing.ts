// How fast a generation was against the music it made: the real-time factor the page shows and the e2e test prints.

/** The numbers of a generation that speed is measured from. */
export interface GenerationTiming {
  millis: number;
  generatedFrames: number;
  generatedChars: number;
  secondsPerFrame: number;
}

/** Seconds of music generated per second of computing (Infinity when it took no measurable time). */
export function realTimeFactor(t: GenerationTiming): number {
  const music = t.generatedFrames * t.secondsPerFrame;
  return t.millis > 0 ? music / (t.millis / 1000) : Number.POSITIVE_INFINITY;
}

/** "128 frames (76.8 s of music) in 0.41 s: 187× faster than real time". */
export function realTimeSentence(t: GenerationTiming): string {
  const seconds = (t.millis / 1000).toFixed(2);
  const what =
    t.generatedChars > 0
      ? `${t.generatedChars} characters (${t.generatedFrames} frames of notes)`
      : `${t.generatedFrames} frames`;
  const music = t.generatedFrames * t.secondsPerFrame;
  if (music === 0) return `${what} in ${seconds} s`;
  const factor = realTimeFactor(t);
  const speed =
    factor >= 1
      ? `${factor.toFixed(factor >= 10 ? 0 : 1)}× faster than real time`
      : `${(1 / factor).toFixed(1)}× slower than real time`;
  return `${what} (${music.toFixed(1)} s of music) in ${seconds} s: ${speed}`;
}
