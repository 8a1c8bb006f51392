/**
 * The distinct buffers behind every typed array in `values` (plain objects, arrays and maps are
 * searched; strings and other values skipped), to transfer them instead of copying. Views of one
 * buffer give it once; empty buffers are left out (nothing to move).
 */
export function transferables(...values: unknown[]): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  const seen = new Set<object>();
  const visit = (v: unknown): void => {
    if (typeof v !== 'object' || v === null || seen.has(v)) return;
    seen.add(v);
    if (ArrayBuffer.isView(v)) {
      if (v.buffer instanceof ArrayBuffer && v.buffer.byteLength > 0) buffers.add(v.buffer);
      return;
    }
    if (Array.isArray(v)) {
      // Long arrays of strings (address tables) hold no buffer: look at the first item only.
      if (v.length > 0 && (typeof v[0] !== 'object' || v[0] === null)) return;
      for (const item of v) visit(item);
      return;
    }
    if (v instanceof Map) {
      for (const item of v.values()) visit(item);
      return;
    }
    if (Object.getPrototypeOf(v) === Object.prototype) for (const item of Object.values(v)) visit(item);
  };
  for (const v of values) visit(v);
  return [...buffers];
}
