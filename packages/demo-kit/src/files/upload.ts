// A file the user picked or dropped, read with the checks every upload needs before its bytes reach a parser: a known
// extension, not empty, not larger than the page accepts. The message names the file and what was expected.

/** The part of a DOM File the kit reads (a File, or a Blob with a name in tests). */
export interface UploadedFile {
  readonly name: string;
  readonly size: number;
  arrayBuffer(): Promise<ArrayBuffer>;
}

export interface UploadRules {
  /** Accepted extensions, with the dot, lower case (['.mid', '.midi', '.abc']). */
  extensions: readonly string[];
  /** Largest accepted size in bytes. */
  maxBytes: number;
  /** What the page reads, for messages ("a MIDI or ABC file"). */
  what: string;
}

/** An upload refused before parsing; `message` is for the page. */
export class UploadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UploadError';
  }
}

/** "1.5 MB", "12 kB", "900 bytes". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${Math.round(bytes / 1e3)} kB`;
  return `${bytes} bytes`;
}

/** The extension of a file name, lower case with its dot ('' when it has none). */
export function extensionOf(name: string): string {
  const slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
  const base = name.slice(slash + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot).toLowerCase() : '';
}

/** Why `file` cannot be read under `rules`, or null when it can (checked before reading a byte). */
export function uploadProblem(file: Pick<UploadedFile, 'name' | 'size'>, rules: UploadRules): string | null {
  const ext = extensionOf(file.name);
  if (!rules.extensions.includes(ext)) {
    return (
      `${file.name}: expected ${rules.what} (${rules.extensions.join(', ')}), ` +
      `got ${ext ? `a ${ext} file` : 'a file without an extension'}`
    );
  }
  if (file.size === 0) return `${file.name} is empty (0 bytes); expected ${rules.what}`;
  if (file.size > rules.maxBytes)
    return `${file.name} is ${formatBytes(file.size)}; this page reads files up to ${formatBytes(rules.maxBytes)}`;
  return null;
}

/** The bytes of an upload that passes `rules` (UploadError naming the file and the problem otherwise). */
export async function readUpload(file: UploadedFile, rules: UploadRules): Promise<Uint8Array> {
  const problem = uploadProblem(file, rules);
  if (problem) throw new UploadError(problem);
  return new Uint8Array(await file.arrayBuffer());
}
