import { defineConfig } from 'vitest/config';

/** What every project of the suite shares. Each file builds its own app and database; nothing is shared but the MySQL server. */
const common = {
  globalSetup: ['test/support/global-setup.ts'],
  pool: 'forks' as const,
  testTimeout: 30_000,
  hookTimeout: 60_000,
  isolate: false,
};

/**
 * The fault and load benches measure time (a restarted worker listens within 5 s, a cut database
 * answers within 1 s): next to two other test files working at full speed on two cores they measure
 * the neighbours. So they run after the rest of the suite, one at a time (sequence.groupOrder).
 */
const timed = ['test/integration/bench.test.ts', 'test/integration/bench-faults.test.ts'];

export default defineConfig({
  test: {
    projects: [
      { test: { ...common, name: 'suite', include: ['test/**/*.test.ts'], exclude: timed, maxWorkers: 2, sequence: { groupOrder: 0 } } },
      { test: { ...common, name: 'timed', include: timed, maxWorkers: 1, sequence: { groupOrder: 1 } } },
    ],
  },
});
