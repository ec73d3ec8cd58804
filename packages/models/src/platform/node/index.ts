export { createOnnxRuntime, type OnnxRuntimeOptions } from './onnx-runtime.js';
export { createBundledModelSource, type BundledModelSourceOptions } from './bundled-model-source.js';
