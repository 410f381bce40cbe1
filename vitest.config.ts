import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // Browser tests run beside each other on two cores: give polled page states time to arrive.
    expect: { poll: { timeout: 10_000, interval: 50 } },
  },
});
