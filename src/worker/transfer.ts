import type { PageResult } from '../core/analyze-api.ts';

/** The distinct buffers behind a result's typed arrays, to transfer them instead of copying. */
export function columnBuffers(result: PageResult): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  const add = (a: ArrayBufferView): void => {
    if (a.buffer instanceof ArrayBuffer && a.buffer.byteLength > 0) buffers.add(a.buffer);
  };
  for (const column of Object.values(result.packets) as ArrayBufferView[]) add(column);
  add(result.connStart);
  return [...buffers];
}
