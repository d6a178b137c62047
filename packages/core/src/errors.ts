/** Base class for every error Recurrent throws on purpose, so callers can tell ours from bugs. */
export class RecurrentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A tensor had the wrong shape; the message shows what was expected and what was got. */
export class ShapeError extends RecurrentError {}

/** A value was out of range or of the wrong kind (bad option, bad index, NaN where a number was needed). */
export class ValueError extends RecurrentError {}

/** A file (safetensors, vocabulary, checkpoint) was malformed, truncated or inconsistent. */
export class FormatError extends RecurrentError {}
