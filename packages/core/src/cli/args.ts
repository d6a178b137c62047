import { isValidSeed, MAX_SEED } from '../training/config.js';

/** A command-line mistake: printed with the usage, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface ParsedArgs {
  positionals: string[];
  /** --name value, --name=value, or --flag (true); --no-flag gives 'false'. */
  flags: Map<string, string | true>;
}

/** Split argv into positionals and --flags. Flags listed in `booleans` never take a value. */
export function parseArgs(argv: readonly string[], booleans: ReadonlySet<string>): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('--') || a === '--') {
      positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    let name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
    if (name.length === 0) throw new UsageError(`malformed flag '${a}'`);
    let value: string | true;
    if (eq >= 0) value = a.slice(eq + 1);
    else if (name.startsWith('no-') && booleans.has(name.slice(3))) {
      name = name.slice(3);
      value = 'false';
    } else if (booleans.has(name)) value = true;
    else {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2))
        throw new UsageError(`--${name} needs a value`);
      value = next;
      i++;
    }
    if (flags.has(name)) throw new UsageError(`--${name} given twice`);
    flags.set(name, value);
  }
  return { positionals, flags };
}

export function kebabToCamel(s: string): string {
  return s.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

export function camelToKebab(s: string): string {
  return s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** Parse a flag value as the type of `example` (number, boolean or string). */
export function typedValue(name: string, raw: string | true, example: unknown): number | boolean | string {
  if (typeof example === 'boolean') {
    if (raw === true || raw === 'true') return true;
    if (raw === 'false') return false;
    throw new UsageError(`--${name} is a switch: use --${name} or --no-${name}`);
  }
  if (raw === true) throw new UsageError(`--${name} needs a value`);
  if (typeof example === 'number') {
    const v = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(v)) throw new UsageError(`--${name} must be a number, got '${raw}'`);
    return v;
  }
  return raw;
}

/** Take a flag out of the map (so leftover flags can be reported as unknown). */
export function takeFlag(flags: Map<string, string | true>, name: string): string | true | undefined {
  const v = flags.get(name);
  flags.delete(name);
  return v;
}

export function takeString(flags: Map<string, string | true>, name: string): string | undefined {
  const v = takeFlag(flags, name);
  if (v === true) throw new UsageError(`--${name} needs a value`);
  return v;
}

export function takeNumber(
  flags: Map<string, string | true>,
  name: string,
  options: { integer?: boolean; min?: number; max?: number } = {},
): number | undefined {
  const v = takeFlag(flags, name);
  if (v === undefined) return undefined;
  const n = typedValue(name, v, 0) as number;
  if (options.integer && !Number.isInteger(n)) throw new UsageError(`--${name} must be an integer, got ${n}`);
  if (options.min !== undefined && n < options.min)
    throw new UsageError(`--${name} must be at least ${options.min}, got ${n}`);
  if (options.max !== undefined && n > options.max)
    throw new UsageError(`--${name} must be at most ${options.max}, got ${n}`);
  return n;
}

/**
 * `--<name>` as a seed (default flag `--seed`): an integer in [0, MAX_SEED], the range every command and training
 * config accepts; anything else is a UsageError naming the flag, the range and the value.
 */
export function takeSeed(flags: Map<string, string | true>, name = 'seed'): number | undefined {
  const v = takeFlag(flags, name);
  if (v === undefined) return undefined;
  const n = typedValue(name, v, 0) as number;
  if (!isValidSeed(n)) throw new UsageError(`--${name} must be an integer in [0, ${MAX_SEED}], got ${v}`);
  return n;
}

export function takeBoolean(flags: Map<string, string | true>, name: string): boolean {
  const v = takeFlag(flags, name);
  return v === undefined ? false : (typedValue(name, v, true) as boolean);
}

export function rejectLeftovers(flags: Map<string, string | true>, command: string): void {
  if (flags.size > 0)
    throw new UsageError(
      `unknown option${flags.size > 1 ? 's' : ''} for '${command}': ` +
        [...flags.keys()].map((k) => `--${k}`).join(', '),
    );
}

/** The flag names in raw arguments (`--name`, `--name=v`, `--no-name` of a switch), up to a `--` terminator. */
function flagNames(argv: readonly string[], switches: ReadonlySet<string>): string[] {
  const names: string[] = [];
  for (const a of argv) {
    if (a === '--') break;
    if (!a.startsWith('--') || a.length === 2) continue;
    const eq = a.indexOf('=');
    const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
    names.push(name.startsWith('no-') && switches.has(name.slice(3)) ? name.slice(3) : name);
  }
  return names;
}

/**
 * A UsageError for the first flag in `argv` that `command` does not accept, listing the accepted ones — before
 * parsing, so an option that does not apply (e.g. --bidirectional for a language model) is named as such instead of
 * taking the next argument as its value. `switches` are the accepted flags that take no value; `acceptedBy` names
 * who accepts the list in the message (e.g. "task charlm").
 */
export function rejectUnknownFlags(
  argv: readonly string[],
  accepted: readonly string[],
  switches: ReadonlySet<string>,
  command: string,
  acceptedBy = command,
): void {
  const known = new Set(accepted);
  const unknown = flagNames(argv, switches).filter((n) => !known.has(n));
  if (unknown.length === 0) return;
  const list = accepted.map((n) => (switches.has(n) ? `--[no-]${n}` : `--${n}`)).join(', ');
  throw new UsageError(
    `unknown option${unknown.length > 1 ? 's' : ''} for '${command}': ` +
      `${unknown.map((n) => `--${n}`).join(', ')} (${acceptedBy} accepts ${list})`,
  );
}
