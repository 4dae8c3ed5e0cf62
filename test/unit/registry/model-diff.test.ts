import { describe, expect, it } from '@jest/globals';
import type { ModelDetails, ModelFile } from '../../../shared/registry/model-details.js';
import { diffModels } from '../../../shared/registry/model-diff.js';

const file = (path: string, layer: string, size = 10): ModelFile => ({
  path,
  size,
  kind: 'weight',
  layer: `sha256:${layer.padEnd(64, '0')}`,
});

function details(digest: string, files: ModelFile[], evaluation?: { verdict: string; metrics: Record<string, number> }): ModelDetails {
  return {
    digest: `sha256:${digest.padEnd(64, '0')}`,
    manifest: { schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: file('c', 'c'), layers: [] } as never,
    files,
    lineage: evaluation ? [{ kind: 'evaluation', digest: 'sha256:e', metrics: evaluation.metrics, verdict: evaluation.verdict }] : [],
  };
}

describe('diffModels', () => {
  it('sorts files into added, removed, changed (other layer digest) and unchanged, by path', () => {
    const a = details('a', [file('model.onnx', '1'), file('weights/b.bin', '2'), file('README.md', '3')]);
    const b = details('b', [file('weights/b.bin', '9', 12), file('model.onnx', '1'), file('tokenizer.json', '4'), file('a.txt', '5')]);
    const diff = diffModels({ details: a, metrics: {} }, { details: b, metrics: {} });
    expect(diff.same).toBe(false);
    expect(diff.added.map((f) => f.path)).toEqual(['a.txt', 'tokenizer.json']);
    expect(diff.removed.map((f) => f.path)).toEqual(['README.md']);
    expect(diff.changed.map((c) => [c.path, c.from.size, c.to.size])).toEqual([['weights/b.bin', 10, 12]]);
    expect(diff.unchanged).toBe(1);
  });

  it('lists metrics that differ or that one side lacks, evaluation metrics prefixed, and the verdicts', () => {
    const a = details('a', [], { verdict: 'pass', metrics: { f1: 0.9 } });
    const b = details('b', [], { verdict: 'fail', metrics: { f1: 0.8 } });
    const diff = diffModels(
      { details: a, metrics: { accuracy: 0.9, loss: 0.2, epochs: 10 } },
      { details: b, metrics: { accuracy: 0.9, loss: 0.3, auc: 0.7 } },
    );
    expect(diff.metrics).toEqual([
      { name: 'auc', to: 0.7 },
      { name: 'epochs', from: 10 },
      { name: 'evaluation.f1', from: 0.9, to: 0.8 },
      { name: 'loss', from: 0.2, to: 0.3 },
    ]);
    expect(diff.sameMetrics).toBe(1);
    expect(diff.verdict).toEqual({ from: 'pass', to: 'fail' });
    expect(diffModels({ details: a, metrics: {} }, { details: a, metrics: {} }).same).toBe(true);
  });
});
