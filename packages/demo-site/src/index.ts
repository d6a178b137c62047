export { APPS_DIR, findDemos, mountsOf, REPO_ROOT, type BuiltDemo } from './apps';
export { buildAllApps, buildApp } from './build';
export { pictureUrl, renderLanding, renderNotFound, writeLanding } from './landing';
export { contentType } from './mime';
export {
  checkLayout,
  IMMUTABLE,
  parseRange,
  pathSegments,
  resolveRequest,
  REVALIDATE,
  serveSite,
  type ByteRange,
  type Mount,
  type Resolution,
  type ServeOptions,
  type SiteLayout,
} from './server';
