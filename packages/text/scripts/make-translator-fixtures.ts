// Our side of the PyTorch round-trip fixtures: random Translators initialised here, saved as
// test/fixtures/translation/<name>.ours.safetensors. Then run scripts/make_translator_fixtures.py (see there).
// Run: pnpm --filter @recurrent/text exec tsx --conditions=@recurrent/source scripts/make-translator-fixtures.ts
import { saveSafetensorsFile } from '@recurrent/core/node';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { readFileSync } from 'node:fs';
import { Translator, type TranslatorArchitecture } from '../src/index.js';
import { fixtureTokenizer } from '../test/translation-fixture-tokenizer.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'fixtures', 'translation');
const configs = JSON.parse(readFileSync(join(dir, 'configs.json'), 'utf8')) as Record<string, TranslatorArchitecture>;
for (const [i, [name, arch]] of Object.entries(configs).entries()) {
  const model = new Translator(fixtureTokenizer(arch.vocabSize), arch, { seed: 300 + i });
  const state = model.stateDict();
  // Larger weights than the default init (as on the PyTorch side), so the outputs are far from uniform.
  for (const t of Object.values(state)) for (let k = 0; k < t.size; k++) t.data[k] = t.data[k]! * 3;
  saveSafetensorsFile(join(dir, `${name}.ours.safetensors`), state);
  console.log(`${name}: ${model.numParameters()} parameters`);
}
