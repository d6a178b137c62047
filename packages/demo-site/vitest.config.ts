import { demoTestConfig } from '@recurrent/demo-kit/vitest-config';
import { defineConfig } from 'vitest/config';

// the e2e builds apps/sentiment-demo and serves it with the landing page through the site server.
export default defineConfig(demoTestConfig({ e2eHookTimeout: 240_000 }));
