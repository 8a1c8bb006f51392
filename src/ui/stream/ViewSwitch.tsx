/** What the connection panel shows: the ladder diagram or the followed stream. */
export type ConnectionView = 'ladder' | 'stream';

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
