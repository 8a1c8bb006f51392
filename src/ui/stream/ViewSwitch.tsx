import type { ConnectionView } from '../../state/display-slice.ts';

export type { ConnectionView };

const VIEWS: { view: ConnectionView; label: string }[] = [
  { view: 'ladder', label: 'Ladder' },
  { view: 'stream', label: 'Follow stream' },
];

/** Two buttons, one pressed: the ladder or the stream of the selected connection. */
export function ViewSwitch({ view, onChange }: { view: ConnectionView; onChange: (view: ConnectionView) => void }) {
  return (
    <div className="view-switch" role="group" aria-label="Show the connection as">
      {VIEWS.map((v) => (
        <button
          key={v.view}
          type="button"
          className={`button${view === v.view ? ' is-pressed' : ''}`}
          aria-pressed={view === v.view}
          data-testid={v.view === 'stream' ? 'follow-stream' : undefined}
          onClick={() => onChange(v.view)}
        >
          {v.label}
        </button>
      ))}
    </div>
  );
}
