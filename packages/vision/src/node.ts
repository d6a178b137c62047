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
export { saveVisionModel, mergeMetrics } from './models/save-model.js';
export {
  scenesTask,
  scenesDefaults,
  checkScenesConfig,
  evaluationScenes,
  loadScenesData,
  type ScenesConfig,
  type ScenesData,
  type ScenesBatch,
} from './training/scenes-task.js';
export {
  cocoTask,
  cocoDefaults,
  checkCocoConfig,
  loadCocoData,
  readMulti30kEnglish,
  buildCaptionVocabulary,
  evaluateCocoExamples,
  type CocoConfig,
  type CocoData,
  type CocoBatch,
  type CocoExample,
} from './training/coco-task.js';
export { decodePhotos, photoFeatures } from './training/coco-features.js';
export { evaluateScenesModel, evaluateCocoModel } from './training/tasks.js';
export { runCli, VISION_CLI } from './cli/main.js';
