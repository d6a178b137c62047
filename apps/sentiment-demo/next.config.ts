import type { NextConfig } from 'next';

/**
 * A static export: `next build` writes plain HTML/JS/CSS to out/, and every model runs in the browser (a Web Worker),
 * so any static file server can host the demo; `pnpm start` serves it with scripts/serve.mjs.
 *
 * The workspace packages are bundled from their TypeScript sources (their "@recurrent/source" export condition, and
 * NodeNext-style `./x.js` specifiers that name `./x.ts`), so the demo never runs against a stale dist/. Turbopack
 * has no option for either, hence `next build --webpack`.
 */
const nextConfig: NextConfig = {
  output: 'export',
  images: { unoptimized: true },
  transpilePackages: ['@recurrent/core', '@recurrent/text'],
  // Type checking is the `typecheck` script (TypeScript 7's tsc); Next's in-build checker needs the TS 5 JS API.
  typescript: { ignoreBuildErrors: true },
  webpack(config) {
    config.resolve.conditionNames = ['@recurrent/source', ...(config.resolve.conditionNames ?? ['...'])];
    config.resolve.extensionAlias = { ...config.resolve.extensionAlias, '.js': ['.ts', '.tsx', '.js'] };
    // @recurrent/core's index imports ./tensor/methods for its side effect (Tensor.prototype.max, .tanh, …), but the
    // package marks only methods.ts as side-effectful; webpack then skips the index when every import is a re-export,
    // and the methods are never installed. Keep the index (and so its side-effect import) in the bundle.
    config.module.rules.push({ test: /[\\/]packages[\\/]core[\\/](src[\\/]index\.ts|dist[\\/]index\.js)$/, sideEffects: true });
    return config;
  },
};

export default nextConfig;
