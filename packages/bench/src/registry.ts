// Every (workload, implementation) pair the bench knows, created lazily inside its own child process.
import type { RunnerFactory } from './types.js';
import { MS_PER_MUSIC_FRAME, MUSIC_GENERATION } from './music-shapes.js';

export interface WorkloadDef {
  id: string;
  title: string;
  unit: string;
  higherIsBetter: boolean;
  /** The implementation the ratios are computed for. */
  ours: string;
  /** The same with initWasmThreads({ threads: 2 }) (both cores), which gets its own ratio column. */
  threaded?: string;
  /** Implementation names in run order; `full` ones are skipped with --quick. */
  impls: { name: string; full?: boolean; create: RunnerFactory }[];
  /** Rows computed from each of this workload's measured values (e.g. a real-time factor from ms per frame). */
  derived?: DerivedRows;
  warmup: number;
  reps: number;
  quickReps: number;
  inQuick: boolean;
}

const tfjs = () => import('./impls/tfjs.js');
const ours = () => import('./impls/ours-models.js');
const oursMm = () => import('./impls/ours-matmul.js');
const brainjs = () => import('./impls/brain.js');
const oursMusic = () => import('./impls/ours-music.js');
const tfjsMusic = () => import('./impls/tfjs-music.js');
const oursVision = () => import('./impls/ours-vision.js');
const tfjsVision = () => import('./impls/tfjs-vision.js');

export interface DerivedRows {
  id: string;
  title: string;
  unit: string;
  higherIsBetter: boolean;
  of: (value: number) => number;
}
const oursMt = () => import('./impls/ours-translation.js');
const tfjsMt = () => import('./impls/tfjs-translation.js');

export const THREADED = 'ours (2 threads)';

/** A runner made after initWasmThreads({ threads: 2 }) (each implementation runs in its own process). */
function threaded(create: RunnerFactory): RunnerFactory {
  return async (o) => {
    const { initWasmThreads } = await import('@recurrent/core/node');
    const n = await initWasmThreads({ threads: 2 });
    if (n !== 2) throw new Error(`initWasmThreads gave ${n} thread(s)`);
    return create(o);
  };
}

const w4 = (id: 'W4a' | 'W4b', title: string): WorkloadDef => ({
  id,
  title,
  unit: 'GFLOP/s',
  higherIsBetter: true,
  ours: 'ours',
  threaded: THREADED,
  impls: [
    { name: 'ours', create: async () => (await oursMm()).w4Ours('staged', id) },
    { name: THREADED, create: threaded(async () => (await oursMm()).w4Ours('staged', id)) },
    { name: 'ours (resident)', create: async () => (await oursMm()).w4Ours('resident', id) },
    { name: 'ours (B pinned)', create: async () => (await oursMm()).w4Ours('pinned', id) },
    { name: 'ours (ts backend)', full: true, create: async () => (await oursMm()).w4Ours('ts', id) },
    { name: 'tfjs-wasm', create: async () => (await tfjs()).w4Matmul('wasm', id) },
    { name: 'tfjs-cpu', full: true, create: async () => (await tfjs()).w4Matmul('cpu', id) },
  ],
  warmup: 2,
  reps: 9,
  quickReps: 5,
  inQuick: true,
});

export const WORKLOADS: WorkloadDef[] = [
  {
    id: 'W1',
    title: 'char-LM train step (LSTM 256, B32×T64)',
    unit: 'tokens/s',
    higherIsBetter: true,
    ours: 'ours',
    threaded: THREADED,
    impls: [
      { name: 'ours', create: async () => (await ours()).w1Ours() },
      { name: THREADED, create: threaded(async () => (await ours()).w1Ours()) },
      { name: 'tfjs-wasm bptt', create: async () => (await tfjs()).w1Manual('wasm') },
      { name: 'tfjs-wasm grads', full: true, create: async () => (await tfjs()).w1Fused('wasm') },
      { name: 'tfjs-wasm layers', full: true, create: async () => (await tfjs()).w1Layers('wasm') },
      { name: 'tfjs-cpu bptt', full: true, create: async () => (await tfjs()).w1Manual('cpu') },
      { name: 'tfjs-cpu layers', full: true, create: async () => (await tfjs()).w1Layers('cpu') },
      { name: 'brain.js', create: async (o) => (await brainjs()).w1Brain(o) },
    ],
    warmup: 3,
    reps: 9,
    quickReps: 7,
    inQuick: true,
  },
  {
    id: 'W2',
    title: 'generate 500 chars, batch 1',
    unit: 'ms/char',
    higherIsBetter: false,
    ours: 'ours',
    threaded: THREADED,
    impls: [
      { name: 'ours', create: async () => (await ours()).w2Ours('session') },
      { name: THREADED, create: threaded(async () => (await ours()).w2Ours('session')) },
      { name: 'ours (module forward)', create: async () => (await ours()).w2Ours('modules') },
      { name: 'tfjs-wasm step', create: async () => (await tfjs()).w2Fused('wasm') },
      { name: 'tfjs-cpu step', full: true, create: async () => (await tfjs()).w2Fused('cpu') },
      { name: 'brain.js', create: async () => (await brainjs()).w2Brain() },
    ],
    warmup: 3,
    reps: 9,
    quickReps: 7,
    inQuick: true,
  },
  {
    id: 'W3',
    title: 'translation train step (shipped config: BiGRU 128 + Bahdanau attn GRU 256, BPE 7000, B64)',
    unit: 'ms/step',
    higherIsBetter: false,
    ours: 'ours',
    threaded: THREADED,
    impls: [
      { name: 'ours', create: async () => (await oursMt()).w3Ours() },
      { name: THREADED, create: threaded(async () => (await oursMt()).w3Ours()) },
      { name: 'tfjs-wasm grads', create: async () => (await tfjsMt()).w3Tfjs('wasm') },
      {
        name: 'tfjs-wasm grads (transposing matmul grad)',
        create: async () => (await tfjsMt()).w3Tfjs('wasm', 'transposing'),
      },
    ],
    warmup: 1,
    reps: 3,
    quickReps: 2,
    inQuick: false,
  },
  w4('W4a', 'matmul (2048×256)@(256×1024)'),
  w4('W4b', 'matmul (32×320)@(320×1024)'),
  {
    id: 'W5',
    title: 'piano-roll LSTM train step (88 → LSTM 200 → 88 sigmoids, B8×T128, shipped jsb config)',
    unit: 'ms/step',
    higherIsBetter: false,
    ours: 'ours',
    threaded: THREADED,
    impls: [
      { name: 'ours', create: async () => (await oursMusic()).w5Ours() },
      { name: THREADED, create: threaded(async () => (await oursMusic()).w5Ours()) },
      { name: 'tfjs-wasm bptt', create: async () => (await tfjsMusic()).w5Manual('wasm') },
      { name: 'tfjs-wasm grads', full: true, create: async () => (await tfjsMusic()).w5Grads('wasm') },
      { name: 'tfjs-wasm layers', full: true, create: async () => (await tfjsMusic()).w5Layers('wasm') },
    ],
    warmup: 2,
    reps: 5,
    quickReps: 3,
    inQuick: true,
  },
  {
    id: 'GEN',
    title: `music generation, ${MUSIC_GENERATION.frames} frames from silence (shipped models)`,
    unit: 'ms/frame',
    higherIsBetter: false,
    ours: 'ours jsb',
    impls: [
      { name: 'ours jsb', create: async () => (await oursMusic()).generationOurs('jsb') },
      { name: 'ours jsb-nade', create: async () => (await oursMusic()).generationOurs('jsb-nade') },
    ],
    derived: {
      id: 'GEN-RT',
      title:
        `music generation, real-time factor (${MS_PER_MUSIC_FRAME} ms of music per frame at ` +
        `${MUSIC_GENERATION.qpm} qpm)`,
      unit: '× real time',
      higherIsBetter: true,
      of: (msPerFrame) => MS_PER_MUSIC_FRAME / msPerFrame,
    },
    warmup: 2,
    reps: 7,
    quickReps: 5,
    inQuick: true,
  },
  {
    id: 'W6',
    title: 'vision encoder forward, one 300×300 photo (SSD-MobileNetV2, Objectron TFLite weights)',
    unit: 'ms',
    higherIsBetter: false,
    ours: 'ours',
    threaded: THREADED,
    impls: [
      { name: 'ours', create: async () => (await oursVision()).w6Ours() },
      { name: THREADED, create: threaded(async () => (await oursVision()).w6Ours()) },
      { name: 'tfjs-wasm', create: async () => (await tfjsVision()).w6Tfjs('wasm') },
    ],
    warmup: 2,
    reps: 7,
    quickReps: 4,
    inQuick: true,
  },
  {
    id: 'W6-check',
    title: 'same outputs: class logits, boxes and grid19 of ours vs tfjs-wasm',
    unit: 'ppm (max abs difference ÷ max abs ours)',
    higherIsBetter: false,
    ours: 'ours',
    impls: [{ name: 'ours vs tfjs-wasm', create: async () => (await tfjsVision()).w6Check('wasm') }],
    warmup: 0,
    reps: 1,
    quickReps: 1,
    inQuick: true,
  },
  {
    id: 'CAP',
    title: 'caption one photo end to end in Node (decode, resize, detector, decoder; the shipped models/coco)',
    unit: 'ms',
    higherIsBetter: false,
    ours: 'ours greedy',
    threaded: THREADED,
    impls: [
      { name: 'ours greedy', create: async () => (await oursVision()).captionOurs(1) },
      { name: 'ours beam 3', create: async () => (await oursVision()).captionOurs(3) },
      { name: THREADED, create: threaded(async () => (await oursVision()).captionOurs(1)) },
    ],
    warmup: 1,
    reps: 5,
    quickReps: 3,
    inQuick: false,
  },
  {
    id: 'W7a',
    title: 'translate a 13-word sentence, greedy (shipped de→en model)',
    unit: 'ms/sentence',
    higherIsBetter: false,
    ours: 'ours',
    impls: [
      { name: 'ours', create: async () => (await oursMt()).w7LatencyOurs('greedy') },
      { name: 'tfjs-wasm', create: async () => (await tfjsMt()).w7LatencyTfjs('wasm', 'greedy') },
    ],
    warmup: 3,
    reps: 15,
    quickReps: 7,
    inQuick: false,
  },
  {
    id: 'W7b',
    title: 'translate a 13-word sentence, beam 5 (shipped de→en model)',
    unit: 'ms/sentence',
    higherIsBetter: false,
    ours: 'ours',
    impls: [
      { name: 'ours', create: async () => (await oursMt()).w7LatencyOurs('beam') },
      { name: 'tfjs-wasm', create: async () => (await tfjsMt()).w7LatencyTfjs('wasm', 'beam') },
    ],
    warmup: 3,
    reps: 15,
    quickReps: 7,
    inQuick: false,
  },
  {
    id: 'W7c',
    title: 'translate 100 validation sentences in one batch, greedy',
    unit: 'sentences/s',
    higherIsBetter: true,
    ours: 'ours',
    impls: [
      { name: 'ours', create: async () => (await oursMt()).w7BatchOurs() },
      { name: 'tfjs-wasm', create: async () => (await tfjsMt()).w7BatchTfjs('wasm') },
    ],
    warmup: 1,
    reps: 5,
    quickReps: 3,
    inQuick: false,
  },
];

export function findImpl(workload: string, impl: string): RunnerFactory {
  const w = WORKLOADS.find((x) => x.id === workload);
  const i = w?.impls.find((x) => x.name === impl);
  if (!i) throw new Error(`unknown workload/impl ${workload}/${impl}`);
  return i.create;
}
