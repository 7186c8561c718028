// Applies the test timeout of the jest project being run (see jest.config.js).
jest.setTimeout(globalThis.testTimeoutMs);
