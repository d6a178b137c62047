import type { Server } from 'node:http';

/** The file under root that a URL path names (the file, `<path>.html` or `<path>/index.html`), or null. */
export function resolveStaticPath(root: string, urlPath: string): string | null;

/** Serve the static export in `dir`; port 0 picks a free port. */
export function serveStatic(options: { dir: string; port?: number; host?: string; log?: boolean }): Promise<{ server: Server; url: string }>;
