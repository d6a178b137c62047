// Node-only entry point: image decoding with sharp, the detector read from the installed npm package.
export {
  readImage,
  IMAGE_FORMATS,
  MAX_IMAGE_BYTES,
  type ReadImageOptions,
  type DecodedImage,
} from './image/read-image.js';
export { loadObjectronDetectorAssets, objectronPackageDir } from './detector/objectron-assets.js';
export { loadObjectronDetector } from './detector/load-detector.js';
export {
  readCocoMini,
  findCocoMini,
  DatasetNotFoundError,
  type CocoMiniImage,
  type CocoMiniOptions,
} from './datasets/coco-mini.js';
