/**
 * Split an ABC tune book into tunes: each tune runs from an `X:` line to the next one. Blank lines inside a tune are
 * removed (ABC ends a tune at a blank line, and `irish.abc` has two tunes with a blank line right after `K:`, which
 * would otherwise leave them without notes); text before the first `X:` is dropped. Lines keep their content,
 * line ends become `\n`, each tune ends with one `\n`.
 */
export function splitAbcTunes(text: string): string[] {
  const tunes: string[] = [];
  let current: string[] | null = null;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\r$/, '');
    if (/^X:/.test(line)) {
      if (current) tunes.push(`${current.join('\n')}\n`);
      current = [line];
    } else if (current && line.trim() !== '') current.push(line);
  }
  if (current) tunes.push(`${current.join('\n')}\n`);
  return tunes;
}
