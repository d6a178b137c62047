// The Next.js config every demo app shares (its next.config.ts is `export default demoNextConfig()`):
//
// - a static export (`next build` writes plain files to out/; every model runs in the browser), served by the one
//   site server under the app's base path (demo.json "path", e.g. /sentiment);
// - process.env.RECURRENT_BASE_PATH (for fetch URLs, in pages and workers) and process.env.RECURRENT_SITE (the demos
//   of this build, for the navigation) inlined at build time;
// - the workspace packages bundled from their TypeScript sources (the "@recurrent/source" export condition, and
//   NodeNext-style `./x.js` specifiers that name `./x.ts`), so an app never runs against a stale dist/. Turbopack has
//   no option for either, hence `next build --webpack`.
'use strict';
const { dirname } = require('node:path');
const { readDemoApp, readDemoApps } = require('./demo-meta.cjs');

/**
 * @param {{ appDir?: string, transpilePackages?: string[] }} [options] appDir defaults to the working directory
 *   (where `next build` runs); transpilePackages adds workspace packages beyond the kit, core and text.
 */
function demoNextConfig(options = {}) {
  const appDir = options.appDir ?? process.cwd();
  const self = readDemoApp(appDir);
  if (!self) throw new Error(`demoNextConfig: ${appDir}/demo.json is missing (see packages/demo-kit/README.md)`);
  const demos = readDemoApps(dirname(appDir)).map(({ path, title, pages }) => ({ path, title, pages }));
  return {
    output: 'export',
    basePath: self.path,
    images: { unoptimized: true },
    env: {
      RECURRENT_BASE_PATH: self.path,
      RECURRENT_SITE: JSON.stringify({ current: self.path, demos }),
    },
    transpilePackages: [
      '@recurrent/demo-kit',
      '@recurrent/core',
      '@recurrent/text',
      ...(options.transpilePackages ?? []),
    ],
    // Type checking is each package's `typecheck` script (TypeScript 7's tsc); Next's checker needs the TS 5 JS API.
    typescript: { ignoreBuildErrors: true },
    webpack(config) {
      config.resolve.conditionNames = ['@recurrent/source', ...(config.resolve.conditionNames ?? ['...'])];
      config.resolve.extensionAlias = { ...config.resolve.extensionAlias, '.js': ['.ts', '.tsx', '.js'] };
      // @recurrent/core's index imports ./tensor/methods for its side effect (Tensor.prototype.max, .tanh, …), but
      // the package marks only methods.ts as side-effectful; webpack then skips the index when every import is a
      // re-export, and the methods are never installed. Keep the index (and so its side-effect import) in the bundle.
      config.module.rules.push({
        test: /[\\/]packages[\\/]core[\\/](src[\\/]index\.ts|dist[\\/]index\.js)$/,
        sideEffects: true,
      });
      return config;
    },
  };
}

module.exports = { demoNextConfig };
