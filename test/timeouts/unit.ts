import { jest } from '@jest/globals';

// Unit tests are quick, but some run a short shell command (train's stage tests): room for a loaded
// machine, far below the services' limit (jest's per-project testTimeout is not applied, this is).
jest.setTimeout(30_000);
