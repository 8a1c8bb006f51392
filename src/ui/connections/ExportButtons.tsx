/**
 * Export from the page: the connection list as CSV (what the filter shows), the full JSON report
 * (the command line's document) and a Markdown report for a ticket. The worker writes them.
 */
import { useState } from 'react';
import type { DocumentKind } from '../../core/export/documents.ts';
import { saveFile } from './save-file.ts';

interface Props {
  onExport(kind: DocumentKind): Promise<{ file: Blob; fileName: string }>;
}

const BUTTONS: { kind: DocumentKind; label: string; title: string; testId: string }[] = [
  { kind: 'csv', label: 'CSV', title: 'The connections the list shows, as CSV', testId: 'export-csv' },
  { kind: 'json', label: 'JSON report', title: 'The full report, as the command line writes it with --json', testId: 'export-json' },
  { kind: 'md', label: 'Markdown report', title: 'Verdict, findings and each reset of the connections shown, for a ticket', testId: 'export-markdown' },
];

export function ExportButtons({ onExport }: Props) {
  const [busy, setBusy] = useState<DocumentKind | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async (kind: DocumentKind): Promise<void> => {
    setBusy(kind);
    setError(null);
    try {
      const doc = await onExport(kind);
      saveFile(doc.file, doc.fileName);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(null);
    }
  };
  return (
    <div className="export-buttons" role="group" aria-label="Export">
      <span className="field-label">Export</span>
      {BUTTONS.map((b) => (
        <button key={b.kind} type="button" className="button" title={b.title} disabled={busy !== null} onClick={() => void run(b.kind)} data-testid={b.testId}>
          {b.label}
        </button>
      ))}
      {error ? <span role="alert">{error}</span> : null}
    </div>
  );
}
