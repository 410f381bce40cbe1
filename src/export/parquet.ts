// Parquet of the flow columns in pure JavaScript (hyparquet-writer, built-in Snappy), written a
// row group at a time: each group's bytes are handed on as soon as it is encoded, so memory
// stays at one batch of rows. DOM-free: the CLI streams the parts, the page can make a Blob.
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import { PORTHOLE_VERSION } from '../schema/version';
import type { Selection } from '../views/selection';
import { BATCH_ROWS, columnBatch, FLOW_COLUMNS } from './flow-columns';

type SchemaElement = ConstructorParameters<typeof ParquetWriter>[0]['schema'][number];

function schema(): SchemaElement[] {
  return [
    { name: 'root', num_children: FLOW_COLUMNS.length },
    ...FLOW_COLUMNS.map((c): SchemaElement => ({
      name: c.name,
      type: c.type === 'STRING' ? 'BYTE_ARRAY' : c.type,
      ...(c.type === 'STRING' ? { converted_type: 'UTF8' as const } : {}),
      repetition_type: c.nullable ? 'OPTIONAL' : 'REQUIRED',
    })),
  ];
}

/** A ByteWriter that gives away what it holds whenever the Parquet writer flushes (after each row group). */
class PartsWriter extends ByteWriter {
  readonly parts: Uint8Array[] = [];

  flush(): void {
    if (this.index === 0) return;
    this.parts.push(new Uint8Array(this.buffer.slice(0, this.index)));
    this.index = 0;
  }

  override finish(): void {
    this.flush();
  }

  take(): Uint8Array[] {
    return this.parts.splice(0, this.parts.length);
  }
}

/** The Parquet file of a selection's flows, as consecutive byte parts (one or more per row group). */
export function* flowParquetParts(sel: Selection, batch = BATCH_ROWS): Generator<Uint8Array> {
  const writer = new PartsWriter(1 << 16);
  const pq = new ParquetWriter({
    writer, schema: schema(), codec: 'SNAPPY', createdBy: `porthole ${PORTHOLE_VERSION}`,
    kvMetadata: [{ key: 'porthole.columns', value: JSON.stringify(FLOW_COLUMNS.map((c) => ({ name: c.name, doc: c.doc }))) }],
  });
  for (let i = 0; i < sel.rows.length; i += batch) {
    const to = Math.min(sel.rows.length, i + batch);
    const cols = columnBatch(sel.facts, sel.rows, i, to);
    const data = FLOW_COLUMNS.map((c, k) => (c.type === 'INT64' ? cols[k]!.map((v) => (v === null ? null : BigInt(v))) : cols[k]!));
    void pq.write({ columnData: FLOW_COLUMNS.map((c, k) => ({ name: c.name, data: data[k]! })), rowGroupSize: to - i });
    yield* writer.take();
  }
  void pq.finish();
  yield* writer.take();
}

/** For the page: the Parquet export of a selection as Blob parts (`new Blob(parts)`). */
export function parquetBlobParts(sel: Selection): Uint8Array[] {
  return [...flowParquetParts(sel)];
}
