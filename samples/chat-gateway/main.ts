/**
 * `npm run sample:chat-gateway`: the chat as a gateway app on http://localhost:3000
 * (PORT and HOST to change it).
 * @module
 */
import { startChatGateway } from './server';

async function main(): Promise<void> {
  const chat = await startChatGateway({
    port: Number(process.env.PORT ?? 3000),
    host: process.env.HOST,
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
