export * from './ewma';
export * from './model';
export * from './output';
