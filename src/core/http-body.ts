// Reading an HTTP response body from a server Warden does not trust: never more than a cap, and
// without buffering the rest (a 10 GB answer is cut off, not downloaded).
/** Reads at most `cap` bytes of a body; past that, stops reading and closes the stream. */
export async function readCapped(res: Response, cap: number): Promise<{ text: string } | { tooLarge: number }> {
  const declared = Number(res.headers.get('content-length') ?? '');
  if (Number.isFinite(declared) && declared > cap) {
    void res.body?.cancel().catch(() => undefined);
    return { tooLarge: declared };
  }
  if (!res.body) return { text: '' };
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > cap) {
      void reader.cancel().catch(() => undefined);
      return { tooLarge: total };
    }
    chunks.push(value);
  }
  return { text: new TextDecoder('utf-8').decode(Buffer.concat(chunks)) };
}
