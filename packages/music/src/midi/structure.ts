import { describeValue, FormatError } from '@recurrent/core';

/** What the header of a Standard MIDI File says. */
export interface MidiHeaderInfo {
  format: 0 | 1 | 2;
  tracks: number;
  /** Ticks per quarter note. */
  ticksPerQuarter: number;
}

const MAX_VLQ_BYTES = 4;

function fail(source: string, problem: string): never {
  throw new FormatError(`${source}: not a valid MIDI file: ${problem}`);
}

function tag(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(...bytes.subarray(at, at + 4));
}

function u32(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) >>> 0) + (bytes[at + 1]! << 16) + (bytes[at + 2]! << 8) + bytes[at + 3]!;
}

function u16(bytes: Uint8Array, at: number): number {
  return (bytes[at]! << 8) + bytes[at + 1]!;
}

/** Called for every meta event: its type byte, where its data starts in the file, its length and its track. */
export type MetaEventVisitor = (type: number, dataOffset: number, length: number, track: number) => void;

/**
 * Walk a Standard MIDI File's chunks and every track's events without allocating anything proportional to what the
 * file claims: header "MThd" of length ≥ 6, format 0/1/2, a tick-based division, exactly the announced number of
 * "MTrk" chunks each inside the file, and inside each track well-formed variable-length numbers and events that end
 * inside the track. Throws a FormatError naming `source` and the problem (with the byte offset); returns the header.
 */
export function checkMidiStructure(bytes: Uint8Array, source: string, onMeta?: MetaEventVisitor): MidiHeaderInfo {
  if (bytes.length < 14) fail(source, `${bytes.length} bytes is shorter than a MIDI header (14 bytes)`);
  if (tag(bytes, 0) !== 'MThd')
    fail(source, `expected the header tag "MThd" at byte 0, got ${describeValue(tag(bytes, 0))}`);
  const headerLength = u32(bytes, 4);
  if (headerLength < 6 || 8 + headerLength > bytes.length)
    fail(source, `header length ${headerLength} (expected ≥ 6 and inside the file)`);
  const format = u16(bytes, 8);
  if (format > 2) fail(source, `format ${format} (expected 0, 1 or 2)`);
  const tracks = u16(bytes, 10);
  const division = u16(bytes, 12);
  if (division & 0x8000) fail(source, 'SMPTE time division is not supported (expected ticks per quarter note)');
  if (division === 0) fail(source, 'division of 0 ticks per quarter note');
  if (tracks === 0) fail(source, 'the header announces 0 tracks');
  if (format === 0 && tracks !== 1) fail(source, `format 0 must have exactly 1 track, the header announces ${tracks}`);
  let at = 8 + headerLength;
  let found = 0;
  while (at < bytes.length) {
    if (at + 8 > bytes.length) fail(source, `${bytes.length - at} stray bytes at byte ${at} (a chunk header needs 8)`);
    const type = tag(bytes, at);
    const length = u32(bytes, at + 4);
    if (at + 8 + length > bytes.length) {
      fail(
        source,
        `chunk "${type}" at byte ${at} claims ${length} bytes ` +
          `but only ${bytes.length - at - 8} remain (truncated file?)`,
      );
    }
    if (type === 'MTrk') {
      checkTrackEvents(bytes, at + 8, at + 8 + length, found, source, onMeta);
      found++;
    }
    at += 8 + length;
  }
  if (found !== tracks)
    fail(source, `the header announces ${tracks} tracks but the file has ${found} (truncated file?)`);
  return { format: format as 0 | 1 | 2, tracks, ticksPerQuarter: division };
}

function checkTrackEvents(
  bytes: Uint8Array,
  start: number,
  end: number,
  track: number,
  source: string,
  onMeta: MetaEventVisitor | undefined,
): void {
  let at = start;
  let running = 0;
  const where = (): string => `track ${track}, byte ${at}`;
  const vlq = (): number => {
    let value = 0;
    for (let i = 0; i < MAX_VLQ_BYTES; i++) {
      if (at >= end) fail(source, `${where()}: a variable-length number runs past the end of the track`);
      const b = bytes[at++]!;
      value = value * 128 + (b & 0x7f);
      if ((b & 0x80) === 0) return value;
    }
    fail(source, `${where()}: a variable-length number is longer than 4 bytes`);
  };
  const skip = (n: number, what: string): void => {
    if (at + n > end)
      fail(source, `${where()}: ${what} of ${n} bytes runs past the end of the track (${end - at} left)`);
    at += n;
  };
  while (at < end) {
    vlq();
    if (at >= end) fail(source, `${where()}: the track ends after a delta time, without an event`);
    let status = bytes[at]!;
    if (status < 0x80) {
      if (running === 0) fail(source, `${where()}: data byte 0x${status.toString(16)} without a preceding status byte`);
      status = running;
    } else at++;
    if (status === 0xff) {
      skip(1, 'meta event type');
      const type = bytes[at - 1]!;
      const length = vlq();
      const dataOffset = at;
      skip(length, 'meta event');
      onMeta?.(type, dataOffset, length, track);
      running = 0;
    } else if (status === 0xf0 || status === 0xf7) {
      const length = vlq();
      skip(length, 'sysex event');
      running = 0;
    } else if (status >= 0xf0) {
      fail(source, `${where()}: system message 0x${status.toString(16)} is not allowed in a MIDI file`);
    } else {
      const kind = status & 0xf0;
      skip(kind === 0xc0 || kind === 0xd0 ? 1 : 2, 'channel event');
      running = status;
    }
  }
}
