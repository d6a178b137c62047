import type { ViteUserConfig } from 'vitest/config';

export interface DemoTestOptions {
  /** Resolve workspace packages to their TypeScript sources (the `@recurrent/source` condition), e.g. for unit tests
   * that train with @recurrent/core. */
  sourceConditions?: boolean;
  /** Per-test timeout of the e2e project (default 90 s). */
  e2eTestTimeout?: number;
  /** Hook timeout of the e2e project, which covers building the app (default 90 s). */
  e2eHookTimeout?: number;
}

/** The shared 'unit' + 'e2e' vitest configuration of a demo app; pass it to `defineConfig`. */
export function demoTestConfig(options?: DemoTestOptions): ViteUserConfig;
