// Jest setup file: the socket-layer suite's clients use HTTP long-polling only.
process.env.TEST_TRANSPORTS = 'polling';
