/** An open Parquet file: its row count and column names, and its rows by range. */
export interface ParquetTable {
  rowCount: number;
  columns: string[];
  rowGroups: number[];
  rows(rowStart: number, rowEnd: number, columns?: string[]): Promise<Record<string, unknown>[]>;
}

/**
 * Opens a Parquet file with hyparquet and every codec writers use (snappy, gzip, zstd, brotli, lz4).
 * Loaded lazily: most runs read no Parquet. Throws what hyparquet throws for a file that is not Parquet.
 */
export async function openParquet(path: string): Promise<ParquetTable> {
  const [{ asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema }, { compressors }] = await Promise.all([
    import('hyparquet'),
    import('hyparquet-compressors'),
  ]);
  const file = await asyncBufferFromFile(path);
  const metadata = await parquetMetadataAsync(file);
  return {
    rowCount: Number(metadata.num_rows),
    columns: parquetSchema(metadata).children.map((c) => c.element.name),
    rowGroups: metadata.row_groups.map((g) => Number(g.num_rows)),
    rows: (rowStart, rowEnd, columns) => parquetReadObjects({ file, metadata, rowStart, rowEnd, columns, compressors }),
  };
}
