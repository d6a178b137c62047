// Builds this app (copy-models + `next build --webpack` → out/) and serves it with the landing page through the one
// site server (@recurrent/demo-site) on a free localhost port, for test/e2e.test.ts. Skipped without chromium.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setupSite } from '@recurrent/demo-site/e2e-setup';
import type { TestProject } from 'vitest/node';

const appDir = fileURLToPath(new URL('..', import.meta.url));

export default (project: TestProject) => setupSite(project, { apps: [appDir], logDir: join(appDir, 'test-artifacts') });
