import type { ElementDescriptor } from "../types.ts";

/**
 * What a heal was asked, kept in R2 (not D1: 5 000 candidates or 5 MiB of HTML exceed a row) so that
 * feedback can later turn it into a training example. Gzipped JSON under the org's prefix.
 */
export type StoredExample =
  | { form: "candidates"; selector?: string; target?: ElementDescriptor; candidates: ElementDescriptor[] }
  | { form: "dom"; selector: string; dom: string; previousDom?: string; target?: ElementDescriptor };

export const exampleKey = (orgId: string, attemptId: string) => `heal-examples/${orgId}/${attemptId}.json.gz`;

export async function putExample(bucket: R2Bucket, key: string, example: StoredExample): Promise<void> {
  const gz = new Response(
    new Blob([JSON.stringify(example)]).stream().pipeThrough(new CompressionStream("gzip")),
  );
  await bucket.put(key, await gz.arrayBuffer(), {
    httpMetadata: { contentType: "application/json", contentEncoding: "gzip" },
  });
}

export async function getExample(bucket: R2Bucket, key: string): Promise<StoredExample | null> {
  const object = await bucket.get(key);
  if (!object) return null;
  const text = await new Response(object.body.pipeThrough(new DecompressionStream("gzip"))).text();
  return JSON.parse(text) as StoredExample;
}
