// What went wrong, in words a visitor understands: the worker side turns the errors of a failed model load or of a
// handler into messages that say what happened (a download failed or was cut off, the files are damaged, the input
// needs more memory than the browser gives the page) before they cross to the page as strings.

/** A model file could not be downloaded: an HTTP error, a failed connection or a transfer cut off before its end. */
export class ModelDownloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelDownloadError';
  }
}

/** Messages of the errors engines throw when an allocation fails (V8 / Chromium, SpiderMonkey, JavaScriptCore). */
const OUT_OF_MEMORY = new RegExp(
  [
    'out of memory',
    'allocation failed',
    'array buffer allocation',
    'invalid (typed )?array length',
    'invalid string length',
    'maximum memory size',
    'could not allocate',
    'memory\\.grow',
  ].join('|'),
  'i',
);

/** True when `e` is an allocation failure (an ArrayBuffer, a string or the WebAssembly memory could not grow). */
export function isOutOfMemory(e: unknown): boolean {
  if (typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'QuotaExceededError') return true;
  const name = e instanceof Error ? e.name : '';
  if (name !== 'RangeError' && name !== 'InternalError' && name !== 'Error') return false;
  return OUT_OF_MEMORY.test(errorMessage(e));
}

/** The message of any thrown value. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** What a visitor reads when their input needed more memory than the browser allows. */
export function outOfMemoryMessage(e: unknown): string {
  return (
    'this input needs more memory than the browser gives this page, so it was not processed — ' +
    `try a shorter text or a smaller image (${errorMessage(e)})`
  );
}

/**
 * The message the page shows for an error of a request's handler: an allocation failure says the input was too
 * large for the browser's memory; anything else keeps its own message.
 */
export function describeHandlerError(e: unknown): string {
  return isOutOfMemory(e) ? outOfMemoryMessage(e) : errorMessage(e);
}

/**
 * The message the page shows when model `name` could not be loaded: a failed or cut-off download says so (with the
 * URL and status), running out of memory says so, and anything else — the files arrived but could not be read — is
 * reported as damaged or incomplete files, with the reader's own explanation.
 */
export function describeModelLoadError(name: string, e: unknown): string {
  if (e instanceof ModelDownloadError) return e.message;
  if (isOutOfMemory(e)) return outOfMemoryMessage(e);
  return `the files of model "${name}" arrived damaged or incomplete and could not be read (${errorMessage(e)})`;
}
