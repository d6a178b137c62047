// The piano-roll benchmarks by name (browser-safe: the names and files only; the readers are in read.ts).
/** The piano-roll benchmarks and where each lives under the data folder. */
export const PIANO_ROLL_DATASETS = {
  /** Boulanger-Lewandowski JSB Chorales, one frame per quarter note (the standard benchmark). */
  jsb: 'polyphonic-music/JSB_Chorales.json',
  nottingham: 'polyphonic-music/Nottingham.json.gz',
  musedata: 'polyphonic-music/MuseData.json.gz',
  'piano-midi': 'polyphonic-music/Piano_midi.json',
  /** The same chorales as `jsb` (other order and transposition) at 8th- and 16th-note frames; unisons merged. */
  'jsb-8th': 'jsb-chorales/jsb-chorales-8th.json',
  'jsb-16th': 'jsb-chorales/jsb-chorales-16th.json',
} as const;
export type PianoRollDatasetName = keyof typeof PIANO_ROLL_DATASETS;
