import { demoNextConfig } from '@recurrent/demo-kit/next-config';

/**
 * The kit's shared config: a static export served by the one site under /translate (demo.json), workspace packages
 * bundled from their TypeScript sources (@recurrent/text's browser entry). See packages/demo-kit/next-config.cjs.
 */
export default demoNextConfig();
