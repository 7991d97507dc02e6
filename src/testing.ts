/**
 * wiregate/testing: helpers for users' tests (start an app on a free port, connect
 * official socket.io-client clients, await events, close everything).
 * @module
 */
export * from './testing/index';
