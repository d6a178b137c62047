import { demoNextConfig } from '@recurrent/demo-kit/next-config';

/**
 * The kit's shared config: a static export served by the one site under /music, workspace packages bundled from
 * their TypeScript sources (@recurrent/music's browser entry: no node: modules).
 */
export default demoNextConfig({ transpilePackages: ['@recurrent/music'] });
