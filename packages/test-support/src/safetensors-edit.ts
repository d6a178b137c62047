// Edit a safetensors file's header in place for tests: e.g. relabel a tensor's F32 bytes as I32 (same byte size), the
// "integer-stored weights" case every model loader must refuse.

/** `bytes` with tensor `name`'s dtype `from` renamed `to` in the header (both 3 characters: the layout is kept). */
export function relabelSafetensorsDtype(bytes: Uint8Array, name: string, from: string, to: string): Uint8Array {
  if (from.length !== to.length) throw new Error(`relabelSafetensorsDtype: ${from} and ${to} differ in length`);
  const headerLength = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  const header = new TextDecoder().decode(bytes.subarray(8, 8 + headerLength));
  const json = JSON.parse(header) as Record<string, { dtype?: string }>;
  if (json[name]?.dtype !== from) throw new Error(`relabelSafetensorsDtype: '${name}' is not stored as ${from}`);
  const key = JSON.stringify(name);
  const at = header.indexOf(key);
  const dtypeAt = header.indexOf(`"dtype":"${from}"`, at);
  const edited = `${header.slice(0, dtypeAt)}"dtype":"${to}"${header.slice(dtypeAt + 10 + from.length)}`;
  const out = bytes.slice();
  out.set(new TextEncoder().encode(edited), 8);
  return out;
}

/** The name of the first tensor stored as `dtype` in a safetensors file (tests pick a tensor to relabel). */
export function firstTensorOfDtype(bytes: Uint8Array, dtype: string): string {
  const headerLength = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  const json = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))) as Record<
    string,
    { dtype?: string }
  >;
  const name = Object.keys(json).find((k) => k !== '__metadata__' && json[k]?.dtype === dtype);
  if (name === undefined) throw new Error(`firstTensorOfDtype: no tensor stored as ${dtype}`);
  return name;
}
