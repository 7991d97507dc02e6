/**
 * `npm run sample:chat-gateway`: the chat as a gateway app on http://localhost:3000
 * (PORT and HOST to change it).
 * @module
 */
import { startChatGateway } from './server';

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 3000);
  const chat = await startChatGateway({ port, host: process.env.HOST }).catch((err: unknown) => {
    // The usual first-run failure: another server (often a previous `npm start`) holds the
    // port. One line saying what to do beats a stack trace.
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      console.error(
        `Port ${port} is already in use. Stop the program using it, or pick another port: PORT=${port + 1} npm start`,
      );
      process.exit(1);
    }
    throw err;
  });
  console.log(`Chat (gateway) on http://localhost:${chat.port}`);
  const stop = (): void => {
    chat.close().then(
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
