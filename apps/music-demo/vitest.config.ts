import { demoTestConfig } from '@recurrent/demo-kit/vitest-config';
import { defineConfig } from 'vitest/config';

// unit tests + the Chromium e2e through the one site (test/global-setup.ts builds and serves this app).
export default defineConfig(demoTestConfig({ sourceConditions: true }));
