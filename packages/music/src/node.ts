// Node-only helpers (file system). The main entry point stays browser-safe.
export * from './index.js';
