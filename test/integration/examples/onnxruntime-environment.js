// Jest test environment for tests that call onnxruntime-node. Jest runs each test file in its own
// realm, with its own Float32Array etc.; onnxruntime-node's native binding creates output arrays in
// Node's main realm, and onnxruntime-common's `instanceof Float32Array` check then rejects them
// ("A float32 tensor's data must be type of function Float32Array()"). Sharing the main realm's
// typed-array constructors with the test realm makes both sides agree.
// Use with a docblock at the top of the test file:  @jest-environment ./test/integration/examples/onnxruntime-environment.js
import { TestEnvironment } from 'jest-environment-node';

const SHARED_CONSTRUCTORS = [
  'ArrayBuffer',
  'SharedArrayBuffer',
  'DataView',
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float16Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
];

export default class OnnxRuntimeEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of SHARED_CONSTRUCTORS) {
      if (name in globalThis) this.global[name] = globalThis[name];
    }
  }
}
