import { demoNextConfig } from '@recurrent/demo-kit/next-config';

/**
 * The kit's shared config: a static export served by the one site under this app's demo.json path (/sentiment),
 * workspace packages bundled from their TypeScript sources (hence `next build --webpack`), the site's navigation.
 * See packages/demo-kit/next-config.cjs.
 */
export default demoNextConfig();
