// `npm run conformance`: checks against the upstream specifications beside the repository
// (../shared/reference, or MLOPS_REFERENCE_DIR). Not part of `npm test`, which a clone alone passes.
import { common, SERVICE_TEST_TIMEOUT_MS } from './jest.config.js';

export default {
  projects: [{ ...common, displayName: 'conformance', testMatch: ['<rootDir>/test/conformance/**/*.test.ts'], testTimeout: SERVICE_TEST_TIMEOUT_MS }],
};
