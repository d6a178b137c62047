// Each app under apps/ that is a demo has a demo.json beside its package.json: where the one site serves it, its
// title, one-line description, picture (a file in the app folder) and the pages its navigation lists. Read by the
// kit's Next config (navigation across the site) and by @recurrent/demo-site (landing page, mounts). CommonJS so
// next.config.ts can load it on Node 20.
'use strict';
const { existsSync, readdirSync, readFileSync, statSync } = require('node:fs');
const { join, extname, basename } = require('node:path');

const PICTURE_TYPES = ['.svg', '.png', '.jpg', '.jpeg', '.webp'];
const BASE_PATH = /^\/[a-z0-9][a-z0-9-]*$/;
const PAGE_PATH = /^\/([a-z0-9][a-z0-9-]*(\/[a-z0-9][a-z0-9-]*)*)?$/;

class DemoMetadataError extends Error {
  constructor(message) {
    super(message);
    this.name = 'DemoMetadataError';
  }
}

function text(file, meta, field) {
  const v = meta[field];
  if (typeof v !== 'string' || v.trim() === '') {
    throw new DemoMetadataError(`${file}: "${field}" must be a non-empty string, got ${JSON.stringify(v)}`);
  }
  return v;
}

/** The checked demo.json of the app in `appDir`, or null when it has none (then it is not a demo). */
function readDemoApp(appDir) {
  const file = join(appDir, 'demo.json');
  if (!existsSync(file)) return null;
  let meta;
  try {
    meta = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new DemoMetadataError(`${file}: not valid JSON (${e.message})`);
  }
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) {
    throw new DemoMetadataError(`${file}: expected an object`);
  }
  const path = text(file, meta, 'path');
  if (!BASE_PATH.test(path)) {
    throw new DemoMetadataError(
      `${file}: "path" must look like "/sentiment" (one lower-case segment), got ${JSON.stringify(path)}`,
    );
  }
  const picture = text(file, meta, 'picture');
  if (basename(picture) !== picture || !PICTURE_TYPES.includes(extname(picture).toLowerCase())) {
    throw new DemoMetadataError(
      `${file}: "picture" must be a file name in the app folder ending in ${PICTURE_TYPES.join(', ')}, ` +
        `got ${JSON.stringify(picture)}`,
    );
  }
  if (!existsSync(join(appDir, picture))) throw new DemoMetadataError(`${file}: picture ${picture} does not exist`);
  if (!Array.isArray(meta.pages) || meta.pages.length === 0) {
    throw new DemoMetadataError(`${file}: "pages" must be a non-empty array of { "path": "/…", "label": "…" }`);
  }
  const pages = meta.pages.map((page, i) => {
    if (typeof page !== 'object' || page === null) throw new DemoMetadataError(`${file}: pages[${i}] is not an object`);
    const pagePath = text(file, page, 'path');
    if (!PAGE_PATH.test(pagePath))
      throw new DemoMetadataError(`${file}: pages[${i}].path must be "/" or "/a/b", got ${JSON.stringify(pagePath)}`);
    return { path: pagePath, label: text(file, page, 'label') };
  });
  const order = meta.order === undefined ? 100 : meta.order;
  if (typeof order !== 'number' || !Number.isFinite(order))
    throw new DemoMetadataError(`${file}: "order" must be a number`);
  return {
    dir: appDir,
    path,
    title: text(file, meta, 'title'),
    description: text(file, meta, 'description'),
    picture,
    pages,
    order,
  };
}

/** Every demo under `appsDir` (folders with a demo.json), by order then path; two demos on one path are an error. */
function readDemoApps(appsDir) {
  if (!existsSync(appsDir)) return [];
  const demos = readdirSync(appsDir)
    .map((name) => join(appsDir, name))
    .filter((dir) => statSync(dir).isDirectory())
    .map(readDemoApp)
    .filter((demo) => demo !== null)
    .sort((a, b) => a.order - b.order || a.path.localeCompare(b.path));
  for (let i = 1; i < demos.length; i++) {
    if (demos[i].path === demos[i - 1].path) {
      throw new DemoMetadataError(`${demos[i - 1].dir} and ${demos[i].dir} both want the path ${demos[i].path}`);
    }
  }
  return demos;
}

module.exports = { readDemoApp, readDemoApps, DemoMetadataError };
