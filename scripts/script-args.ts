/** Kept for scripts/bench-* until they import scripts/lib.ts. */
export * from './lib.js';
