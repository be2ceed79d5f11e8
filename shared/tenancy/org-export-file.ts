import { type ExportRow, exportPrefix, exportSections } from "./org-export.ts";

/**
 * The export as one JSON document, streamed: a header, then `"tables": { "<name>": [rows…] }` for every
 * section in order (empty ones as `[]`), each array stitched from the R2 pages of that section in key
 * order. Memory holds one page at a time.
 */
export function exportDocument(artifacts: R2Bucket, row: ExportRow): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const chunks = documentChunks(artifacts, row);
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}

async function* documentChunks(artifacts: R2Bucket, row: ExportRow): AsyncGenerator<string> {
  const header = {
    format: "shifty.org-export",
    version: 1,
    orgId: row.orgId,
    exportId: row.id,
    createdAt: row.createdAt,
    finishedAt: row.finishedAt,
    rows: row.rows,
  };
  const sections = exportSections();
  yield `${JSON.stringify(header).slice(0, -1)},"tables":{`;
  let open = -1;
  let first = true;
  const openUpTo = function* (section: number) {
    while (open < section) {
      if (open >= 0) yield "],";
      open++;
      first = true;
      yield `${JSON.stringify(sections[open])}:[`;
    }
  };
  const prefix = exportPrefix(row.orgId, row.id);
  let cursor: string | undefined;
  do {
    const list = await artifacts.list({ prefix, cursor, limit: 1000 });
    for (const object of list.objects) {
      const section = Number(object.key.slice(prefix.length).split("/")[0]);
      yield* openUpTo(section);
      const page = await artifacts.get(object.key);
      if (!page) continue;
      yield `${first ? "" : ","}${await page.text()}`;
      first = false;
    }
    cursor = list.truncated ? list.cursor : undefined;
  } while (cursor);
  yield* openUpTo(sections.length - 1);
  yield "]}}";
}
