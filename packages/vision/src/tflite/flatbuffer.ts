import { FormatError } from '@recurrent/core';

/**
 * A bounds-checked view of one FlatBuffers table (https://flatbuffers.dev/internals/): every offset, vtable entry
 * and vector read is checked against the buffer, so a malformed or truncated file raises a `FormatError` naming
 * `source` instead of reading garbage or running past the end.
 */
export class FlatTable {
  private constructor(
    private readonly view: DataView,
    readonly position: number,
    private readonly vtable: number,
    private readonly vtableSize: number,
    readonly source: string,
  ) {}

  /** The root table of a FlatBuffers file (a uint32 offset at byte 0). */
  static root(bytes: Uint8Array, source: string): FlatTable {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (bytes.byteLength < 8)
      throw new FormatError(`${source}: ${bytes.byteLength} bytes is too short for a FlatBuffer`);
    return FlatTable.at(view, view.getUint32(0, true), source);
  }

  private static at(view: DataView, position: number, source: string): FlatTable {
    checkRange(view, position, 4, source, 'table');
    const vtable = position - view.getInt32(position, true);
    checkRange(view, vtable, 4, source, 'vtable');
    const vtableSize = view.getUint16(vtable, true);
    if (vtableSize < 4 || vtableSize % 2 !== 0)
      throw new FormatError(`${source}: vtable at ${vtable} has size ${vtableSize}`);
    checkRange(view, vtable, vtableSize, source, 'vtable');
    const tableSize = view.getUint16(vtable + 2, true);
    checkRange(view, position, tableSize, source, 'table');
    return new FlatTable(view, position, vtable, vtableSize, source);
  }

  /** Absolute position of field `index`, or 0 when the field is absent (its default applies). */
  private field(index: number, width: number): number {
    const entry = 4 + 2 * index;
    if (entry + 2 > this.vtableSize) return 0;
    const offset = this.view.getUint16(this.vtable + entry, true);
    if (offset === 0) return 0;
    checkRange(this.view, this.position + offset, width, this.source, `field ${index}`);
    return this.position + offset;
  }

  has(index: number): boolean {
    return this.field(index, 0) !== 0;
  }

  uint8(index: number, fallback = 0): number {
    const p = this.field(index, 1);
    return p ? this.view.getUint8(p) : fallback;
  }

  int8(index: number, fallback = 0): number {
    const p = this.field(index, 1);
    return p ? this.view.getInt8(p) : fallback;
  }

  int32(index: number, fallback = 0): number {
    const p = this.field(index, 4);
    return p ? this.view.getInt32(p, true) : fallback;
  }

  uint32(index: number, fallback = 0): number {
    const p = this.field(index, 4);
    return p ? this.view.getUint32(p, true) : fallback;
  }

  /** A uint64 field as a number (exact below 2^53; larger values are refused). */
  uint64(index: number, fallback = 0): number {
    const p = this.field(index, 8);
    if (!p) return fallback;
    const value = this.view.getBigUint64(p, true);
    if (value > BigInt(Number.MAX_SAFE_INTEGER))
      throw new FormatError(`${this.source}: field ${index} = ${value} is too large`);
    return Number(value);
  }

  /** Follow the uint32 offset stored in field `index`; 0 when absent. */
  private indirect(index: number): number {
    const p = this.field(index, 4);
    if (!p) return 0;
    const target = p + this.view.getUint32(p, true);
    checkRange(this.view, target, 4, this.source, `field ${index} target`);
    return target;
  }

  table(index: number): FlatTable | null {
    const p = this.indirect(index);
    return p ? FlatTable.at(this.view, p, this.source) : null;
  }

  string(index: number): string | null {
    const bytes = this.bytes(index);
    return bytes ? new TextDecoder('utf-8', { fatal: false }).decode(bytes) : null;
  }

  /** The element count and first element position of the vector in field `index`, checked against `width`. */
  private vector(index: number, width: number): { start: number; length: number } | null {
    const p = this.indirect(index);
    if (!p) return null;
    const length = this.view.getUint32(p, true);
    checkRange(this.view, p + 4, length * width, this.source, `vector field ${index} (${length} elements)`);
    return { start: p + 4, length };
  }

  /** A [ubyte] vector (or string) as a view into the file, no copy. */
  bytes(index: number): Uint8Array | null {
    const v = this.vector(index, 1);
    return v ? new Uint8Array(this.view.buffer, this.view.byteOffset + v.start, v.length) : null;
  }

  int32s(index: number): number[] {
    const v = this.vector(index, 4);
    if (!v) return [];
    const out: number[] = [];
    for (let i = 0; i < v.length; i++) out.push(this.view.getInt32(v.start + 4 * i, true));
    return out;
  }

  tables(index: number): FlatTable[] {
    const v = this.vector(index, 4);
    if (!v) return [];
    const out: FlatTable[] = [];
    for (let i = 0; i < v.length; i++) {
      const p = v.start + 4 * i;
      out.push(FlatTable.at(this.view, p + this.view.getUint32(p, true), this.source));
    }
    return out;
  }
}

function checkRange(view: DataView, start: number, length: number, source: string, what: string): void {
  if (!Number.isInteger(start) || start < 0 || length < 0 || start + length > view.byteLength) {
    throw new FormatError(
      `${source}: ${what} at byte ${start} (+${length}) runs outside the ${view.byteLength}-byte buffer ` +
        '(truncated or corrupt)',
    );
  }
}
