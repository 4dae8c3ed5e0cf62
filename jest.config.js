// ts-jest in ESM mode (NODE_OPTIONS=--experimental-vm-modules). tsconfig's isolatedModules makes it
// transpile only; `tsc --noEmit` (npm run build) type-checks.
export const common = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true }] },
  testEnvironment: 'node',
  // dist/package.json (the bundle's own) would collide with ours in jest's module map; tests run dist as processes.
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
};
// Integration and e2e tests start real processes and services, so only they get the long timeout.
export const services = { ...common, setupFilesAfterEnv: ['<rootDir>/test/timeouts/services.ts'] };
export default {
  projects: [
    {
      ...common,
      setupFilesAfterEnv: ['<rootDir>/test/timeouts/unit.ts'],
      displayName: 'unit',
      testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
    },
    { ...services, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.test.ts'] },
    { ...services, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.test.ts'] },
  ],
};
