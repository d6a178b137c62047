// Every differentiable op, for `import * as ops` and the package index. One line per ops file.
export * from './arithmetic.js';
export * from './matmul.js';
export * from './embedding.js';
export * from './dropout.js';
