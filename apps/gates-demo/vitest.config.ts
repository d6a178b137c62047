import { demoTestConfig } from '@recurrent/demo-kit/vitest-config';
import { defineConfig } from 'vitest/config';

// @recurrent/core from its sources (the unit tests train a small race); the e2e trains in Chromium.
export default defineConfig(
  demoTestConfig({ sourceConditions: true, e2eTestTimeout: 120_000, e2eHookTimeout: 180_000 }),
);
