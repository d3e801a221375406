export * from './weights';
export * from './describe';
export * from './plan';
export * from './explain';
export * from './calibrate';
export * from './privacy-input';
export * from './failure';
export * from './accept';
