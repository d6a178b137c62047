// The music workloads' shapes (no imports: the registry reads them in every process).

/** W5: the shipped `jsb` model's architecture and training settings, on windows of 8 × 128 frames. */
export const W5 = { keys: 88, hidden: 200, dropout: 0.3, batch: 8, frames: 128, lr: 2e-3, clip: 1 } as const;

/**
 * Music generation: frames sampled per repetition; the JSB models' frame grid (one frame per quarter note) and the
 * tempo `recurrent-music generate` writes (100 qpm), so one frame lasts 600 ms when played.
 */
export const MUSIC_GENERATION = { frames: 128, stepsPerQuarter: 1, qpm: 100 } as const;

/** Milliseconds of music in one generated frame. */
export const MS_PER_MUSIC_FRAME = 60_000 / MUSIC_GENERATION.qpm / MUSIC_GENERATION.stepsPerQuarter;
