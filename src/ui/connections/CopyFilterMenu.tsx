/**
 * "Copy as Wireshark filter" for the selected connection (by stream number, or by addresses and
 * ports to find it in another capture of the same traffic) and its selected reset (by frame number).
 */
import { useId, useState } from 'react';
import { addressPortFilter, frameFilter, streamFilter } from '../../core/filter/index.ts';
import type { Endpoint } from '../../core/model/types.ts';
import { useStreamNumber } from '../links/shared-origin.ts';

interface Props {
  connection: { id: number; client: Endpoint; server: Endpoint };
  /** The reset shown in the explanation, if any. */
  resetFrame: number | null;
}

export function CopyFilterMenu({ connection, resetFrame }: Props) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [copied, setCopied] = useState<string | null>(null);
  // The sender's stream for a shared connection: the filter finds it in the capture its frame numbers are from.
  const stream = useStreamNumber(connection.id);
  const choices = [
    { label: 'This connection (stream)', filter: streamFilter(stream) },
    { label: 'This connection (addresses and ports)', filter: addressPortFilter(connection) },
    ...(resetFrame !== null ? [{ label: 'This reset (frame)', filter: frameFilter(resetFrame) }] : []),
  ];
  const copy = async (filter: string): Promise<void> => {
    try {
      await navigator.clipboard.writeText(filter);
      setCopied(filter);
    } catch {
      setCopied(null); // no clipboard permission: the filters stay shown, to select by hand
    }
  };
  return (
    <div className="copy-filter">
      <button type="button" className="button" aria-expanded={open} aria-controls={`${id}-menu`} onClick={() => setOpen(!open)} data-testid="copy-filter">
        Copy as Wireshark filter
      </button>
      {open ? (
        <ul className="copy-filter-menu" id={`${id}-menu`} aria-label="Wireshark filters" data-testid="copy-filter-menu">
          {choices.map((c) => (
            <li key={c.filter}>
              <button type="button" className="copy-filter-item" onClick={() => void copy(c.filter)} data-filter={c.filter}>
                <span className="copy-filter-label">{c.label}</span> <code>{c.filter}</code>
                {copied === c.filter ? <span className="copy-filter-done"> copied</span> : null}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
