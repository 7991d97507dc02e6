/**
 * Starts a gateway file's module on real NestJS (@nestjs/platform-socket.io) in a child
 * process, so a test can run the same scenario against NestJS and wiregate and compare.
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { io, type Socket as ClientSocket } from 'socket.io-client';
import type { ClientOptions } from '../../../src/testing';

/** Longest wait for the NestJS child to print its port, or to exit after SIGTERM. */
const START_TIMEOUT_MS = 15_000;

/** A NestJS app running in a child process. */
export interface NestApp {
  readonly port: number;
  /** Connects a websocket client to `namespace`; resolves once connected. */
  connect(namespace?: string, options?: ClientOptions): Promise<ClientSocket>;
  /** Everything the child wrote to stdout and stderr so far (its logs). */
  output(): string;
  /** Closes the clients, then stops the child (SIGTERM, NestJS's shutdown hooks) and awaits its exit. */
  close(): Promise<void>;
}

/** Spawns `node -r register.js nest-server.ts <file> <exportName>`, with `env` added to the environment. */
export async function startNestApp(
  file: string,
  exportName: string,
  env: Record<string, string> = {},
): Promise<NestApp> {
  const child = spawn(
    process.execPath,
    [
      '--no-warnings',
      '-r',
      join(__dirname, 'register.js'),
      join(__dirname, 'nest-server.ts'),
      file,
      exportName,
    ],
    // jest's process.env is a copy: pass what the test set explicitly.
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } },
  );
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => fail(new Error(`NestJS app did not start:\n${output}`)),
      START_TIMEOUT_MS,
    );
    const fail = (err: Error): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(err);
    };
    child.stdout.on('data', () => {
      const match = /\{"port":(\d+)\}/.exec(output);
      if (match === null) return;
      clearTimeout(timer);
      resolve(Number(match[1]));
    });
    child.once('exit', (code) => fail(new Error(`NestJS app exited (${code}):\n${output}`)));
  });
  return new NestAppImpl(child, port, () => output);
}

class NestAppImpl implements NestApp {
  private readonly clients = new Set<ClientSocket>();

  constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    readonly output: () => string,
  ) {}

  connect(namespace = '/', options: ClientOptions = {}): Promise<ClientSocket> {
    const client = io(`http://localhost:${this.port}${namespace}`, {
      forceNew: true,
      reconnection: false,
      transports: ['websocket'],
      ...options,
    });
    this.clients.add(client);
    return new Promise((resolve, reject) => {
      client.once('connect', () => resolve(client));
      client.once('connect_error', reject);
    });
  }

  async close(): Promise<void> {
    for (const client of this.clients) client.close();
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), START_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }
}
