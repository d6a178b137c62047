// Where the end-to-end test finds a browser: Debian's chromium (scripts/install-browser.sh), never a downloaded one.
import { existsSync } from 'node:fs';

/** Flags that let Debian's chromium run headless as root in a container without a GPU or network noise. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** $CHROMIUM_PATH, else /usr/bin/chromium, when it exists; else null. */
export function findChromium(): string | null {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].filter((p): p is string => !!p);
  return candidates.find((p) => existsSync(p)) ?? null;
}

export const IN_CI = process.env.CI === 'true' || process.env.CI === '1';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the served static export ('' when the e2e run is skipped). */
    baseUrl: string;
    /** Path of the chromium binary ('' when none was found). */
    chromiumPath: string;
  }
}
