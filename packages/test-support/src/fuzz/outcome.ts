// The pass rule of a fuzz case: the parser either accepts the input or throws one of the typed errors it is allowed
// to throw, with a message that names the file or argument — never a raw TypeError/RangeError/system error.

/** The error classes a parser may throw on bad input (core's FormatError, ValueError, ShapeError). */
export const TYPED_ERRORS: readonly string[] = ['FormatError', 'ValueError', 'ShapeError'];

/** Longest acceptable error message: a message that quotes a whole hostile input floods the terminal. */
export const MAX_MESSAGE_CHARS = 2000;

/** The class names of an error, most derived first (FormatError, RecurrentError, Error). */
export function errorClassNames(error: unknown): string[] {
  const names: string[] = [];
  let proto = error !== null && typeof error === 'object' ? Object.getPrototypeOf(error) : null;
  while (proto && proto !== Object.prototype) {
    const name = (proto.constructor as { name?: string } | undefined)?.name;
    if (name) names.push(name);
    proto = Object.getPrototypeOf(proto);
  }
  return names;
}

export interface PassRule {
  /** Error class names that count as a clean rejection (default TYPED_ERRORS). */
  accepts?: readonly string[];
  /** The message must contain at least one of these (the file name, the argument); empty: anything. */
  names?: readonly string[];
}

/** null when the error is a clean rejection, else what is wrong with it. */
export function judgeError(error: unknown, rule: PassRule = {}): string | null {
  const accepts = rule.accepts ?? TYPED_ERRORS;
  if (!(error instanceof Error)) return `threw a non-Error value: ${String(error).slice(0, 200)}`;
  const classes = errorClassNames(error);
  const message = error.message;
  const code = (error as { code?: unknown }).code;
  if (!classes.some((c) => accepts.includes(c))) {
    const kind = typeof code === 'string' ? `${error.name} (${code})` : error.name;
    return `raw ${kind}: ${message.slice(0, 300)}`;
  }
  if (message.trim() === '') return `${error.name} with an empty message`;
  if (message.length > MAX_MESSAGE_CHARS)
    return (
      `${error.name} message is ${message.length} characters long (limit ${MAX_MESSAGE_CHARS}): ` +
      `${message.slice(0, 200)}…`
    );
  const names = rule.names ?? [];
  if (names.length > 0 && !names.some((n) => message.includes(n)))
    return `${error.name} does not name ${names.map((n) => `'${n}'`).join(' or ')}: ${message.slice(0, 300)}`;
  return null;
}
