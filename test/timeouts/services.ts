import { jest } from '@jest/globals';

// Integration and e2e tests start real processes and services; only they get the long timeout
// (jest's per-project testTimeout is not applied to the test runner, setTimeout in a setup file is).
jest.setTimeout(300_000);
