// The local cache: restores without copying bytes where the file system allows, and never serves
// an entry that changed after it was saved.
import { describe, expect, it } from '@jest/globals';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalCache } from '../../../shared/runtime/local-store.js';
import { tempDir } from '../../temp-dirs.js';

function workspaceWithModel(): string {
  const workspace = tempDir('local-store-');
  mkdirSync(join(workspace, 'model', 'shards'), { recursive: true });
  writeFileSync(join(workspace, 'model', 'model.onnx'), 'graph');
  writeFileSync(join(workspace, 'model', 'shards', 'a.bin'), 'weights a');
  writeFileSync(join(workspace, 'model', 'shards', 'b.bin'), 'weights b');
  return workspace;
}

describe('LocalCache', () => {
  it('restores every file of a folder by clone or hard link, byte for byte, with its mtime', async () => {
    const workspace = workspaceWithModel();
    const cache = new LocalCache(join(workspace, '.mlops', 'cache'), workspace);
    await cache.save(['model'], 'k1');
    const mtime = statSync(join(workspace, 'model', 'shards', 'a.bin')).mtimeMs;
    writeFileSync(join(workspace, 'model', 'stale.bin'), 'from another run');
    expect(await cache.restore(['model'], 'k1')).toBe('k1');
    expect(readFileSync(join(workspace, 'model', 'shards', 'b.bin'), 'utf8')).toBe('weights b');
    expect(() => statSync(join(workspace, 'model', 'stale.bin'))).toThrow();
    expect(cache.lastPlacements.clone + cache.lastPlacements.link).toBe(3);
    expect(cache.lastPlacements.copy).toBe(0);
    expect(Math.trunc(statSync(join(workspace, 'model', 'shards', 'a.bin')).mtimeMs)).toBe(Math.trunc(mtime));
  });

  it('drops an entry written in place through a restored file instead of serving it', async () => {
    const workspace = workspaceWithModel();
    const cache = new LocalCache(join(workspace, '.mlops', 'cache'), workspace);
    await cache.save(['model'], 'k1');
    await cache.restore(['model'], 'k1');
    // Same size, new bytes, written in place (as torch.save or onnx.save write).
    writeFileSync(join(workspace, 'model', 'shards', 'a.bin'), 'weights X');
    const restored = cache.restore(['model'], 'k1');
    if (cache.lastPlacements.link === 0) return; // cloned: the entry could not have changed
    await expect(restored).rejects.toThrow(/the cache entry k1 changed after it was saved \(model\/shards\/a\.bin was modified/);
    expect(await cache.restore(['model'], 'k1')).toBeUndefined();
  });
});
