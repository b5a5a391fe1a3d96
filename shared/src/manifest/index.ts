export * from './source.js';
export * from './split.js';
export * from './document.js';
export * from './parse.js';
export * from './ignoreComments.js';
export * from './embedded.js';
