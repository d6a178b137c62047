// Fuzz targets of core's parsers: safetensors bytes, saved model directories through the registry, command-line
// arguments. The nightly `pnpm fuzz` and test/fuzz.test.ts run them.
import {
  modelDirTarget,
  mutateArgs,
  mutateBytes,
  mutateJsonText,
  type FuzzRandom,
  type FuzzTarget,
  type ModelDirCase,
} from '@recurrent/test-support';
import {
  decodeSafetensors,
  encodeSafetensors,
  fileBytes,
  fileJson,
  FormatError,
  findModelKind,
  registerModelKind,
  Tensor,
} from '../../src/index.js';
import { loadModelDir } from '../../src/node.js';
import { parseArgs, takeBoolean, takeNumber, takeString, rejectLeftovers } from '../../src/cli/args.js';

function tensor(values: number[], shape: number[], dtype: 'float32' | 'float64' = 'float32'): Tensor {
  const data = dtype === 'float64' ? Float64Array.from(values) : Float32Array.from(values);
  return new Tensor(data, shape);
}

/** Valid safetensors files: F32, F64, F16, with and without metadata, an empty tensor. */
export function validSafetensorsFiles(): Uint8Array[] {
  return [
    encodeSafetensors({ w: tensor([1, 2, 3, 4, 5, 6], [2, 3]), b: tensor([0.5], [1]) }, { format: 'pt' }),
    encodeSafetensors({ 'lstm.weight_ih_l0': tensor([1, -2, 3, -4], [4, 1], 'float64') }),
    encodeSafetensors({ h: tensor([0.25, 1e4, -3], [3]) }, null, { storage: 'F16' }),
    encodeSafetensors({ empty: tensor([], [0, 4]), s: tensor([7], []) }, { note: 'x' }),
  ];
}

/** A safetensors file with its JSON header mutated and the length prefix kept consistent. */
function mutateSafetensorsHeader(random: FuzzRandom, file: Uint8Array): Uint8Array {
  const headerBytes = Number(new DataView(file.buffer, file.byteOffset, 8).getBigUint64(0, true));
  const header = new TextDecoder().decode(file.subarray(8, 8 + headerBytes));
  const mutated = new TextEncoder().encode(mutateJsonText(random, header.trimEnd()));
  const data = file.subarray(8 + headerBytes);
  const out = new Uint8Array(8 + mutated.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(mutated.length), true);
  out.set(mutated, 8);
  out.set(data, 8 + mutated.length);
  return out;
}

export function safetensorsTarget(): FuzzTarget<Uint8Array> {
  const files = validSafetensorsFiles();
  return {
    parser: 'safetensors',
    generate(random) {
      const file = random.pick(files);
      if (random.chance(0.5)) return mutateSafetensorsHeader(random, file);
      return mutateBytes(random, file, { others: files, hotOffsets: [0, 1, 2, 3, 4, 7] });
    },
    run: (bytes) => decodeSafetensors(bytes),
    rule: () => ({ accepts: ['FormatError'], names: ['safetensors'] }),
    inputBytes: (bytes) => bytes.length,
  };
}

const FUZZ_KIND = 'fuzz-registry';
const FUZZ_PACKAGE = '@recurrent/fuzz-for-tests';

/** A kind whose loader reads only through core (safetensors, metrics JSON), so the fuzz tests core's own code. */
function registerFuzzKind(): void {
  if (findModelKind(FUZZ_KIND)) return;
  registerModelKind({
    kind: FUZZ_KIND,
    package: FUZZ_PACKAGE,
    files: ['model.safetensors', 'metrics.json'],
    load: (files) => {
      const metrics = fileJson(files, 'metrics.json');
      if (metrics === null || typeof metrics !== 'object') throw new FormatError('metrics.json: must be a JSON object');
      return decodeSafetensors(fileBytes(files, 'model.safetensors')).tensors;
    },
  });
}

export function coreModelDirTarget(): FuzzTarget<ModelDirCase> {
  registerFuzzKind();
  return modelDirTarget(
    'model dir (core registry)',
    () => ({
      'config.json': JSON.stringify({ kind: FUZZ_KIND, package: FUZZ_PACKAGE, architecture: { hiddenSize: 3 } }),
      'model.safetensors': validSafetensorsFiles()[0] as Uint8Array,
      'metrics.json': JSON.stringify({ valid: { loss: 1.5 }, history: [{ step: 1, loss: 2 }] }),
    }),
    (dir) => loadModelDir(dir),
  );
}

const ARG_TEMPLATES: readonly (readonly string[])[] = [
  ['train', 'sst2', '--out', 'runs/x', '--epochs', '3', '--no-test'],
  ['eval', '--model', 'models/sst2', '--write', '--beam', '5'],
  ['sample', '--model', 'm', '--length', '256', '--temperature', '0.8', '--', '--literal'],
];

/** Core's argument parser and the typed flag readers every CLI uses. */
export function argsTarget(): FuzzTarget<string[]> {
  const words = [
    'train',
    'eval',
    '--out',
    '--epochs',
    '--resume',
    '--no-resume',
    '--beam',
    '--length',
    '--write',
    '--',
  ];
  return {
    parser: 'CLI arguments (core)',
    generate: (random) => mutateArgs(random, random.pick(ARG_TEMPLATES), { words }),
    run(argv) {
      const { flags } = parseArgs(argv, new Set(['write', 'resume', 'test']));
      takeString(flags, 'out');
      takeString(flags, 'model');
      takeNumber(flags, 'epochs', { integer: true, min: 1 });
      takeNumber(flags, 'beam', { integer: true, min: 1, max: 64 });
      takeNumber(flags, 'length', { integer: true, min: 1 });
      takeNumber(flags, 'temperature', { min: 0 });
      takeBoolean(flags, 'write');
      takeBoolean(flags, 'resume');
      takeBoolean(flags, 'test');
      rejectLeftovers(flags, 'fuzz');
    },
    rule: () => ({ accepts: ['UsageError'], names: ['--', "'"] }),
  };
}

export function coreFuzzTargets(): FuzzTarget<never>[] {
  return [safetensorsTarget(), coreModelDirTarget(), argsTarget()] as unknown as FuzzTarget<never>[];
}
