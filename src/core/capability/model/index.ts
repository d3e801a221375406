export * from './arith';
export * from './features';
export * from './hash';
export * from './metrics';
export * from './model';
export * from './train';
export * from './online';
export * from './device-prior';
