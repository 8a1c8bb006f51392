/** Derived views of the store, memoised per change of what they read. */
import { useMemo } from 'react';
import type { Connection, ResetVerdict } from '../core/model/types.ts';
import { filterChoices, selectConnectionRows } from './connection-rows.ts';
import { useAppStore } from './store.ts';

/** Indices of the connections the list shows, filtered and sorted. */
export function useConnectionRows(): Uint32Array {
  const connections = useAppStore((s) => s.connections);
  const version = useAppStore((s) => s.connectionsVersion);
  const filters = useAppStore((s) => s.filters);
  const sort = useAppStore((s) => s.sort);
  const running = useAppStore((s) => s.status === 'running');
  return useMemo(
    // While streaming, verdicts are provisional: keep capture order instead of re-sorting every batch.
    () => selectConnectionRows(connections, filters, running && sort.key === null ? { key: 'id', desc: false } : sort),
    // `version` changes when connections were appended in place.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [connections, version, filters, sort, running],
  );
}

export function useFilterChoices(): { scenarios: string[]; states: string[] } {
  const connections = useAppStore((s) => s.connections);
  const version = useAppStore((s) => s.connectionsVersion);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  return useMemo(() => filterChoices(connections), [connections, version]);
}

export function useSelectedConnection(): Connection | null {
  return useAppStore((s) => (s.selectedConnection === null ? null : (s.connections[s.selectedConnection] ?? null)));
}

export function useSelectedReset(): ResetVerdict | null {
  const conn = useSelectedConnection();
  const frame = useAppStore((s) => s.selectedReset);
  return useMemo(() => conn?.resets.find((r) => r.frame === frame) ?? null, [conn, frame]);
}
