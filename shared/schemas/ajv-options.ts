/**
 * Options for every validator compiled while a stage runs. The schemas are ours and fixed, so they
 * are checked against the JSON Schema meta-schema by a test (test/unit/schemas/meta-schema.test.ts)
 * instead of at every start (compiling the meta-schema's own validator was most of a stage's
 * start-up), and code is generated without ajv's optimising pass: it compiles several times
 * faster, and these validators run a handful of times per step.
 */
export const runTimeAjvOptions = { validateSchema: false, code: { optimize: false } } as const;
