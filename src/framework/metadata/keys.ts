/**
 * Metadata keys the framework's decorators write and `metadata/read.ts` reads.
 * Strings (not symbols) so that two copies of the package in one tree still agree.
 * @module
 */
export const GATEWAY_OPTIONS = 'wiregate:gateway';
export const MESSAGE_EVENTS = 'wiregate:events';
export const PARAMS = 'wiregate:params';
export const SERVER_PROPERTIES = 'wiregate:server-properties';
export const GUARDS = 'wiregate:guards';
export const PIPES = 'wiregate:pipes';
export const INTERCEPTORS = 'wiregate:interceptors';
export const FILTERS = 'wiregate:filters';
export const CATCH_TYPES = 'wiregate:catch';
export const CUSTOM = 'wiregate:custom';
export const JOIN_ROOMS = 'wiregate:join-rooms';
export const LEAVE_ROOMS = 'wiregate:leave-rooms';
export const VALIDATION = 'wiregate:validation';

/** Keys written by TypeScript's `emitDecoratorMetadata` and by tsyringe's `@inject`. */
export const DESIGN_PARAMTYPES = 'design:paramtypes';
export const DESIGN_TYPE = 'design:type';
export const TSYRINGE_INJECTION_TOKENS = 'injectionTokens';

/** `@Injectable({ scope })` and `@Optional()` (framework/di). */
export const SCOPE = 'wiregate:scope';
export const OPTIONAL_PARAMS = 'wiregate:optional-params';
/** `@Module()` metadata. */
export const MODULE = 'wiregate:module';
