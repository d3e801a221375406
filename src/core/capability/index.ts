export * from './classify';
export * from './profile';
export * from './stats';
export * from './confidence';
