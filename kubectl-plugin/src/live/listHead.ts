// The `continue` token of a list page, read from the first bytes of its JSON, so the next page can
// be asked for while this one is still arriving and being parsed. The API server writes a built-in
// kind's list as `{"kind":..,"apiVersion":..,"metadata":{..,"continue":".."},"items":[...]}`: the
// metadata come first. A custom resource's list (unstructured, keys sorted) puts `items` before
// `metadata`: no early token there, and the caller waits for the whole page as before.

/** Bytes of a page searched for the head before giving up on it. */
export const HEAD_LIMIT = 64 * 1024;

/**
 * Undefined while `text` (the body so far) ends before the `"items":` key; once it is there:
 * `{ token }`, the continue token when the metadata before the items hold one.
 * (`"items":` cannot occur inside a JSON string: a quote in a string is escaped.)
 */
export function continueFromHead(text: string): { token?: string } | undefined {
  const at = text.indexOf('"items":');
  if (at < 0) return undefined;
  const head = text.slice(0, at).replace(/,\s*$/, '');
  try {
    const token = (JSON.parse(`${head}}`) as { metadata?: { continue?: unknown } }).metadata?.continue;
    return { token: typeof token === 'string' && token ? token : undefined };
  } catch {
    return {};
  }
}
