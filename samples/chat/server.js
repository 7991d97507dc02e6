// `node samples/chat/server.js`: the chat sample on http://localhost:3000 (PORT and HOST to change it).
'use strict';
const { createChatServer } = require('./app');

const port = Number(process.env.PORT || 3000);
const host = process.env.HOST || '127.0.0.1';
const { httpServer, io } = createChatServer();

httpServer.once('error', (err) => {
  // The usual first-run failure: another server holds the port. One line saying what to
  // do beats a stack trace.
  if (err.code !== 'EADDRINUSE') throw err;
  console.error(`Port ${port} is already in use. Stop the program using it, or pick another port: PORT=${port + 1} node samples/chat/server.js`);
  process.exit(1);
});

httpServer.listen(port, host, () => {
  const { port: bound } = httpServer.address();
  console.log(`Chat on http://localhost:${bound}`);
});

function stop() {
  io.close().then(() => process.exit(0));
}
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
