import { describe, expect, it } from 'vitest';
import { mainObject, mainObjectAccuracy, objectsNamed, tokenizeCaption } from '../src/index.js';

const refs = (...captions: string[]) => captions.map(tokenizeCaption);

describe('main object', () => {
  it('names the objects of a caption through their synonyms, each once, in order', () => {
    expect(objectsNamed(tokenizeCaption('A man and his puppy sit next to two men on a bench.'))).toEqual([
      'person',
      'dog',
      'chair',
    ]);
    expect(objectsNamed(tokenizeCaption('A view of the sky.'))).toEqual([]);
  });

  it("is the object most references name (coco-mini photo 358083's captions); none when none is listed", () => {
    const cat = refs(
      'A cat next to a reflection of itself in a mirror.',
      'A black and white cat standing next to a mirror.',
      'a cat is looking at itself in the mirror',
      'A cat sitting on a toilet seat in a bathroom.',
      'A kitten sits on the toilet near a mirror.',
    );
    expect(mainObject(cat)).toBe('cat');
    expect(mainObject(refs('a view of the sky', 'clouds'))).toBeNull();
  });

  it('counts the images whose caption names their main object, over images that have one', () => {
    const r = mainObjectAccuracy(
      [tokenizeCaption('a kitten on a toilet'), tokenizeCaption('a man with a dog'), tokenizeCaption('a sky')],
      [refs('a cat', 'a cat and a man'), refs('a dog', 'a puppy and a woman'), refs('the sky', 'blue sky')],
    );
    expect(r).toEqual({ correct: 2, total: 2, rate: 1 });
    const wrong = mainObjectAccuracy([tokenizeCaption('a man')], [refs('a dog runs', 'a dog')]);
    expect(wrong.rate).toBe(0);
    expect(() => mainObjectAccuracy([], [refs('a dog')])).toThrow(/0 captions for 1 reference sets/);
  });
});
