/** "Copy as Wireshark filter" for the selected connection and its selected reset. */
import { useAppStore } from '../../state/store.ts';
import { CopyFilterMenu } from './CopyFilterMenu.tsx';
import './Workbench.css';

export function SelectionFilters() {
  const id = useAppStore((s) => s.selectedConnection);
  const list = useAppStore((s) => s.list);
  const resetFrame = useAppStore((s) => s.selectedReset);
  const origin = useAppStore((s) => s.result?.report.shared ?? null);
  if (id === null || id >= list.count) return null;
  const connection = {
    // A shared connection's stream number is the one of the capture it comes from, as its frames'.
    id: origin && list.count === 1 ? origin.stream : id,
    client: { ip: list.ips[list.clientIp[id]!]!, port: list.clientPort[id]! },
    server: { ip: list.ips[list.serverIp[id]!]!, port: list.serverPort[id]! },
  };
  // Keyed by connection, so an open menu closes when the selection moves on.
  return <CopyFilterMenu key={id} connection={connection} resetFrame={resetFrame} />;
}
