// The status view and `explain`, shared by `kubectl lb status` (file or live) and the editor.
export * from './pools.js';
export * from './report.js';
export * from './explain.js';
export * from './problemIds.js';
