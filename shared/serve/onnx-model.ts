import { createRequire } from 'node:module';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { InputError, ServiceError } from '../errors.js';
import type { TableSchema } from '../data/table-schema/types.js';
import { describeFeatures } from './feature-layout.js';
import type { ModelSignature } from './inference-request.js';
import { readOnnxMetadata } from './onnx-metadata.js';
import { oipDatatypeOf, ortTypeOf, type TensorData, type TensorSpec, type TensorValues } from './tensor-types.js';

/** A model loaded into onnxruntime, with what the server needs to know about it. */
export interface OnnxModel extends ModelSignature {
  /** The .onnx file (its external weights, if any, beside it). */
  file: string;
  /** ONNX metadata_props. */
  metadata: Record<string, string>;
  /** Class names in output order (labels.json beside the model, or the metadata property `labels`). */
  labels?: string[];
  /** Runs the model; `outputs` selects outputs by name (all by default). */
  run(tensors: TensorData[], outputs?: string[]): Promise<TensorData[]>;
  release(): Promise<void>;
}

export interface LoadModelOptions {
  tableSchema?: TableSchema;
  /** onnxruntime's threads per inference (default: onnxruntime's own choice). */
  intraOpThreads?: number;
}

/** The .onnx file of a model folder: model.onnx, else the folder's only .onnx file. Throws InputError. */
export async function findOnnxFile(path: string): Promise<string> {
  const info = await stat(path).catch(() => {
    throw new InputError(`${path} does not exist: give a model folder (holding model.onnx) or an .onnx file`, { file: path });
  });
  if (info.isFile()) return path;
  const names = (await readdir(path)).filter((n) => n.endsWith('.onnx')).sort();
  if (names.includes('model.onnx')) return join(path, 'model.onnx');
  if (names.length === 1) return join(path, names[0]!);
  throw new InputError(
    names.length === 0
      ? `${path} holds no .onnx file: give the folder a model was trained or pulled into`
      : `${path} holds several .onnx files (${names.join(', ')}) and no model.onnx: give the file to serve`,
    { file: path },
  );
}

async function readLabels(folder: string, metadata: Record<string, string>): Promise<string[] | undefined> {
  const text = await readFile(join(folder, 'labels.json'), 'utf8').catch(() => metadata.labels);
  if (text === undefined) return undefined;
  try {
    const labels: unknown = JSON.parse(text);
    return Array.isArray(labels) && labels.every((l) => typeof l === 'string') ? labels : undefined;
  } catch {
    return undefined;
  }
}

function specOf(meta: InferenceSession.ValueMetadata, file: string): TensorSpec {
  const datatype = meta.isTensor ? oipDatatypeOf(meta.type) : undefined;
  if (!meta.isTensor || !datatype) {
    throw new InputError(
      `${file}: "${meta.name}" is ${meta.isTensor ? `a ${meta.type} tensor` : 'not a tensor'}, which JSON requests cannot carry`,
      {
        file,
      },
    );
  }
  return { name: meta.name, datatype, shape: meta.shape.map((d) => (typeof d === 'number' && d >= 0 ? d : -1)) };
}

type OnnxRuntime = typeof import('onnxruntime-node');

/**
 * onnxruntime-node: bundled, its native binding is looked for beside the bundle (`../bin/napi-v6/…`,
 * where the serving image puts it); the build does not ship the 45 MB binding in dist/. Else an
 * installed onnxruntime-node is used, found from the working directory (a checkout with
 * node_modules, or `npm install onnxruntime-node`). ServiceError saying so when neither is there.
 */
async function loadOnnxRuntime(): Promise<OnnxRuntime> {
  try {
    return await import('onnxruntime-node');
  } catch (bundled) {
    try {
      const require = createRequire(join(process.cwd(), 'package.json'));
      return require('onnxruntime-node') as OnnxRuntime;
    } catch {
      throw new ServiceError(
        'onnxruntime',
        `its native binding could not be loaded (${(bundled as Error).message.split('\n')[0]}); install onnxruntime-node where mlops runs (npm install onnxruntime-node), or serve from the image deploy builds`,
        { cause: bundled },
      );
    }
  }
}

/**
 * Loads an ONNX model from a folder or file with onnxruntime-node (loaded on first use: it is large).
 * The session is created from the file's path, so external weights (model.onnx.data) resolve beside it.
 * Checks the Table Schema contract when a schema is given. Throws InputError for a model or schema that
 * cannot be served.
 */
export async function loadOnnxModel(path: string, options: LoadModelOptions = {}): Promise<OnnxModel> {
  const file = await findOnnxFile(path);
  const ort = await loadOnnxRuntime();
  let session: InferenceSession;
  try {
    session = await ort.InferenceSession.create(file, {
      ...(options.intraOpThreads ? { intraOpNumThreads: options.intraOpThreads } : {}),
    });
  } catch (error) {
    throw new InputError(`${file} cannot be loaded by onnxruntime: ${(error as Error).message}`, { file });
  }
  const metadata = readOnnxMetadata(await readFile(file));
  const inputs = session.inputMetadata.map((m) => specOf(m, basename(file)));
  const outputs = session.outputMetadata.map((m) => specOf(m, basename(file)));
  const layout = describeFeatures(inputs, metadata, options.tableSchema);
  const labels = await readLabels(dirname(file), metadata);
  const byName = new Map(outputs.map((o) => [o.name, o]));
  return {
    file,
    metadata,
    labels,
    inputs,
    outputs,
    layout,
    async run(tensors, wanted) {
      const feeds: Record<string, Tensor> = {};
      for (const t of tensors) feeds[t.name] = new ort.Tensor(ortTypeOf(t.datatype) as Tensor.Type, t.data as never, t.shape);
      let results: InferenceSession.ReturnType;
      try {
        results = await session.run(feeds, wanted ?? session.outputNames);
      } catch (error) {
        throw new ServiceError('onnxruntime', `inference failed: ${(error as Error).message}`, { cause: error });
      }
      return Object.entries(results).map(([name, tensor]) => ({
        name,
        datatype: byName.get(name)?.datatype ?? oipDatatypeOf(tensor.type) ?? 'FP32',
        shape: tensor.dims.map(Number),
        data: tensor.data as TensorValues,
      }));
    },
    release: () => session.release(),
  };
}
