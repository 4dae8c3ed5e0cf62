// `npm run conformance`: checks against the upstream specifications beside the repository
// (../shared/reference, or MLOPS_REFERENCE_DIR). Not part of `npm test`, which a clone alone passes.
import { services } from './jest.config.js';

export default {
  projects: [{ ...services, displayName: 'conformance', testMatch: ['<rootDir>/test/conformance/**/*.test.ts'] }],
};
