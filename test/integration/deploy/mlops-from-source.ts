// `mlops` run from the TypeScript sources (node --import tsx), for the processes the process target starts
// in tests: the serving runtime of the build cannot load onnxruntime yet (dist/ does not ship
// onnxruntime-node's native binding, which binding.js requires relative to itself), so the deploy tests
// start `mlops serve` and `mlops deploy proxy` from source, the same code the build bundles.
import { runCli } from '../../../shared/entry.js';

await runCli();
