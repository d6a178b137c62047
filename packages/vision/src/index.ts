// Browser-safe entry point: no node: imports here (file and npm-package readers are in ./node).
export { type RgbaImage, checkRgbaImage } from './image/pixels.js';
export { imageToTensor, type PreprocessOptions } from './image/preprocess.js';
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
