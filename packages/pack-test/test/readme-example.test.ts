import { describe, expect, it } from 'vitest';
import { readmeExample } from './readme-example.js';

describe('readmeExample', () => {
  it('takes the js block after the marker and its expected output', () => {
    const md = [
      '# x',
      '```js',
      'not this();',
      '```',
      '## Usage',
      '<!-- pack-test expect="a b" expect="c" -->',
      '',
      '```js',
      'console.log("a b");',
      'console.log("c");',
      '```',
      '```js',
      'nor this();',
      '```',
    ].join('\n');
    const code = 'console.log("a b");\nconsole.log("c");\n';
    expect(readmeExample(md, 'X.md')).toEqual({ code, expect: ['a b', 'c'] });
  });

  it('names the README when the marker is missing, repeated or not before a js block', () => {
    expect(() => readmeExample('# x\n```js\nf();\n```\n', 'A.md')).toThrow(
      'A.md: expected one <!-- pack-test --> marker, found 0',
    );
    const twice = '<!-- pack-test -->\n```js\nf();\n```\n<!-- pack-test -->\n```js\ng();\n```\n';
    expect(() => readmeExample(twice, 'B.md')).toThrow('found 2');
    const ts = '<!-- pack-test -->\n```ts\nconst a: number = 1;\n```\n```js\nf();\n```\n';
    expect(() => readmeExample(ts, 'C.md')).toThrow(
      'C.md: the block after the pack-test marker must be a ```js block, got ```ts',
    );
    expect(() => readmeExample('<!-- pack-test -->\nSome text.\n```js\nf();\n```\n', 'D.md')).toThrow(
      'D.md: the pack-test marker must be followed by a fenced block, got "Some text."',
    );
  });
});
