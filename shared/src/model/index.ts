export * from './types.js';
export * from './labels.js';
export * from './kinds.js';
export * from './fieldReader.js';
export * from './build.js';
export * from './family.js';
