/**
 * Runs one scenario against the same gateway file on wiregate and on NestJS, so a test
 * can assert what NestJS does and that wiregate does the same.
 * @module
 */
import type { Socket as ClientSocket } from 'socket.io-client';
import type { ClientOptions } from '../../../src/testing';
import { createTestingApp, type TestingApp } from '../../../src/testing';
import type { AppOptions, Type } from '../../../src';
import { startNestApp, type NestApp } from './nest-app';

/** Connects a client to a namespace of whichever server the scenario runs on. */
export type Connect = (namespace?: string, options?: ClientOptions) => Promise<ClientSocket>;

/** The two servers of one gateway file, started once for a test file. */
export interface Both {
  wiregate: TestingApp;
  nest: NestApp;
  /** Runs `scenario` on both; resolves with `[wiregate's result, NestJS's result]`. */
  run<T>(scenario: (connect: Connect) => Promise<T>): Promise<[T, T]>;
  close(): Promise<void>;
}

/**
 * Starts `moduleExport` of `file` on NestJS and `createApp({ modules: [module], ...options })`
 * on wiregate.
 */
export async function startBoth(
  file: string,
  moduleExport: string,
  module: Type,
  options: Omit<AppOptions, 'modules'> = {},
): Promise<Both> {
  const [wiregate, nest] = await Promise.all([
    createTestingApp({ ...options, modules: [module] }),
    startNestApp(file, moduleExport),
  ]);
  return {
    wiregate,
    nest,
    run: (scenario) =>
      Promise.all([
        scenario((ns, opts) => wiregate.connect(ns, opts)),
        scenario((ns, opts) => nest.connect(ns, opts)),
      ]),
    close: () => Promise.all([wiregate.close(), nest.close()]).then(() => undefined),
  };
}

/** Emits with an ack; resolves with the ack's arguments, or `'no ack'` if `after`'s ack came first. */
export function ackOrNothing(
  client: ClientSocket,
  event: string,
  args: unknown[],
): Promise<unknown[] | 'no ack'> {
  // Handlers of one socket answer in order: once a later message's ack arrives, an ack
  // that was going to come for the first message would have come already.
  return new Promise((resolve) => {
    let acked = false;
    client.emit(event, ...args, (...reply: unknown[]) => {
      acked = true;
      resolve(reply);
    });
    client.emit('echo', 'marker', () => {
      if (!acked) resolve('no ack');
    });
  });
}

/**
 * Emits `event` without an ack, then an `echo` with one; resolves with every event the
 * client received before the echo's answer, as `[name, ...args]` — handlers of one
 * socket answer in order, so whatever the first message caused has arrived by then.
 */
export function eventsAfter(
  client: ClientSocket,
  event: string,
  args: unknown[],
): Promise<unknown[][]> {
  const seen: unknown[][] = [];
  const record = (name: string, ...rest: unknown[]): void => {
    seen.push([name, ...rest]);
  };
  client.onAny(record);
  client.emit(event, ...args);
  return client
    .timeout(5000)
    .emitWithAck('echo', 'marker')
    .finally(() => client.offAny(record))
    .then(() => seen);
}
