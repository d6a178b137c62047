// Every differentiable op, for `import * as ops` and the package index. One line per ops file.
export * from './arithmetic.js';
export * from './matmul.js';
export * from './embedding.js';
export * from './dropout.js';
export * from './unary.js';
export * from './reduce.js';
export * from './softmax.js';
export * from './shape.js';
export * from './indexing.js';
export * from './conv.js';
export * from './pool.js';
export * from './layernorm.js';
export * from './attention.js';
