export * from './ip.js';
export * from './cidr.js';
export * from './poolAddress.js';
export * from './intervalSet.js';
