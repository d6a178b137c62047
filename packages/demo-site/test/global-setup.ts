// Builds apps/sentiment-demo and serves it under /sentiment with the landing page at / through the site server, for
// test/e2e.test.ts (the same setup every app's e2e uses, see src/e2e-setup.ts). Skipped without chromium.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { APPS_DIR } from '../src/apps';
import { setupSite } from '../src/e2e-setup';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

export default (project: TestProject) =>
  setupSite(project, { apps: [join(APPS_DIR, 'sentiment-demo')], logDir: join(packageDir, 'test-artifacts') });
