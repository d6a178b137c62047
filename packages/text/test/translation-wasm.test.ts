import { describe, expect, it } from 'vitest';
import { Generator, initWasm, isWasmReady, logSoftmax, noGrad, randn } from '@recurrent/core';
import { Translator } from '../src/index.js';
import { PinnedOutputLayer } from '../src/translation/output-layer.js';
import { fixtureTokenizer } from './translation-fixture-tokenizer.js';

describe('pinned output layer (wasm backend)', () => {
  it("gives the module's log-probabilities: both decoder styles, untied and tied, 1 and 5 rows", async () => {
    await initWasm();
    expect(isWasmReady()).toBe(true);
    const tok = fixtureTokenizer(56);
    for (const [decoderStyle, tieTargetEmbeddings] of [
      ['luong', false],
      ['luong', true],
      ['bahdanau', false],
      ['bahdanau', true],
    ] as const) {
      const model = new Translator(
        tok,
        {
          embeddingDim: 48,
          encoderHidden: 16,
          decoderHidden: 96,
          attentionSize: 16,
          tieTargetEmbeddings,
          decoderStyle,
        },
        { seed: 2 },
      );
      const width = model.decoder.outputWidth;
      expect(width).toBe(decoderStyle === 'luong' ? 96 : 96 + 32 + 48);
      model.eval();
      const layer = new PinnedOutputLayer(model.decoder);
      try {
        // 1 row: the resident single-row kernel; 5 rows (5·56·48 products ≥ WASM_GEMM_MIN_WORK): the packed one.
        for (const rows of [1, 5]) {
          const hidden = randn([rows, width], { generator: new Generator(rows) });
          const expected = noGrad(() => logSoftmax(model.decoder.logits(hidden), 1)).data;
          const got = layer.logProbs(hidden);
          let diff = 0;
          for (let i = 0; i < expected.length; i++) diff = Math.max(diff, Math.abs(got[i]! - expected[i]!));
          expect(diff).toBeLessThan(1e-5);
        }
      } finally {
        layer.dispose();
      }
    }
  });
});
