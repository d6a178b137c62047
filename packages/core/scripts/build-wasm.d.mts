/** Types for build-wasm.mjs, so tests can check the committed generated files are current. */
export function assembleWat(name: string, text: string): Promise<Uint8Array>;
export function sharedMemoryVariant(text: string): string;
export function generatedSource(watFile: string, bytes: Uint8Array, sharedBytes?: Uint8Array): string;
export function buildAll(): Promise<{ wat: string; path: string; source: string }[]>;
