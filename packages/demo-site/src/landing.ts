// The landing page at "/": one card per built demo (picture, title, one-line description, link), written as plain
// HTML with the kit's stylesheet inlined, so it needs no build of its own.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname, join } from 'node:path';
import type { DemoApp } from '@recurrent/demo-kit/demo-meta';

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** Where a demo's picture is served from on the site. */
export function pictureUrl(demo: Pick<DemoApp, 'path' | 'picture'>): string {
  return `/pictures${demo.path}${extname(demo.picture).toLowerCase()}`;
}

/** The kit's CSS (the same look as the demos). */
function kitStyles(): string {
  const require = createRequire(import.meta.url);
  return readFileSync(require.resolve('@recurrent/demo-kit/styles.css'), 'utf8');
}

const LANDING_CSS = `
.landing-lede { margin: 0 0 22px; color: var(--muted); max-width: 680px; }
.demo-cards { list-style: none; padding: 0; margin: 0; display: grid; gap: 16px;
  grid-template-columns: repeat(auto-fill, minmax(250px, 1fr)); }
.demo-card { background: var(--panel); border: 1px solid var(--border); border-radius: var(--radius);
  overflow: hidden; }
.demo-card a { display: block; color: inherit; text-decoration: none; height: 100%; }
.demo-card a:hover, .demo-card a:focus-visible { box-shadow: 0 0 0 2px var(--accent);
  border-radius: var(--radius); }
.demo-card img { display: block; width: 100%; height: auto; aspect-ratio: 16 / 7; object-fit: cover;
  background: var(--accent-soft); }
.demo-card h2 { margin: 12px 16px 4px; }
.demo-card p { margin: 0 16px 16px; color: var(--muted); font-size: 14px; }
`;

/** The site's icon, inline (a rounded square with a rising curve), so the landing page asks for no /favicon.ico. */
const ICON =
  'data:image/svg+xml,' +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#3355d6"/>' +
      '<path d="M6 22 L12 16 L18 18 L26 8" fill="none" stroke="#fff" stroke-width="3" stroke-linecap="round"/></svg>',
  );

function page(title: string, body: string, css: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="${ICON}">
<style>${css}${LANDING_CSS}</style>
</head>
<body>
<header class="site-header"><div class="site-header-inner">
<a class="brand" href="/">Recurrent <span class="brand-sub">demos</span></a>
</div></header>
<main class="site-main">
${body}
</main>
<footer class="site-footer">Every model runs in your browser (a Web Worker, WebAssembly SIMD kernels).
Nothing you type leaves the page.</footer>
</body>
</html>
`;
}

/** The landing page's HTML for these demos (in their order). */
export function renderLanding(demos: readonly DemoApp[], css = kitStyles()): string {
  const cards = demos
    .map(
      (d) => `<li class="demo-card"><a href="${escapeHtml(d.path)}">
<img src="${escapeHtml(pictureUrl(d))}" alt="" width="320" height="140">
<h2>${escapeHtml(d.title)}</h2>
<p>${escapeHtml(d.description)}</p>
</a></li>`,
    )
    .join('\n');
  const body = demos.length
    ? `<h1>Recurrent demos</h1>
<p class="landing-lede">Deep sequence models from the Recurrent library — recurrent networks, gated cells and
attention — trained in TypeScript and running in your browser.</p>
<ul class="demo-cards" aria-label="Demos">
${cards}
</ul>`
    : '<h1>Recurrent demos</h1>\n<p class="error">No demo was built: run <code>pnpm start</code> at the root.</p>';
  return page('Recurrent · demos', body, css);
}

/** The site's 404 page. */
export function renderNotFound(css = kitStyles()): string {
  return page(
    'Not found · Recurrent',
    '<h1>Not found</h1>\n<p class="lede">There is no page here. <a href="/">All demos</a></p>',
    css,
  );
}

/** Write index.html, 404.html and the demos' pictures into `outDir` (emptied first). */
export function writeLanding(outDir: string, demos: readonly DemoApp[]): void {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(join(outDir, 'pictures'), { recursive: true });
  const css = kitStyles();
  for (const d of demos) copyFileSync(join(d.dir, d.picture), join(outDir, pictureUrl(d)));
  writeFileSync(join(outDir, 'index.html'), renderLanding(demos, css));
  writeFileSync(join(outDir, '404.html'), renderNotFound(css));
}
