/** Derived views of the store, memoised per change of what they read. */
import { useMemo } from 'react';
import type { PacketColumns } from '../core/model/packet-table.ts';
import type { Connection, ResetVerdict } from '../core/model/types.ts';
import { filterChoices, selectConnectionRows } from '../core/model/connection-rows.ts';
import { useAppStore } from './store.ts';

/** Ids of the connections the list shows, filtered and sorted. */
export function useConnectionRows(): Uint32Array {
  const list = useAppStore((s) => s.list);
  const filters = useAppStore((s) => s.filters);
  const sort = useAppStore((s) => s.sort);
  const running = useAppStore((s) => s.status === 'running');
  return useMemo(
    // While streaming, verdicts are provisional: keep capture order instead of re-sorting every batch.
    () => selectConnectionRows(list, filters, running && sort.key === null ? { key: 'id', desc: false } : sort),
    [list, filters, sort, running],
  );
}

export function useFilterChoices(): { scenarios: string[]; states: string[] } {
  const list = useAppStore((s) => s.list);
  return useMemo(() => filterChoices(list), [list]);
}

/** The selected connection in full, or null (none selected, or still being fetched from the worker). */
export function useSelectedConnection(): Connection | null {
  return useAppStore((s) =>
    s.selectedDetail !== null && s.selectedDetail.connection.id === s.selectedConnection ? s.selectedDetail.connection : null,
  );
}

/** The selected connection's packets (rows 0..n-1), or null (none selected, still fetched, or still reading). */
export function useSelectedPackets(): PacketColumns | null {
  return useAppStore((s) =>
    s.selectedDetail !== null && s.selectedDetail.connection.id === s.selectedConnection ? s.selectedDetail.packets : null,
  );
}

export function useSelectedReset(): ResetVerdict | null {
  const conn = useSelectedConnection();
  const frame = useAppStore((s) => s.selectedReset);
  return useMemo(() => conn?.resets.find((r) => r.frame === frame) ?? null, [conn, frame]);
}
