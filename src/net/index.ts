export * from './types';
export * from './ping';
export * from './monitor';
export * from './plan-input';
