// The app's version, set at build time (vite.config.ts `define`): the package
// version, or EDGEWISE_VERSION when set (the update e2e test builds two).
declare const __APP_VERSION__: string;

export const APP_VERSION: string = typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : 'dev';
