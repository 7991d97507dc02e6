/**
 * `npm run sample:cluster`: starts two chat servers as two processes (a on 3001, b on 3002)
 * that share rooms through Redis. Ctrl-C stops both.
 * @module
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const SERVERS = [
  { name: 'a', port: Number(process.env.PORT_A ?? 3001) },
  { name: 'b', port: Number(process.env.PORT_B ?? 3002) },
];

const children: ChildProcess[] = SERVERS.map(({ name, port }) =>
  fork(join(__dirname, 'main.js'), [], {
    env: { ...process.env, NODE_NAME: name, PORT: String(port) },
  }),
);

let stopping = false;

/** Stops every server still running, then exits with `code`. */
function stopAll(code: number): void {
  if (stopping) return;
  stopping = true;
  const running = children.filter((child) => child.exitCode === null && child.signalCode === null);
  let left = running.length;
  if (left === 0) process.exit(code);
  for (const child of running) {
    child.once('exit', () => {
      if (--left === 0) process.exit(code);
    });
    child.kill('SIGTERM');
  }
}

for (const child of children) {
  // One server failing to start (Redis down, port taken) stops the whole sample.
  child.once('exit', (code) => {
    if (!stopping) stopAll(code === 0 ? 0 : 1);
  });
}
process.once('SIGINT', () => stopAll(0));
process.once('SIGTERM', () => stopAll(0));
console.log(
  'Starting servers a and b; try them with `npm run sample:cluster:try` in another terminal.',
);
