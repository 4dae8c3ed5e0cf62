// Writes everything generated from the schemas: each actions/<stage>/action.yml, the root action.yml, the JSON Schemas for
// editors under shared/schemas/json/ (mlops.yml's too), the README's input/output tables and the inputs' precompiled
// validators (shared/schemas/input-validators.generated.ts). `--check` only compares.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expectationsJsonSchema } from '../shared/data/expectations.js';
import { tableSchemaJsonSchema } from '../shared/data/table-schema/index.js';
import { inputsJsonSchema } from '../shared/schemas/action-spec.js';
import { renderActionYml, renderInputTables, replaceBetweenMarkers } from '../shared/schemas/render.js';
import { loopConfigJsonSchema } from '../shared/loop/loop-config.js';
import { loopSpec } from '../shared/schemas/loop.js';
import { stages } from '../shared/stages.js';
import { renderInputValidators } from './input-validators.js';
import { renderProfileValidators } from './table-schema-profiles.js';

const root = new URL('..', import.meta.url).pathname;
const check = process.argv.includes('--check');
const stale: string[] = [];

function put(path: string, text: string): void {
  const absolute = join(root, path);
  let current: string | undefined;
  try {
    current = readFileSync(absolute, 'utf8');
  } catch {
    current = undefined;
  }
  if (current === text) return;
  if (check) stale.push(path);
  else {
    mkdirSync(join(absolute, '..'), { recursive: true });
    writeFileSync(absolute, text);
    process.stdout.write(`wrote ${path}\n`);
  }
}

let readme = readFileSync(join(root, 'README.md'), 'utf8');
for (const { spec, branding } of stages) {
  put(`actions/${spec.name}/action.yml`, renderActionYml(spec, branding));
  put(`shared/schemas/json/${spec.name}.inputs.json`, `${JSON.stringify(inputsJsonSchema(spec), null, 2)}\n`);
  readme = replaceBetweenMarkers(readme, `${spec.name}-inputs`, renderInputTables(spec));
}
// The root action: the whole loop, and the JSON Schema of the mlops.yml that drives it.
put('action.yml', renderActionYml(loopSpec, { icon: 'refresh-cw', color: 'blue' }, { main: 'dist/loop.js' }));
readme = replaceBetweenMarkers(readme, 'loop-inputs', renderInputTables(loopSpec));
put('shared/schemas/json/mlops.json', `${JSON.stringify(loopConfigJsonSchema(), null, 2)}\n`);
put('shared/schemas/json/expectations.json', `${JSON.stringify(expectationsJsonSchema, null, 2)}\n`);
put('shared/schemas/json/table-schema.json', `${JSON.stringify(tableSchemaJsonSchema, null, 2)}\n`);
put('README.md', readme);
put('shared/schemas/input-validators.generated.ts', renderInputValidators());
put('shared/data/table-schema/profile-validators.generated.ts', renderProfileValidators());
if (stale.length) {
  process.stderr.write(`Out of date (run npm run docs): ${stale.join(', ')}\n`);
  process.exit(1);
}
