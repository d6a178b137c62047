import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDemoApp, readDemoApps } from '../demo-meta.cjs';
import { demoNextConfig } from '../next-config.cjs';
import { navLinks, type SiteInfo } from '../src/site';

const site: SiteInfo = {
  current: '/sentiment',
  demos: [
    {
      path: '/sentiment',
      title: 'Text',
      pages: [
        { path: '/', label: 'Sentiment' },
        { path: '/next-word', label: 'Next word' },
      ],
    },
    {
      path: '/translate',
      title: 'Translate',
      pages: [
        { path: '/', label: 'Translate' },
        { path: '/attention', label: 'Attention' },
      ],
    },
  ],
};

describe('navigation across the site', () => {
  it('links this app’s pages in-app and the other demos through the site', () => {
    expect(navLinks(site, '/next-word')).toEqual([
      { href: '/', label: 'Sentiment', internal: true, current: false },
      { href: '/next-word', label: 'Next word', internal: true, current: true },
      { href: '/translate', label: 'Translate', internal: false, current: false },
      { href: '/translate/attention', label: 'Attention', internal: false, current: false },
    ]);
    expect(
      navLinks(site, '/')
        .filter((l) => l.current)
        .map((l) => l.label),
    ).toEqual(['Sentiment']);
    expect(navLinks(site, '/next-word/deeper').find((l) => l.current)?.label).toBe('Next word');
    expect(
      navLinks({ ...site, current: '/translate' }, '/')
        .filter((l) => l.current)
        .map((l) => l.href),
    ).toEqual(['/']);
    expect(navLinks({ current: '', demos: [] }, null)).toEqual([]);
  });
});

function writeApp(appsDir: string, name: string, meta: object | string, picture = 'demo.svg'): string {
  const dir = join(appsDir, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'demo.json'), typeof meta === 'string' ? meta : JSON.stringify(meta));
  writeFileSync(join(dir, picture), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  return dir;
}

const meta = (path: string, extra: object = {}) => ({
  path,
  title: `Demo ${path}`,
  description: 'One line.',
  picture: 'demo.svg',
  pages: [{ path: '/', label: path.slice(1) }],
  ...extra,
});

describe('demo.json', () => {
  it('lists the demos of an apps folder by order, skipping folders without demo.json', () => {
    const apps = mkdtempSync(join(tmpdir(), 'apps-'));
    writeApp(apps, 'music-demo', meta('/music', { order: 30 }));
    writeApp(apps, 'sentiment-demo', meta('/sentiment', { order: 10 }));
    mkdirSync(join(apps, 'not-a-demo'));
    expect(readDemoApps(apps).map((d) => [d.path, d.order])).toEqual([
      ['/sentiment', 10],
      ['/music', 30],
    ]);
    expect(readDemoApps(join(apps, 'missing'))).toEqual([]);
    expect(readDemoApp(join(apps, 'not-a-demo'))).toBeNull();
  });

  it('rejects bad metadata with the file and field', () => {
    const apps = mkdtempSync(join(tmpdir(), 'apps-'));
    const check = (m: object | string, picture?: string) => () =>
      readDemoApp(writeApp(apps, `a${Math.random()}`, m, picture));
    expect(check('{')).toThrow('not valid JSON');
    expect(check(meta('/Sentiment'))).toThrow('"path" must look like "/sentiment"');
    expect(check(meta('/a/b'))).toThrow('"path" must look like');
    expect(check(meta('/x', { title: '' }))).toThrow('"title" must be a non-empty string');
    expect(check(meta('/x', { picture: '../x.svg' }))).toThrow('"picture" must be a file name');
    expect(check(meta('/x', { picture: 'other.svg' }))).toThrow('picture other.svg does not exist');
    expect(check(meta('/x', { pages: [] }))).toThrow('"pages" must be a non-empty array');
    expect(check(meta('/x', { pages: [{ path: 'x', label: 'X' }] }))).toThrow('pages[0].path');
    const twice = mkdtempSync(join(tmpdir(), 'apps-'));
    writeApp(twice, 'a', meta('/same'));
    writeApp(twice, 'b', meta('/same'));
    expect(() => readDemoApps(twice)).toThrow('both want the path /same');
  });

  it('the shared Next config exports under the app’s path and inlines the site’s demos', () => {
    const apps = mkdtempSync(join(tmpdir(), 'apps-'));
    const dir = writeApp(apps, 'sentiment-demo', meta('/sentiment', { order: 1 }));
    writeApp(apps, 'caption-demo', meta('/caption', { order: 2 }));
    const config = demoNextConfig({ appDir: dir, transpilePackages: ['@recurrent/vision'] });
    expect(config.output).toBe('export');
    expect(config.basePath).toBe('/sentiment');
    expect(config.env?.RECURRENT_BASE_PATH).toBe('/sentiment');
    const inlined = JSON.parse(config.env?.RECURRENT_SITE ?? '{}') as SiteInfo;
    expect(inlined.current).toBe('/sentiment');
    expect(inlined.demos.map((d) => d.path)).toEqual(['/sentiment', '/caption']);
    expect(config.transpilePackages).toContain('@recurrent/vision');
    expect(() => demoNextConfig({ appDir: join(apps, 'nothing') })).toThrow('demo.json is missing');
  });
});
