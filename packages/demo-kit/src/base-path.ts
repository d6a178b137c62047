// The app's Next.js basePath ("/sentiment"): every URL the kit builds for fetch() starts with it, because a static
// export under a base path is served from there by the one site server (next/link adds it on its own, fetch does not).

/**
 * The base path the kit's Next config (next-config.cjs) inlines as process.env.RECURRENT_BASE_PATH, in pages and in
 * workers alike; '' outside a Next build (unit tests, an app without a base path).
 */
export function basePath(): string {
  let configured: string | undefined;
  try {
    configured = process.env.RECURRENT_BASE_PATH;
  } catch {
    configured = undefined; // no `process` at all: not built by Next
  }
  return configured ?? '';
}

/** `path` (starting with "/") under the app's base path. */
export function withBasePath(path: string, base: string = basePath()): string {
  if (!path.startsWith('/')) throw new Error(`withBasePath: path must start with "/", got ${JSON.stringify(path)}`);
  return `${base}${path}`;
}
