// Browser-safe entry point: no node: imports here (file and npm-package readers are in ./node).
export { type RgbaImage, checkRgbaImage } from './image/pixels.js';
export { imageToTensor, type PreprocessOptions } from './image/preprocess.js';
export {
  readImageHeader,
  checkImageSize,
  MAX_IMAGE_PIXELS,
  type ImageHeader,
  type ImageFormat,
} from './image/header.js';
export { FlatTable } from './tflite/flatbuffer.js';
export { float16ToNumber, float16BytesToFloat32 } from './tflite/float16.js';
export {
  readTflite,
  BUILTIN_OPERATORS,
  TENSOR_TYPES,
  type TfliteModel,
  type TfliteSubgraph,
  type TfliteTensor,
  type TfliteOperator,
  type OperatorOptions,
  type Padding,
  type Activation,
  type TfliteTensorType,
} from './tflite/schema.js';
export { TfliteGraph, SUPPORTED_OPERATORS, type TfliteRunOptions, type TfliteRunResult } from './tflite/interpreter.js';
export { ssdAnchors, OBJECTRON_SSD_ANCHORS, type Anchor, type SsdAnchorOptions } from './detector/ssd-anchors.js';
export {
  SsdMobileNetV2,
  DETECTOR_INPUT_SIZE,
  FEATURE_GRIDS,
  type FeatureGridName,
  type DetectorOutput,
  type ClassScore,
  type Detection,
  type DetectOptions,
} from './detector/ssd-mobilenet-v2.js';
export {
  SHAPES,
  COLOURS,
  SIZES,
  COLOUR_RGB,
  BACKGROUND_RGB,
  HELD_OUT_PAIRS,
  COUNT_WORDS,
  RELATIONS,
  isHeldOutPair,
  type Shape,
  type Colour,
  type Size,
  type Relation,
} from './scenes/attributes.js';
export { captionScene, type SceneCaption, type SceneObject, type SlotKind } from './scenes/caption.js';
export { renderShapes, insideShape, type PlacedShape } from './scenes/render.js';
export {
  generateScene,
  sceneSplit,
  sceneGenerator,
  sceneVocabulary,
  radiusOf,
  SCENE_SPLITS,
  type Scene,
  type SceneSplit,
  type SceneOptions,
  type SceneSplitOptions,
} from './scenes/generate.js';
export { CaptionVocabulary, sceneCaptionVocabulary, PAD, BOS, EOS, UNK } from './captioner/vocabulary.js';
export { SceneEncoder, withCoordinates, type SceneEncoderOptions } from './captioner/scene-encoder.js';
export {
  Captioner,
  type CaptionerOptions,
  type CaptionerMemory,
  type CaptionerState,
  type CaptionerStep,
  type CaptionerLoss,
  type CaptionerLossOptions,
  type CaptionResult,
  type CaptionOptions,
} from './captioner/captioner.js';
export { ngramCounts, tokenizeCaption } from './metrics/ngrams.js';
export { corpusBleu, type BleuResult } from './metrics/bleu.js';
export { ciderD, type CiderResult } from './metrics/cider.js';
export { OBJECT_SYNONYMS, objectsNamed, mainObject, mainObjectAccuracy } from './metrics/main-object.js';
export {
  exactMatch,
  slotAccuracy,
  pointingAccuracy,
  CONTENT_SLOTS,
  type ContentSlot,
  type Rate,
  type PointingInput,
} from './metrics/scene-metrics.js';
export {
  unpackObjectronDetector,
  readPackedFileTable,
  OBJECTRON_PACKAGE,
  OBJECTRON_PACKED_DATA,
  OBJECTRON_PACKED_LOADER,
  type ObjectronDetectorAssets,
  type PackedFile,
} from './detector/objectron-packed.js';
export {
  SceneCaptioner,
  SCENE_CAPTIONER_KIND,
  checkSceneArchitecture,
  describeCaption,
  type SceneCaptionerArchitecture,
  type ImageCaption,
  type CaptionImagesOptions,
} from './models/scene-captioner.js';
export {
  CocoCaptioner,
  COCO_CAPTIONER_KIND,
  FEATURE_GRID_CHANNELS,
  DETECTOR_CONDITION_DIM,
  checkCocoArchitecture,
  type CocoCaptionerArchitecture,
  type DetectorFeatures,
  type PhotoCaption,
} from './models/coco-captioner.js';
export {
  VISION_PACKAGE,
  VISION_MODEL_FILES,
  registerVisionModelKinds,
  loadSceneCaptionerFiles,
  loadCocoCaptionerFiles,
  type VisionModel,
} from './models/kinds.js';
export { evaluateScenes, sceneImages, type SceneMetrics } from './training/scene-evaluation.js';
