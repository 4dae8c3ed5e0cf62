// Table Dialect, from table-dialect.mdx: each example of the spec read through validate-data with the dialect
// input, checking the columns and values it "SHOULD output" and that annotations point at physical lines.
import { describe, expect, it } from '@jest/globals';
import { DialectScanner } from '../../../shared/data/dialect-scanner.js';
import { type FieldRanges, FieldQuoting, fieldText } from '../../../shared/data/csv-scanner.js';
import { csvDialectOf, type TableDialectDescriptor } from '../../../shared/data/table-dialect.js';
import { joinHeaderRows } from '../../../shared/data/read-table.js';
import { runValidateData, workspaceWith } from './profile-run.js';

/** Runs validate-data on `csv` with the dialect (inline JSON) and an optional schema (YAML). */
async function run(csv: string, dialect?: object, schema?: string) {
  const files: Record<string, string> = { 'data.csv': csv };
  if (schema) files['schema.yaml'] = schema;
  const inputs: Record<string, string> = { data: 'data.csv', 'fail-on': 'never' };
  if (dialect) inputs.dialect = JSON.stringify(dialect);
  if (schema) inputs.schema = 'schema.yaml';
  return runValidateData(workspaceWith(files), inputs);
}

/** The records a dialect reads from `text`, scanned in pieces cut at every byte (as a reader's buffer ends). */
function scan(text: string, descriptor: TableDialectDescriptor, cut?: number): { line: number; cells: (string | null)[] }[] {
  const bytes = Buffer.from(text);
  const out: { line: number; cells: (string | null)[] }[] = [];
  const sink = {
    record(buf: Uint8Array, fields: FieldRanges, count: number, line: number) {
      const cells: (string | null)[] = [];
      for (let i = 0; i < count; i++) cells.push(fields.quoting[i] === FieldQuoting.Null ? null : fieldText(buf, fields, i));
      out.push({ line, cells });
    },
    unterminatedQuote() {
      out.push({ line: -1, cells: [] });
    },
  };
  const scanner = new DialectScanner(csvDialectOf(descriptor));
  if (cut === undefined) {
    scanner.scan(bytes, 0, bytes.length, true, sink);
    return out;
  }
  // First piece not final: what it leaves is carried into the second, as scanCsvInput does.
  const consumed = scanner.scan(bytes, 0, cut, false, sink);
  scanner.scan(bytes, consumed, bytes.length, true, sink);
  return out;
}

describe('Table Dialect properties (table-dialect.mdx)', () => {
  it('header: "If `true` the first row in the file `MUST` be interpreted as a header row"; false names the columns field1, field2', async () => {
    const result = await run('1,apple\n2,orange\n', { header: false });
    expect(result.profile!.columns.map((c) => c.name)).toEqual(['field1', 'field2']);
    expect(result.outputs.rows).toBe('2');
  });

  it('header false with a schema: the schema names the columns by position', async () => {
    const result = await run('1,apple\nx,orange\n', { header: false }, 'fields:\n  - {name: id, type: integer}\n  - {name: name}\n');
    expect(result.profile!.columns.map((c) => c.name)).toEqual(['id', 'name']);
    expect(result.outputs['error-count']).toBe('1');
    expect(result.log).toContain('error: data.csv:2: column id: "x" breaks type: expected an integer');
  });

  it('headerRows [1, 2] "SHOULD output" {"fruit id": 1, "fruit name": "apple"}; headerJoin "-" gives fruit-id', async () => {
    const csv = 'fruit\nid,name\n1,apple\n2,orange\n';
    expect((await run(csv, { headerRows: [1, 2] })).profile!.columns.map((c) => c.name)).toEqual(['fruit id', 'fruit name']);
    const joined = await run(csv, { headerRows: [1, 2], headerJoin: '-' });
    expect(joined.profile!.columns.map((c) => c.name)).toEqual(['fruit-id', 'fruit-name']);
    expect(joined.outputs.rows).toBe('2');
    expect(
      joinHeaderRows(
        [
          ['a', '', 'b'],
          ['x', 'y', 'z'],
        ],
        '.',
      ),
    ).toEqual(['a.x', 'a.y', 'b.z']);
  });

  it('commentRows [2]: "specifies what rows have to be omitted from the data"; commentChar "#" omits rows starting with it', async () => {
    const csv = 'id,name\n#fruits\n1,apple\n2,orange\n';
    const schema = 'fields:\n  - {name: id, type: integer}\n  - {name: name}\n';
    const byRow = await run(csv, { commentRows: [2] }, schema);
    expect([byRow.outputs.rows, byRow.outputs['error-count']]).toEqual(['2', '0']);
    const byChar = await run(csv, { commentChar: '#' }, schema);
    expect([byChar.outputs.rows, byChar.outputs['error-count']]).toEqual(['2', '0']);
    // Without the dialect, the comment line is a row (an integer error).
    expect((await run(csv, undefined, schema)).outputs['error-count']).toBe('1');
  });

  it('delimiter "|": id|name reads as two columns', async () => {
    const result = await run('id|name\n1|apple\n2|orange\n', { delimiter: '|' });
    expect(result.profile!.columns.map((c) => c.name)).toEqual(['id', 'name']);
  });

  it('delimiter: "the character sequence which separates fields", several characters too', () => {
    expect(scan('a::b\n1::2\n', { delimiter: '::' }).map((r) => r.cells)).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('lineTerminator ";": "id,name;1,apple;2,orange" is three rows', async () => {
    const result = await run('id,name;1,apple;2,orange', { lineTerminator: ';' });
    expect(result.profile!.columns.map((c) => c.name)).toEqual(['id', 'name']);
    expect(result.outputs.rows).toBe('2');
  });

  it("quoteChar \"'\": 1,'apple,fruits' has the name apple,fruits", () => {
    expect(scan("id,name\n1,'apple,fruits'\n", { quoteChar: "'" }).map((r) => r.cells)).toEqual([
      ['id', 'name'],
      ['1', 'apple,fruits'],
    ]);
  });

  it('doubleQuote true: "two consecutive quotes are interpreted as one"; false: the second quote closes the field', () => {
    expect(scan('1,"apple""fruits"\n', { doubleQuote: true })[0]!.cells).toEqual(['1', 'apple"fruits']);
    expect(scan('1,"apple\\"fruits"\n', { doubleQuote: false, escapeChar: '\\' })[0]!.cells).toEqual(['1', 'apple"fruits']);
  });

  it('escapeChar "|": 1,apple|,fruits has the name apple,fruits', () => {
    expect(scan('id,name\n1,apple|,fruits\n2,orange|,fruits\n', { escapeChar: '|' }).map((r) => r.cells)).toEqual([
      ['id', 'name'],
      ['1', 'apple,fruits'],
      ['2', 'orange,fruits'],
    ]);
  });

  it('nullSequence "NA": {id: 2, name: null}; a required field then breaks', async () => {
    expect(scan('1,apple\n2,NA\n', { nullSequence: 'NA' }).map((r) => r.cells)).toEqual([
      ['1', 'apple'],
      ['2', null],
    ]);
    const result = await run(
      'id,name\n1,apple\n2,NA\n',
      { nullSequence: 'NA' },
      'fields:\n  - {name: id}\n  - {name: name, constraints: {required: true}}\n',
    );
    expect(result.outputs['error-count']).toBe('1');
    expect(result.profile!.columns[1]!.nulls).toBe(1);
  });

  it('skipInitialSpace true: "id, name" reads the column name', async () => {
    const result = await run('id, name\n1, apple\n2, orange\n', { skipInitialSpace: true });
    expect(result.profile!.columns.map((c) => c.name)).toEqual(['id', 'name']);
    expect(result.profile!.columns[1]!.top.map((t) => t.value).sort()).toEqual(['apple', 'orange']);
  });

  it('any cut of the input gives the same records (the reader carries an incomplete record over)', () => {
    const text = "id::name;;1::'a;;b'::x;;# note;;2::c\\::d;;";
    const dialect = { delimiter: '::', lineTerminator: ';;', quoteChar: "'", escapeChar: '\\', commentChar: '#' };
    const whole = scan(text, dialect);
    expect(whole.map((r) => r.cells)).toEqual([
      ['id', 'name'],
      ['1', 'a;;b', 'x'],
      ['2', 'c::d'],
    ]);
    for (let cut = 1; cut < text.length; cut++) expect(scan(text, dialect, cut)).toEqual(whole);
  });

  it('annotations keep pointing at physical lines: quoted newlines, comment lines and a custom terminator', async () => {
    const schema = 'fields:\n  - {name: id, type: integer}\n  - {name: note}\n';
    const csv = 'id;note\n# a comment\n1;"two\nlines"\nx;bad\n';
    const result = await run(csv, { delimiter: ';', commentChar: '#' }, schema);
    expect(result.outputs['error-count']).toBe('1');
    // x is on the file's fifth line.
    expect(result.log.find((l) => l.includes('breaks type'))).toBe('error: data.csv:5: column id: "x" breaks type: expected an integer');
  });
});

describe('the dialect input', () => {
  it('is checked against the Table Dialect profile: the property, the value and what was expected', async () => {
    const result = await run('a,b\n1,2\n', { delimiter: 5 });
    expect(result.ok).toBe(false);
    expect(result.log.join('\n')).toContain("Input 'dialect': /delimiter is 5; expected a string");
  });

  it('a dialect file with a bad value is annotated at its line', async () => {
    const dir = workspaceWith({ 'data.csv': 'a,b\n1,2\n', 'dialect.yaml': 'delimiter: ";"\nheader: maybe\n' });
    const result = await runValidateData(dir, { data: 'data.csv', dialect: 'dialect.yaml' });
    expect(result.ok).toBe(false);
    expect(result.log).toContain('error: dialect.yaml:2: /header is "maybe"; expected a boolean');
  });

  it('headerRows with header false is refused (the two contradict)', async () => {
    const result = await run('a,b\n1,2\n', { header: false, headerRows: [1] });
    expect(result.log.join('\n')).toContain('/headerRows is set while /header is false');
  });
});

describe('the delimiter hint', () => {
  it('a header read as one column holding ";" says which delimiter it looks like and how to set it', async () => {
    const result = await run('id;name\n1;apple\n', undefined, 'fields:\n  - {name: id}\n  - {name: name}\n');
    const text = result.log.join('\n');
    expect(text).toContain('column id;name is not in the schema (the header reads as one column holding ";"');
    expect(text).toContain(`dialect: '{delimiter: ";"}'`);
  });

  it('without a schema it is a warning, with "|" too', async () => {
    const result = await run('id|name\n1|apple\n');
    expect(result.log.join('\n')).toContain('the header reads as one column holding "|"');
    expect(result.outputs.valid).toBe('true');
  });

  it('no hint once a dialect sets the delimiter', async () => {
    const result = await run('id;name\n1;apple\n', { delimiter: ',' });
    expect(result.log.join('\n')).not.toContain('the header reads as one column');
  });
});
