import { describe, expect, it } from 'vitest';
import { extensionOf, formatBytes, readUpload, UploadError, uploadProblem } from '../src/files/upload';

const rules = { extensions: ['.mid', '.midi', '.abc'], maxBytes: 1_000_000, what: 'a MIDI or ABC file' };
const file = (name: string, bytes: Uint8Array | number) => {
  const data = typeof bytes === 'number' ? new Uint8Array(0) : bytes;
  const size = typeof bytes === 'number' ? bytes : bytes.length;
  let reads = 0;
  return {
    name,
    size,
    reads: () => reads,
    arrayBuffer: async () => {
      reads++;
      return data.slice().buffer;
    },
  };
};

describe('uploads', () => {
  it('extensions are lower-cased with their dot; a leading dot or none is no extension', () => {
    expect(extensionOf('Tune.MID')).toBe('.mid');
    expect(extensionOf('a/b.c/tune.abc')).toBe('.abc');
    expect(extensionOf('.hidden')).toBe('');
    expect(extensionOf('README')).toBe('');
    expect(formatBytes(900)).toBe('900 bytes');
    expect(formatBytes(12_300)).toBe('12 kB');
    expect(formatBytes(52_400_000)).toBe('52.4 MB');
  });

  it('reads an accepted file and refuses wrong types, empty and oversized files before reading a byte', async () => {
    const ok = file('song.midi', new Uint8Array([77, 84, 104, 100]));
    await expect(readUpload(ok, rules)).resolves.toEqual(new Uint8Array([77, 84, 104, 100]));
    const refused: [ReturnType<typeof file>, string][] = [
      [
        file('notes.txt', new Uint8Array([1])),
        'notes.txt: expected a MIDI or ABC file (.mid, .midi, .abc), got a .txt file',
      ],
      [file('README', new Uint8Array([1])), 'got a file without an extension'],
      [file('empty.mid', new Uint8Array(0)), 'empty.mid is empty (0 bytes); expected a MIDI or ABC file'],
      [file('huge.mid', 52_400_000), 'huge.mid is 52.4 MB; this page reads files up to 1.0 MB'],
    ];
    for (const [f, message] of refused) {
      expect(uploadProblem(f, rules)).toContain(message);
      await expect(readUpload(f, rules)).rejects.toThrow(UploadError);
      await expect(readUpload(f, rules)).rejects.toThrow(message);
      expect(f.reads()).toBe(0);
    }
    expect(uploadProblem(ok, rules)).toBeNull();
  });
});
