/**
 * wiregate: everything a user imports.
 * @module
 */
export { WiregateError, ERROR_CODES } from './shared/errors';
export type { ErrorCode } from './shared/errors';

// ---- gateway framework (src/framework) ----
export * from './framework';
