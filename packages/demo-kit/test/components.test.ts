import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Heatmap } from '../src/components/Heatmap';
import { LineChart } from '../src/components/LineChart';
import { ModelStatus, progressText } from '../src/components/ModelStatus';
import type { ShippedModel } from '../src/manifest';

const count = (html: string, what: string) => html.split(what).length - 1;

describe('charts render', () => {
  it('a line chart draws one path per series, a legend for several, dots and labels when few', () => {
    const html = renderToStaticMarkup(
      createElement(LineChart, {
        series: [
          { name: 'train', values: [2.1, 1.8, 1.6, 1.5] },
          { name: 'validation', values: [2.2, Number.NaN, 1.7, 1.65] },
        ],
        ariaLabel: 'Loss per epoch',
        xLabels: ['1', '2', '3', '4'],
        maxDots: 10,
        pointTitle: (i, v) => `epoch ${i + 1}: ${v}`,
      }),
    );
    expect(html).toContain('aria-label="Loss per epoch"');
    expect(count(html, 'class="chart-line series-')).toBe(2);
    expect(html).toContain('validation</li>');
    expect(count(html, '<circle')).toBe(4);
    expect(html).toContain('epoch 3: 1.6');
    expect(count(html, 'class="token-label"')).toBe(4);
  });

  it('a long series gets an axis caption instead of one label per point, and no dots', () => {
    const values = Array.from({ length: 500 }, (_, i) => Math.sin(i / 20));
    const html = renderToStaticMarkup(
      createElement(LineChart, {
        series: [{ name: 'p', values }],
        ariaLabel: 'x',
        xLabels: values.map(String),
        xTitle: 'step',
        maxDots: 120,
      }),
    );
    expect(html).toContain('step (1 – 500)');
    expect(count(html, '<circle')).toBe(0);
    expect(count(html, 'class="token-label"')).toBe(0);
  });

  it('a heatmap draws one cell per value with row and column labels', () => {
    const html = renderToStaticMarkup(
      createElement(Heatmap, {
        values: [
          [0.9, 0.1],
          [0.2, 0.8],
          [0.5, 0.5],
        ],
        rowLabels: ['le', 'chat', '</s>'],
        colLabels: ['the', 'cat'],
        ariaLabel: 'Attention weights',
      }),
    );
    expect(count(html, 'class="heatmap-cell"')).toBe(6);
    expect(html).toContain('chat · cat: 0.80');
    expect(html).toContain('>the<');
    expect(html).toContain('role="img"');
    expect(html).toContain('data-rows="3" data-cols="2"');
    expect(count(html, 'heatmap-band')).toBe(0);
    expect(count(html, 'heatmap-label-active')).toBe(0);
  });

  it('a row or column selected outside is outlined as a band with bold labels; bad indices are ignored', () => {
    const render = (highlight: { row?: number | null; col?: number | null }) =>
      renderToStaticMarkup(
        createElement(Heatmap, {
          values: [
            [0.9, 0.1],
            [0.2, 0.8],
            [0.5, 0.5],
          ],
          rowLabels: ['le', 'chat', '</s>'],
          colLabels: ['the', 'cat'],
          ariaLabel: 'Attention weights',
          highlight,
        }),
      );
    const row = render({ row: 1 });
    expect(count(row, 'class="heatmap-band"')).toBe(1);
    expect(row).toMatch(/<rect x="80" y="\d+(\.\d+)?" width="\d+(\.\d+)?" height="\d+(\.\d+)?" class="heatmap-band"/);
    expect(count(row, 'heatmap-label-active')).toBe(1);
    expect(row).toMatch(/class="token-label heatmap-label-active">chat</);
    const both = render({ row: 0, col: 1 });
    expect(count(both, 'class="heatmap-band"')).toBe(2);
    expect(both).toMatch(/class="token-label heatmap-label-active"[^>]*>cat</);
    expect(count(render({ row: 3, col: -1 }), 'heatmap-band')).toBe(0);
    expect(count(render({ row: null, col: 0.5 }), 'heatmap-band')).toBe(0);
  });

  it('a large sparse heatmap (a piano roll) draws only its non-background cells over one background', () => {
    const values = Array.from({ length: 88 }, (_, pitch) =>
      Array.from({ length: 400 }, (_, t) => (pitch === 40 && t < 10 ? 1 : 0)),
    );
    const html = renderToStaticMarkup(createElement(Heatmap, { values, ariaLabel: 'Piano roll', domain: [0, 1] }));
    expect(count(html, 'class="heatmap-cell"')).toBe(1 + 10);
    expect(count(html, '<title>')).toBe(0);
  });
});

describe('model status', () => {
  const model: ShippedModel = {
    name: 'sst2',
    kind: 'sentiment',
    title: 'SST-2',
    description: '',
    metric: '',
    files: [],
    bytes: 6_500_000,
  };
  const render = (state: Parameters<typeof ModelStatus>[0]['state']) =>
    renderToStaticMarkup(createElement(ModelStatus, { model, state }));

  it('says what is loading, how far, what runs it, and why it failed', () => {
    expect(render({ status: 'idle' })).toBe('');
    expect(render({ status: 'loading' })).toContain('Loading the SST-2 model (6.5 MB)…<');
    expect(render({ status: 'loading', progress: { loaded: 3_100_000, total: 6_500_000 } })).toContain(
      'Loading the SST-2 model (6.5 MB)… 3.1 of 6.5 MB',
    );
    expect(progressText({ status: 'loading', progress: { loaded: 5, total: 0 } })).toBe('');
    expect(render({ status: 'ready', backend: 'WebAssembly SIMD' })).toContain(
      'SST-2 model ready · running in this browser on WebAssembly SIMD kernels',
    );
    expect(render({ status: 'error', message: 'HTTP 404' })).toContain('Could not load the SST-2 model: HTTP 404');
    expect(render({ status: 'worker-failed', message: 'the inference worker failed: x' })).toContain('role="alert"');
  });

  it('offers a retry after a failed load and a restart after a crash, when there is one', () => {
    const retry = () => undefined;
    const failedLoad = render({ status: 'error', message: 'HTTP 500 (the server failed)', retry });
    expect(failedLoad).toContain('Could not load the SST-2 model: HTTP 500 (the server failed).');
    expect(failedLoad).toContain('<button type="button" class="retry">Try again</button>');
    const crashed = render({ status: 'worker-failed', message: 'the inference worker failed: x', retry });
    expect(crashed).toContain('The models stopped working: the inference worker failed: x.');
    expect(crashed).toContain('>Restart the models</button>');
    expect(crashed).not.toContain('Reload the page');
    const final = render({ status: 'worker-failed', message: 'the inference worker failed: x' });
    expect(final).toContain('Reload the page to start them again.');
    expect(final).not.toContain('<button');
  });
});
