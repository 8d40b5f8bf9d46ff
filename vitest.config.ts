import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Two cores: a few files at a time, over both projects.
    maxWorkers: 2,
    projects: [
      {
        // The fast lane (`npm run test:unit`): no database, no server, no globalSetup. These tests share no
        // state, so the files run in one module graph: importing it again for each file cost more than the tests.
        extends: true,
        test: { name: 'unit', include: ['src/**/*.test.ts', 'tests/unit/**/*.test.ts'], isolate: false },
      },
      {
        // Real PostgreSQL: each file gets its own database cloned from a migrated template.
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts', 'tests/fault/**/*.test.ts'],
          globalSetup: ['tests/support/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        // The same, in Chromium, after the other two: printing PDFs in Chromium kept both cores busy for long enough
        // to delay the sends of shift-start-burst's server processes past their second (its pace test failed).
        extends: true,
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          globalSetup: ['tests/support/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
