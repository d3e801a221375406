export * from './curve';
export * from './records';
export * from './replay';
export * from './latency-grid';
export * from './svg';
export * from './capability-report';
