// The fixture's stand-in for @recurrent/demo-site's setupSite: a local server with a clean page, a page that throws
// and a page that logs an error, provided to the suites the way an app's global setup provides the one site.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestProject } from 'vitest/node';
import { findChromium } from '../../src/e2e/browser';

const PAGES: Record<string, string> = {
  '/clean': '<p>clean</p>',
  '/throws': '<script>setTimeout(() => { throw new TypeError("thrown by the page") }, 0)</script>',
  '/logs': '<script>console.error("logged by the page")</script>',
};

export default async (project: TestProject) => {
  const server = createServer((request, response) => {
    const body = PAGES[request.url ?? ''];
    response.writeHead(body === undefined ? 404 : 200, { 'content-type': 'text/html' });
    response.end(body ?? 'not found');
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  project.provide('chromiumPath', findChromium() ?? '');
  project.provide('siteUrl', `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  return () => new Promise<void>((closed) => server.close(() => closed()));
};
