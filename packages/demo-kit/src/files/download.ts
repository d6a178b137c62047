// Save bytes the page made (a generated .mid, trained weights) as a file: a Blob URL clicked through a temporary
// link, revoked afterwards. Browser only.

/** Start the browser's download of `bytes` as `fileName`. */
export function downloadBytes(bytes: Uint8Array, fileName: string, type = 'application/octet-stream'): void {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes); // a Blob wants its own ArrayBuffer (bytes may be a view into a larger or shared one)
  const url = URL.createObjectURL(new Blob([copy.buffer], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
