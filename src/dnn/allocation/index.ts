/** Routed multi-task DNN for power allocation (routed-MTL paper): public API. */
export * from './tasks.js';
export * from './network.js';
export * from './data.js';
export * from './trainer.js';
export * from './evaluate.js';
export * from './model.js';
export * from './masks.js';
export * from './report.js';
