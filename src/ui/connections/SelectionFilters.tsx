/** "Copy as Wireshark filter" for the selected connection and its selected reset. */
import { useAppStore } from '../../state/store.ts';
import { CopyFilterMenu } from './CopyFilterMenu.tsx';
import './Workbench.css';

export function SelectionFilters() {
  const id = useAppStore((s) => s.selectedConnection);
  const list = useAppStore((s) => s.list);
  const resetFrame = useAppStore((s) => s.selectedReset);
  if (id === null || id >= list.count) return null;
  const connection = {
    id,
    client: { ip: list.ips[list.clientIp[id]!]!, port: list.clientPort[id]! },
    server: { ip: list.ips[list.serverIp[id]!]!, port: list.serverPort[id]! },
  };
  // Keyed by connection, so an open menu closes when the selection moves on.
  return <CopyFilterMenu key={id} connection={connection} resetFrame={resetFrame} />;
}
