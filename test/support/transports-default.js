// Jest setup file: the socket-layer suite's clients use default options (polling, then upgrade).
process.env.TEST_TRANSPORTS = 'default';
