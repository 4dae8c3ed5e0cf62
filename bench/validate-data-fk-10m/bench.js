// validate-data with a foreign key into 10,000,000 keys: bench/validate-data-package with 10M customers and
// 1M orders (the referenced keys held as 8-byte digests: about 80 MB of the 256 MiB budget).
import { foreignKeyBenchmark } from '../validate-data-package/bench.js';

export default foreignKeyBenchmark({
  rows: 1_000_000,
  keys: 10_000_000,
  description: 'validate a Data Package whose 1M-row resource has a foreign key into 10,000,000 keys, side by side with pandas',
});
