/** Derived views of the store, memoised per change of what they read. */
import { useMemo } from 'react';
import type { PacketColumns } from '../core/model/packet-table.ts';
import type { Connection, ResetVerdict } from '../core/model/types.ts';
import { filterChoices } from '../core/model/connection-rows.ts';
import type { ShownRows } from './rows-slice.ts';
import { useAppStore } from './store.ts';

/**
 * The connections the list shows, filtered and sorted (state/rows-slice.ts): their ids, and the list
 * to draw them from (the one they were worked out for, which may be older than the store's while the
 * worker works out the rows of a newer one).
 */
export function useConnectionRows(): ShownRows {
  return useAppStore((s) => s.shown);
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
