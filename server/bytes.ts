/** One Uint8Array from chunks whose lengths add up to `total`. */
export function concatBytes(chunks: readonly Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const all = new Uint8Array(total);
  let o = 0;
  for (const ch of chunks) {
    all.set(ch, o);
    o += ch.byteLength;
  }
  return all;
}
