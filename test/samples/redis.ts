// Whether the Redis the cluster sample needs (127.0.0.1:6379) is up. Under CI=true a
// missing Redis fails the suite; elsewhere the suite is skipped with a loud warning.
import { spawnSync } from 'node:child_process';

export const REDIS_URL = 'redis://127.0.0.1:6379';
const INSTALL = 'apt-get install -y redis-server && redis-server --daemonize yes';

/** Synchronous, because jest chooses between `describe` and `describe.skip` at load time. */
function probe(): boolean {
  const script = `const s=require('net').connect(6379,'127.0.0.1');s.setTimeout(1500,()=>process.exit(1));
s.on('error',()=>process.exit(1));s.on('data',d=>process.exit(String(d).startsWith('+PONG')?0:1));s.write('PING\\r\\n');`;
  return spawnSync(process.execPath, ['-e', script], { timeout: 3000 }).status === 0;
}

export const redisUp = probe();
const inCI = process.env.CI === 'true';

if (!redisUp && !inCI) {
  console.warn(
    `\n!!! Redis is not reachable at 127.0.0.1:6379: the cluster sample tests are SKIPPED.\n!!! Run: ${INSTALL}\n`,
  );
}

/** `describe` when Redis is up or under CI (where its absence must fail), else `describe.skip`. */
export const describeWithRedis: jest.Describe = redisUp || inCI ? describe : describe.skip;

/** For `beforeAll`: fails with the command to run when Redis is down. */
export function requireRedis(): void {
  if (!redisUp) throw new Error(`Redis is not reachable at 127.0.0.1:6379. Run: ${INSTALL}`);
}
