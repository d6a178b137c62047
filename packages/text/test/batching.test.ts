import { Generator, ValueError } from '@recurrent/core';
import { describe, expect, it } from 'vitest';
import { bucketBatches, epochGenerator } from '../src/batching.js';
import { padSequences } from '../src/padding.js';
import { randomSplit } from '../src/split.js';
import { streamBatches } from '../src/stream-batching.js';

describe('padSequences', () => {
  it('right-pads to the longest row with lengths and masks', () => {
    const b = padSequences([[5, 6, 7], [8], [9, 10]], { padId: 0 });
    expect(b.batchSize).toBe(3);
    expect(b.seqLen).toBe(3);
    expect(Array.from(b.ids)).toEqual([5, 6, 7, 8, 0, 0, 9, 10, 0]);
    expect(Array.from(b.mask)).toEqual([1, 1, 1, 1, 0, 0, 1, 1, 0]);
    expect(b.lengths).toEqual([3, 1, 2]);
  });

  it('truncates from either end', () => {
    expect(Array.from(padSequences([[1, 2, 3, 4]], { maxLen: 2 }).ids)).toEqual([1, 2]);
    expect(Array.from(padSequences([[1, 2, 3, 4]], { maxLen: 2, truncation: 'start' }).ids)).toEqual([3, 4]);
  });

  it('rejects empty sequences and bad ids', () => {
    expect(() => padSequences([[1], []])).toThrow(/sequence 1 is empty/);
    expect(() => padSequences([[1, -2]])).toThrow(ValueError);
    expect(() => padSequences([])).toThrow(ValueError);
  });
});

function examples(n: number): { ids: number[]; label: number }[] {
  const g = new Generator(123);
  return Array.from({ length: n }, (_, i) => ({
    ids: Array.from({ length: 1 + g.randint(30) }, () => 4 + g.randint(50)),
    label: i % 2,
  }));
}

describe('bucketBatches', () => {
  const data = examples(103);

  it('covers every example once, with consistent shapes, labels and padding', () => {
    const batches = bucketBatches(data, { batchSize: 8, generator: new Generator(1), bucketSize: 32 });
    expect(batches).toHaveLength(13);
    const seen = batches.flatMap((b) => b.indices).sort((a, b) => a - b);
    expect(seen).toEqual(Array.from({ length: 103 }, (_, i) => i));
    for (const b of batches) {
      expect(b.ids.length).toBe(b.batchSize * b.seqLen);
      expect(b.seqLen).toBe(Math.max(...b.lengths));
      b.indices.forEach((ex, row) => {
        expect(b.labels[row]).toBe(data[ex]!.label);
        expect(b.lengths[row]).toBe(data[ex]!.ids.length);
        expect(Array.from(b.ids.subarray(row * b.seqLen, row * b.seqLen + b.lengths[row]!))).toEqual(data[ex]!.ids);
        for (let t = b.lengths[row]!; t < b.seqLen; t++) {
          expect(b.ids[row * b.seqLen + t]).toBe(0);
          expect(b.mask[row * b.seqLen + t]).toBe(0);
        }
      });
    }
  });

  it('groups similar lengths (less padding than random batches)', () => {
    const pad = (bs: ReturnType<typeof bucketBatches>) =>
      bs.reduce((s, b) => s + b.ids.length - b.lengths.reduce((x, y) => x + y, 0), 0);
    const bucketed = bucketBatches(data, { batchSize: 8, generator: new Generator(1), bucketSize: 64 });
    const random = bucketBatches(data, { batchSize: 8, generator: new Generator(1), bucketSize: 8 });
    expect(pad(bucketed)).toBeLessThan(pad(random) / 2);
  });

  it('gives the same batches for the same seed and different ones for another', () => {
    const a = bucketBatches(data, { batchSize: 8, generator: epochGenerator(7, 0) });
    const b = bucketBatches(data, { batchSize: 8, generator: epochGenerator(7, 0) });
    const c = bucketBatches(data, { batchSize: 8, generator: epochGenerator(7, 1) });
    expect(b.map((x) => x.indices)).toEqual(a.map((x) => x.indices));
    expect(b.map((x) => Array.from(x.ids))).toEqual(a.map((x) => Array.from(x.ids)));
    expect(c.map((x) => x.indices)).not.toEqual(a.map((x) => x.indices));
  });

  it('without shuffling keeps a deterministic length-sorted order; dropLast drops the short batch', () => {
    const batches = bucketBatches(data, { batchSize: 10, bucketSize: 1000 });
    const lengths = batches.flatMap((b) => b.lengths);
    expect(lengths).toEqual([...lengths].sort((x, y) => y - x));
    expect(
      bucketBatches(data, { batchSize: 10, dropLast: true, generator: new Generator(0) }).every(
        (b) => b.batchSize === 10,
      ),
    ).toBe(true);
    expect(() => bucketBatches(data, { batchSize: 0 })).toThrow(ValueError);
  });

  it('validates epochGenerator arguments', () => {
    expect(() => epochGenerator(-1, 0)).toThrow(ValueError);
    expect(() => epochGenerator(1, 1.5)).toThrow(ValueError);
  });
});

describe('streamBatches', () => {
  const tokens = Array.from({ length: 103 }, (_, i) => i);

  it('cuts the stream into parallel rows of seq+1 windows (char-rnn layout)', () => {
    const batches = streamBatches(tokens, { batchSize: 2, seqLen: 5 });
    // (103 - 1) / (2 * 5) = 10 windows; each row is a contiguous stream of 50 tokens
    expect(batches).toHaveLength(10);
    expect(Array.from(batches[0]!.input)).toEqual([0, 1, 2, 3, 4, 50, 51, 52, 53, 54]);
    expect(Array.from(batches[0]!.target)).toEqual([1, 2, 3, 4, 5, 51, 52, 53, 54, 55]);
    expect(Array.from(batches[1]!.input.subarray(0, 5))).toEqual([5, 6, 7, 8, 9]);
    expect(Array.from(batches[9]!.target.subarray(5))).toEqual([96, 97, 98, 99, 100]);
  });

  it('reshuffles per epoch with a seeded offset and window order, reproducibly', () => {
    const a = streamBatches(tokens, {
      batchSize: 2,
      seqLen: 5,
      randomOffset: true,
      shuffle: true,
      generator: new Generator(3),
    });
    const b = streamBatches(tokens, {
      batchSize: 2,
      seqLen: 5,
      randomOffset: true,
      shuffle: true,
      generator: new Generator(3),
    });
    expect(a.map((x) => Array.from(x.input))).toEqual(b.map((x) => Array.from(x.input)));
    for (const w of a) for (let i = 0; i < w.input.length; i++) expect(w.target[i]).toBe(w.input[i]! + 1);
    const firsts = a.map((w) => w.input[0]!);
    expect(firsts).not.toEqual([...firsts].sort((x, y) => x - y));
  });

  it('rejects streams too short for one window', () => {
    expect(() => streamBatches([1, 2, 3], { batchSize: 2, seqLen: 5 })).toThrow(/too few for one window/);
  });
});

describe('randomSplit', () => {
  it('holds out a seeded random fraction, keeping order and covering every item once', () => {
    const items = Array.from({ length: 100 }, (_, i) => i);
    const a = randomSplit(items, 0.1, new Generator(5));
    expect(a.heldOut).toHaveLength(10);
    expect(a.kept).toHaveLength(90);
    expect([...a.kept, ...a.heldOut].sort((x, y) => x - y)).toEqual(items);
    expect(a.heldOut).toEqual([...a.heldOut].sort((x, y) => x - y));
    expect(randomSplit(items, 0.1, new Generator(5))).toEqual(a);
    expect(randomSplit(items, 0.1, new Generator(6)).heldOut).not.toEqual(a.heldOut);
    expect(() => randomSplit(items, 1, new Generator(0))).toThrow(ValueError);
  });
});
