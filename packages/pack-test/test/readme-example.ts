// Finds the usage example a README marks for this test:
//
//   <!-- pack-test expect="text the output must contain" expect="another" -->
//   ```js
//   ...plain JavaScript (ES module)...
//   ```
//
// The marker goes on its own line right before the fenced block (blank lines between are allowed).

export interface ReadmeExample {
  /** The block's code, run as an .mjs file. */
  code: string;
  /** Strings the example's standard output must contain. */
  expect: string[];
}

const MARKER = /<!--\s*pack-test\b(.*?)-->/g;
const EXPECT = /\bexpect="([^"]*)"/g;
const FENCE = /^\s*```(js|javascript|mjs)[ \t]*\n([\s\S]*?)\n```[ \t]*$/m;

/** The one marked example of a README; `name` (the file) is used in error messages. */
export function readmeExample(markdown: string, name: string): ReadmeExample {
  const markers = [...markdown.matchAll(MARKER)];
  if (markers.length !== 1) throw new Error(`${name}: expected one <!-- pack-test --> marker, found ${markers.length}`);
  const marker = markers[0]!;
  const expect = [...(marker[1] ?? '').matchAll(EXPECT)].map((m) => m[1] ?? '');
  const rest = markdown.slice((marker.index ?? 0) + marker[0].length);
  const firstLine = /^\s*(\S.*)$/m.exec(rest);
  if (!firstLine?.[1]?.startsWith('```')) {
    const got = JSON.stringify(firstLine?.[1]);
    throw new Error(`${name}: the pack-test marker must be followed by a fenced block, got ${got}`);
  }
  const fence = FENCE.exec(rest);
  if (!fence || fence.index !== firstLine.index) {
    throw new Error(`${name}: the block after the pack-test marker must be a \`\`\`js block, got ${firstLine[1]}`);
  }
  return { code: `${fence[2]}\n`, expect };
}
