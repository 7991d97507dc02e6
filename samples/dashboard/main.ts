/**
 * `npm run sample:dashboard`: the live dashboard on http://localhost:3000 (PORT and HOST to change it).
 * @module
 */
import { startDashboard } from './server';

async function main(): Promise<void> {
  const dashboard = await startDashboard({
    port: Number(process.env.PORT ?? 3000),
    host: process.env.HOST,
  });
  console.log(`Dashboard on http://localhost:${dashboard.port}`);
  const stop = (): void => {
    dashboard.close().then(
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
