import type { NextConfig } from 'next';

export interface DemoNextConfigOptions {
  /** The app's folder (default: the working directory, where `next build` runs). */
  appDir?: string;
  /** Workspace packages to bundle from source besides @recurrent/demo-kit, core and text. */
  transpilePackages?: string[];
}

/** The shared Next.js config of a demo app: static export under its demo.json path, source bundling, site nav. */
export function demoNextConfig(options?: DemoNextConfigOptions): NextConfig;
