/**
 * One cluster server as a process: `PORT=3001 NODE_NAME=a node dist-samples/cluster/main.js`
 * (also `HOST`, `REDIS_URL`).
 * `npm run sample:cluster` starts two of them (launch.ts).
 * @module
 */
import { startNode } from './node';

async function main(): Promise<void> {
  const name = process.env.NODE_NAME ?? `node-${process.pid}`;
  const node = await startNode({
    name,
    port: Number(process.env.PORT ?? 3001),
    host: process.env.HOST,
    redisUrl: process.env.REDIS_URL,
  });
  console.log(`server ${name} on http://localhost:${node.port}/chat`);
  const stop = (): void => {
    node.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
