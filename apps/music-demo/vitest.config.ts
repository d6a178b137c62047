import { demoTestConfig } from '@recurrent/demo-kit/vitest-config';
import { defineConfig } from 'vitest/config';

// unit tests + the Chromium e2e through the one site (test/global-setup.ts builds and serves this app).
// MUSIC_DEMO_MEASURE_TRAINING=1 lets the training test run until the stated validation NLL (up to 45 minutes).
const measuring = process.env.MUSIC_DEMO_MEASURE_TRAINING === '1';
export default defineConfig(
  demoTestConfig({ sourceConditions: true, e2eTestTimeout: measuring ? 45 * 60_000 : 180_000 }),
);
