import { demoNextConfig } from '@recurrent/demo-kit/next-config';

/**
 * The kit's shared config: a static export served by the one site under /caption, workspace packages bundled from
 * their TypeScript sources (@recurrent/vision's browser entry: no sharp, no node: modules).
 */
export default demoNextConfig({ transpilePackages: ['@recurrent/vision'] });
