/**
 * Helpers for testing gateways with real clients.
 * @module
 */
export { createTestingApp } from './create-testing-app';
export type { TestingApp, ClientOptions } from './create-testing-app';
export { waitFor, waitForArgs } from './wait-for';
export type { Listenable, WaitForOptions } from './wait-for';
