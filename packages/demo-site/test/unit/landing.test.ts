import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findDemos, mountsOf } from '../../src/apps';
import { pictureUrl, renderLanding, writeLanding } from '../../src/landing';
import { parseArgs } from '../../src/start';

function app(appsDir: string, folder: string, meta: object, built: boolean): string {
  const dir = join(appsDir, folder);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'demo.json'),
    JSON.stringify({ picture: 'demo.svg', pages: [{ path: '/', label: 'x' }], ...meta }),
  );
  writeFileSync(join(dir, 'demo.svg'), `<svg id="${folder}"/>`);
  if (built) {
    mkdirSync(join(dir, 'out'), { recursive: true });
    writeFileSync(join(dir, 'out', 'index.html'), 'built');
  }
  return dir;
}

describe('the landing page', () => {
  it('lists the built demos in order with picture, title, description and link; unbuilt ones apart', () => {
    const apps = mkdtempSync(join(tmpdir(), 'apps-'));
    app(
      apps,
      'music-demo',
      { path: '/music', title: 'Music', description: 'An LSTM writes <folk> tunes & more.', order: 30 },
      true,
    );
    app(
      apps,
      'sentiment-demo',
      { path: '/sentiment', title: 'Sentiment', description: 'Reads reviews.', order: 10 },
      true,
    );
    app(
      apps,
      'caption-demo',
      { path: '/caption', title: 'Captions', description: 'Describes pictures.', order: 40 },
      false,
    );
    mkdirSync(join(apps, 'scratch'));
    const { built, unbuilt } = findDemos(apps);
    expect(built.map((d) => d.path)).toEqual(['/sentiment', '/music']);
    expect(unbuilt.map((d) => d.path)).toEqual(['/caption']);
    expect(mountsOf(built)).toEqual([
      { prefix: '/sentiment', dir: join(apps, 'sentiment-demo', 'out') },
      { prefix: '/music', dir: join(apps, 'music-demo', 'out') },
    ]);

    const html = renderLanding(built, '/* css */');
    expect(html.indexOf('href="/sentiment"')).toBeLessThan(html.indexOf('href="/music"'));
    expect(html).toContain('<img src="/pictures/sentiment.svg"');
    expect(html).toContain('<h2>Music</h2>');
    expect(html).toContain('An LSTM writes &lt;folk&gt; tunes &amp; more.');
    expect(html).not.toContain('/caption');
    expect(html).toContain('aria-label="Demos"');
    expect(renderLanding([], '')).toContain('No demo was built');

    const out = join(apps, 'site-out');
    writeLanding(out, built);
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('Reads reviews.');
    expect(readFileSync(join(out, 'pictures', 'music.svg'), 'utf8')).toBe('<svg id="music-demo"/>');
    expect(readFileSync(join(out, 'index.html'), 'utf8'), 'the kit CSS is inlined').toContain('.site-header');
    expect(existsSync(join(out, '404.html'))).toBe(true);
    expect(pictureUrl({ path: '/music', picture: 'Roll.PNG' })).toBe('/pictures/music.png');
  });
});

describe('pnpm start options', () => {
  it('reads the port and host from flags or PORT/HOST, and refuses bad ones', () => {
    expect(parseArgs([], {})).toEqual({ build: true, port: 3000, host: '127.0.0.1' });
    expect(parseArgs(['--no-build', '--port', '8080'], {})).toEqual({ build: false, port: 8080, host: '127.0.0.1' });
    expect(parseArgs(['--host=0.0.0.0'], { PORT: '4000' })).toEqual({ build: true, port: 4000, host: '0.0.0.0' });
    expect(() => parseArgs([], { PORT: 'http' })).toThrow('bad port "http"');
    expect(() => parseArgs(['--port', '70000'], {})).toThrow('bad port');
    expect(() => parseArgs(['--verbose'], {})).toThrow('unknown option --verbose');
  });
});
