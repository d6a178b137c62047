import { hugePng } from '@recurrent/demo-kit/e2e';
import { describe, expect, it } from 'vitest';
import { checkUploadHeader, decodeFailureMessage, readUploadedPhoto, UploadError } from '../../lib/upload';

const neverDecode = async (): Promise<never> => {
  throw new Error('decode must not be reached');
};

describe('reading an uploaded photo', () => {
  it('refuses a 20,000 × 20,000 PNG from its header, before decoding, saying its size and the limit', async () => {
    const file = new File([new Uint8Array(hugePng(20_000, 20_000))], 'huge.png', { type: 'image/png' });
    expect(file.size).toBeLessThan(200_000); // tiny on disk, 400 megapixels decoded
    const refused = readUploadedPhoto(file, neverDecode);
    await expect(refused).rejects.toBeInstanceOf(UploadError);
    await expect(refused).rejects.toThrow(
      'huge.png is 20,000 × 20,000 pixels (400 megapixels): too large to open in the browser — this page reads ' +
        'photos up to 40 megapixels. Resize it or pick another one.',
    );
  });

  it('accepts a photo under the limit and decodes it', async () => {
    const file = new File([new Uint8Array(hugePng(6000, 4000))], 'ok.png');
    expect(checkUploadHeader(new Uint8Array(await file.arrayBuffer()), 'ok.png')).toEqual({
      format: 'png',
      width: 6000,
      height: 4000,
    });
    await expect(readUploadedPhoto(file, async () => 'pixels')).resolves.toBe('pixels');
  });

  it('says a file is not a photo it can read, and why a decode failed (damaged, or out of memory)', async () => {
    const text = new File(['hello, this is not a picture'], 'notes.txt');
    await expect(readUploadedPhoto(text, neverDecode)).rejects.toThrow(
      'notes.txt is not a photo this page can read (not a JPEG, PNG or WebP image (unrecognised signature)). ' +
        'Use a JPEG, PNG or WebP file.',
    );
    const damaged = new File([new Uint8Array(hugePng(64, 64).subarray(0, 40))], 'cut.png');
    await expect(
      readUploadedPhoto(damaged, async () => {
        throw new DOMException('The source image could not be decoded.', 'InvalidStateError');
      }),
    ).rejects.toThrow(
      'The browser could not decode cut.png: the file may be damaged (The source image could not be decoded.).',
    );
    expect(decodeFailureMessage('big.jpg', new RangeError('Array buffer allocation failed'))).toBe(
      'big.jpg needs more memory to decode than the browser gives this page (Array buffer allocation failed). ' +
        'Try a smaller photo.',
    );
  });
});
