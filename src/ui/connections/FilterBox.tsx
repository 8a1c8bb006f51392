import './Workbench.css';
/**
 * The filter box: words to search for in addresses, ports and service names, or an expression in
 * Wireshark's display-filter syntax (`tcp.port == 80 && rst.scenario == refused`). An expression that
 * cannot be read is marked (aria-invalid) with the message and the place it points at, and is not
 * applied; field names and values are offered as you type (a listbox: arrows to move, Tab or Enter to
 * take).
 */
import { useId, useMemo, useState, type KeyboardEvent, type RefObject } from 'react';
import { completeFilter, MAX_FILTER_LENGTH, readFilterInput, usesExpertFields, type Completion } from '../../core/filter/index.ts';

interface Props {
  value: string;
  onChange(value: string): void;
  /** The input, for a shortcut that focuses it ("/"). */
  inputRef: RefObject<HTMLInputElement | null>;
  /**
   * The capture is still being read: the expert marks (tcp.analysis.*, conn.expert) are worked out
   * once it is whole, so an expression that uses them matches nothing yet, and says so.
   */
  reading?: boolean;
}

export function FilterBox({ value, onChange, inputRef: input, reading = false }: Props) {
  const id = useId();
  const [cursor, setCursor] = useState<number | null>(null);
  const [active, setActive] = useState(0);
  const [closed, setClosed] = useState(false);
  const status = useMemo(() => readFilterInput(value), [value]);
  const completion: Completion | null = useMemo(() => {
    if (cursor === null || closed || value.trim() === '') return null;
    const c = completeFilter(value, Math.min(cursor, value.length), 12);
    // Nothing to offer when the word typed is already the only candidate.
    if (c.items.length === 0 || (c.items.length === 1 && value.slice(c.from, c.to) === c.items[0]!.label)) return null;
    return c;
  }, [value, cursor, closed]);
  const open = completion !== null;
  const chosen = open ? Math.min(active, completion.items.length - 1) : -1;

  const take = (label: string): void => {
    if (!completion) return;
    const next = value.slice(0, completion.from) + label + value.slice(completion.to);
    const at = completion.from + label.length;
    onChange(next);
    setCursor(at);
    setActive(0);
    requestAnimationFrame(() => input.current?.setSelectionRange(at, at));
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>): void => {
    if (!open) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const n = completion.items.length;
      setActive((chosen + (e.key === 'ArrowDown' ? 1 : n - 1)) % n);
    } else if (e.key === 'Tab' || (e.key === 'Enter' && chosen >= 0)) {
      e.preventDefault();
      take(completion.items[chosen]!.label);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      setClosed(true);
    }
  };

  const error = status.kind === 'invalid' ? status.error : null;
  return (
    <div className="filter-box">
      <label className="field field-text" htmlFor={`${id}-input`}>
        <span className="visually-hidden">Filter: address, port, service or expression</span>
        <input
          ref={input}
          id={`${id}-input`}
          type="search"
          role="combobox"
          autoComplete="off"
          spellCheck={false}
          placeholder="Filter: 10.0.0.1, example.com, or tcp.port == 80 && rst.scenario == refused"
          value={value}
          maxLength={MAX_FILTER_LENGTH}
          aria-keyshortcuts="/"
          data-testid="filter"
          data-mode={status.kind}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          aria-expanded={open}
          aria-controls={`${id}-list`}
          aria-autocomplete="list"
          aria-activedescendant={open && chosen >= 0 ? `${id}-item-${chosen}` : undefined}
          onChange={(e) => {
            onChange(e.target.value);
            setCursor(e.target.selectionStart);
            setClosed(false);
            setActive(0);
          }}
          onSelect={(e) => setCursor(e.currentTarget.selectionStart)}
          onKeyDown={onKeyDown}
          onBlur={() => setCursor(null)}
        />
      </label>
      {open ? (
        <ul className="filter-completions" id={`${id}-list`} role="listbox" aria-label="Completions" data-testid="filter-completions">
          {completion.items.map((item, k) => (
            <li
              key={item.label}
              id={`${id}-item-${k}`}
              role="option"
              aria-selected={k === chosen}
              className={k === chosen ? 'is-active' : undefined}
              // mousedown, not click: the input keeps its focus (and its cursor)
              onMouseDown={(e) => {
                e.preventDefault();
                take(item.label);
              }}
            >
              <code>{item.label}</code> <span className="filter-completion-detail">{item.detail}</span>
            </li>
          ))}
        </ul>
      ) : null}
      {status.kind === 'expression' && status.shorthand ? (
        <p className="filter-note" data-testid="filter-shorthand">
          as <code>{status.shorthand}</code>
        </p>
      ) : null}
      {reading && status.kind === 'expression' && usesExpertFields(status.expr) ? (
        <p className="filter-note" role="status" data-testid="filter-pending">
          Retransmissions, duplicate ACKs and the other expert marks are known once the whole capture is read: until then this
          filter shows no connections.
        </p>
      ) : null}
      {error ? (
        <p className="filter-error" id={`${id}-error`} role="status" data-testid="filter-error">
          <span className="filter-error-text">
            {value.slice(0, error.offset)}
            <mark>{value.slice(error.offset, error.offset + error.length) || ' '}</mark>
            {value.slice(error.offset + error.length)}
          </span>{' '}
          {error.message}
        </p>
      ) : null}
    </div>
  );
}
