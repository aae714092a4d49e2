// The version is injected at build time by esbuild (scripts/build.mjs) from package.json.
declare const __WARDEN_VERSION__: string;
export const VERSION: string = typeof __WARDEN_VERSION__ === 'string' ? __WARDEN_VERSION__ : '0.0.0-dev';
