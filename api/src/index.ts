export { createApp } from './yoga.js';
export type { App, AppOptions } from './yoga.js';
export type { Context } from './context.js';
export { ErrorCode } from './errors.js';
