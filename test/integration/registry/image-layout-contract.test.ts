import { join } from 'node:path';
import { ImageLayoutRepository } from '../../../shared/registry/image-layout.js';
import { tempDir } from '../../temp-dirs.js';
import { describeOciRepositoryContract } from './oci-repository-contract.js';

describeOciRepositoryContract(
  'the image layout',
  async () => ImageLayoutRepository.open(join(tempDir('layout-contract-'), 'registry'), 'team/contract'),
  join(import.meta.dirname, '..', '..', 'fixtures', 'digits-mlp-onnx'),
);
