// Mutations of a valid command line: dropped, repeated and swapped arguments, flags from the program's vocabulary,
// hostile values (empty, negative, NaN, 1e309, paths that are directories or do not exist).
import type { FuzzRandom } from './random.js';

export interface ArgsVocabulary {
  /** Words the program knows: commands, task names, flag names (`--beam`). */
  words: readonly string[];
  /** Values worth trying: paths of real files and directories, numbers. */
  values?: readonly string[];
}

const HOSTILE_VALUES: readonly string[] = [
  '',
  ' ',
  '-',
  '--',
  '=',
  '--=',
  '---x',
  '0',
  '-1',
  '1.5',
  'NaN',
  'Infinity',
  '1e309',
  '0x10',
  '9007199254740993',
  'true',
  'false',
  '\u0000',
  'ü',
  '💥',
  '/',
  '/dev/null',
  '/nonexistent/dir',
  '.',
  '..',
];

/** 1–3 mutations of a valid argv. */
export function mutateArgs(random: FuzzRandom, valid: readonly string[], vocabulary: ArgsVocabulary): string[] {
  const out = [...valid];
  const values = [...HOSTILE_VALUES, ...(vocabulary.values ?? [])];
  for (let i = random.between(1, 3); i > 0; i--) {
    const at = random.int(out.length + 1);
    switch (random.int(7)) {
      case 0:
        if (out.length > 0) out.splice(random.int(out.length), 1);
        break;
      case 1:
        if (out.length > 0) out.splice(at, 0, out[random.int(out.length)] as string);
        break;
      case 2:
        if (out.length > 1) {
          const j = random.int(out.length);
          const k = random.int(out.length);
          [out[j], out[k]] = [out[k] as string, out[j] as string];
        }
        break;
      case 3:
        out.splice(at, 0, random.pick(vocabulary.words));
        break;
      case 4:
        if (out.length > 0) out[random.int(out.length)] = random.pick(values);
        break;
      case 5: {
        const flag = random.pick(vocabulary.words.filter((w) => w.startsWith('--')).concat(['--x']));
        out.splice(at, 0, `${flag}=${random.pick(values)}`);
        break;
      }
      default:
        out.splice(at, 0, random.pick(values));
    }
  }
  return out;
}
