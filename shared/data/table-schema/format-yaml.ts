// Apart from infer.ts so that inferring a schema (every validate-data run without one) does not load
// the YAML package: it is loaded only when an inferred schema is written (infer-schema).
import { Document, isPair, isScalar, visit } from 'yaml';
import type { TableSchema } from './types.js';

/** The schema as YAML for a file a person reviews: a comment header, one field per block, flow-style lists. */
export function formatTableSchemaYaml(schema: TableSchema): string {
  const doc = new Document(schema);
  doc.commentBefore = [
    ' Frictionless Table Schema (v1), inferred by mlops from a sample of the data.',
    ' Review it before relying on it: check each type, then add constraints',
    ' (minimum, maximum, pattern, enum, unique) and a primaryKey where they hold.',
    ' Spec: https://specs.frictionlessdata.io/table-schema/',
  ].join('\n');
  visit(doc, {
    Seq(_key, node, path) {
      const parent = path[path.length - 1];
      if (isPair(parent) && isScalar(parent.key) && parent.key.value === 'fields') return;
      node.flow = true;
    },
  });
  return doc.toString({ lineWidth: 0 });
}
