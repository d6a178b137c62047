// Reading a visitor's photo: the header is checked before the browser decodes anything (a 20,000 × 20,000 PNG is a
// few hundred kilobytes on disk and 1.6 GB of pixels), and every way it can fail is said in the visitor's words.
import { isOutOfMemory } from '@recurrent/demo-kit';
import { checkImageSize, MAX_IMAGE_PIXELS, readImageHeader, type ImageHeader } from '@recurrent/vision';

/** Bytes read for the header check (JPEG frame headers can sit after large EXIF blocks). */
export const HEADER_BYTES = 65_536;

/** A photo that cannot be used, with the message the page shows. */
export class UploadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UploadError';
  }
}

const count = (n: number) => n.toLocaleString('en-US');
const megapixels = (pixels: number) => `${count(Math.round(pixels / 1e6))} megapixels`;

/**
 * The header of `name`'s first bytes when it is a JPEG, PNG or WebP of at most `maxPixels`; an UploadError saying
 * what is wrong otherwise (not an image of these formats, or too large to decode here, with its size).
 */
export function checkUploadHeader(head: Uint8Array, name: string, maxPixels: number = MAX_IMAGE_PIXELS): ImageHeader {
  let header: ImageHeader;
  try {
    header = readImageHeader(head, name);
  } catch (e) {
    const why = e instanceof Error ? e.message.replace(`${name}: `, '') : String(e);
    throw new UploadError(`${name} is not a photo this page can read (${why}). Use a JPEG, PNG or WebP file.`);
  }
  try {
    checkImageSize(header, name, maxPixels);
  } catch {
    const pixels = header.width * header.height;
    throw new UploadError(
      `${name} is ${count(header.width)} × ${count(header.height)} pixels (${megapixels(pixels)}): too large to ` +
        `open in the browser — this page reads photos up to ${megapixels(maxPixels)}. Resize it or pick another one.`,
    );
  }
  return header;
}

/** The message for a photo whose header was fine but which the browser could not decode. */
export function decodeFailureMessage(name: string, e: unknown): string {
  const why = e instanceof Error ? e.message : String(e);
  if (isOutOfMemory(e)) {
    return `${name} needs more memory to decode than the browser gives this page (${why}). Try a smaller photo.`;
  }
  return `The browser could not decode ${name}: the file may be damaged (${why}). Try another photo.`;
}

/** Check `file`'s header, then decode it with `decode`; every failure is an UploadError in plain words. */
export async function readUploadedPhoto<P>(
  file: Blob & { name: string },
  decode: (file: Blob) => Promise<P>,
): Promise<P> {
  const head = new Uint8Array(await file.slice(0, HEADER_BYTES).arrayBuffer());
  checkUploadHeader(head, file.name);
  try {
    return await decode(file);
  } catch (e) {
    throw new UploadError(decodeFailureMessage(file.name, e));
  }
}
