import { flexRender, getCoreRowModel, useReactTable, type Row } from '@tanstack/react-table';
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { listRow, type ListColumns, type ListRow } from '../../core/model/list-columns.ts';
import { useAppStore } from '../../state/store.ts';
import { usePageKey } from '../shared/keyboard.ts';
import { SortableHeader } from '../shared/SortableHeader.tsx';
import { timeWidth } from '../shared/time-format.ts';
import { useTimeContext } from '../shared/use-time.ts';
import { columnMeta, connectionColumns } from './columns.tsx';
import { keyToMove, moveIndex } from './list-keys.ts';
import { listWindow, scrollToRow } from './list-window.ts';

const ROW_HEIGHT = 30;
const OVERSCAN = 10;

interface ScrollState {
  scrollTop: number;
  /** Height of the rows' area in view: the scroller's, less its sticky header. */
  viewport: number;
}

function readScroll(el: HTMLElement): ScrollState {
  const header = el.querySelector('thead')?.offsetHeight ?? 0;
  return { scrollTop: el.scrollTop, viewport: Math.max(0, el.clientHeight - header) };
}

/** The scroller's position and size, kept current (a scroll event comes at most once a frame). */
function useScrollState(ref: RefObject<HTMLElement | null>): ScrollState {
  const [state, setState] = useState<ScrollState>({ scrollTop: 0, viewport: 600 });
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const read = () =>
      setState((prev) => {
        const next = readScroll(el);
        return next.scrollTop === prev.scrollTop && next.viewport === prev.viewport ? prev : next;
      });
    read();
    el.addEventListener('scroll', read, { passive: true });
    const ro = new ResizeObserver(read);
    ro.observe(el);
    return () => {
      el.removeEventListener('scroll', read);
      ro.disconnect();
    };
  }, [ref]);
  return state;
}
/** Column widths: a time column grows to the time setting's longest text (`chars` wide). */
function columnWidths(chars: number): number[] {
  return connectionColumns.map((c) => {
    const meta = columnMeta(c.meta);
    return meta.time ? Math.max(meta.width, Math.ceil(chars * 7.4 + 22)) : meta.width;
  });
}

interface RowProps {
  row: Row<ListRow>;
  /** Position in the list. */
  index: number;
  selected: boolean;
  onSelect(id: number): void;
  onOpen(): void;
}

/**
 * One connection's row. A scroll of a few rows draws only the rows that came into view: a row whose
 * connection, place and selection are unchanged is left as it is (its `ListRow` is kept per id).
 */
const ConnectionRow = memo(
  function ConnectionRow({ row, index, selected, onSelect, onOpen }: RowProps) {
    const conn = row.original;
    return (
      <tr
        id={`conn-row-${conn.id}`}
        role="row"
        aria-rowindex={index + 2}
        aria-selected={selected}
        data-testid="connection-row"
        data-connection-id={conn.id}
        className={`conn-row${selected ? ' is-selected' : ''}${conn.resets > 0 ? ' has-reset' : ''}`}
        style={{ height: ROW_HEIGHT }}
        onClick={() => onSelect(conn.id)}
        onDoubleClick={onOpen}
      >
        {row.getVisibleCells().map((cell) => (
          <td key={cell.id} role="gridcell" className={columnMeta(cell.column.columnDef.meta).align === 'right' ? 'num' : undefined}>
            {flexRender(cell.column.columnDef.cell, cell.getContext())}
          </td>
        ))}
      </tr>
    );
  },
  (a, b) => a.row.original === b.row.original && a.index === b.index && a.selected === b.selected && a.onSelect === b.onSelect && a.onOpen === b.onOpen,
);

/** Rows kept for reuse past the window, at most; then only the window's are kept. */
const ROW_CACHE = 512;

interface Props {
  rows: Uint32Array;
  list: ListColumns;
  /** Called on Enter: move focus to the details of the selected connection. */
  onOpen(): void;
}

/**
 * The virtualized list: react-table supplies the column model and cell rendering for the rows in the
 * window only (a row object is built from the list's columns for each), so a million connections cost
 * a million indices, not a million row objects. Which rows are drawn, and where, is list-window.ts.
 */
export function ConnectionTable({ rows, list, onOpen }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const selected = useAppStore((s) => s.selectedConnection);
  const selectConnection = useAppStore((s) => s.selectConnection);
  const sort = useAppStore((s) => s.sort);
  const toggleSort = useAppStore((s) => s.toggleSort);
  const time = useTimeContext();
  const duration = useAppStore((s) => s.result?.report.duration ?? 0);
  const widths = useMemo(() => columnWidths(timeWidth(time, duration)), [time, duration]);
  const totalWidth = widths.reduce((a, b) => a + b, 0);

  const { scrollTop, viewport } = useScrollState(scrollRef);
  const win = listWindow({ count: rows.length, rowHeight: ROW_HEIGHT, scrollTop, viewport, overscan: OVERSCAN });
  // The same object for a connection from one window to the next, so its row is not drawn again.
  const rowCache = useMemo(() => ({ list, rows: new Map<number, ListRow>() }), [list]);
  const windowData = useMemo(() => {
    const out: ListRow[] = [];
    for (let i = win.start; i < win.end; i++) {
      const id = rows[i]!;
      let row = rowCache.rows.get(id);
      if (!row) rowCache.rows.set(id, (row = listRow(rowCache.list, id)));
      out.push(row);
    }
    if (rowCache.rows.size > ROW_CACHE) {
      rowCache.rows.clear();
      for (const row of out) rowCache.rows.set(row.id, row);
    }
    return out;
  }, [win.start, win.end, rows, rowCache]);

  const table = useReactTable({
    data: windowData,
    columns: connectionColumns,
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
    manualFiltering: true,
    getRowId: (c) => String(c.id),
  });

  const selectedIndex = useMemo(() => (selected === null ? -1 : rows.indexOf(selected)), [rows, selected]);

  // Keep the selected row in view when the keyboard (or an evidence link) moves the selection.
  useEffect(() => {
    const el = scrollRef.current;
    if (selectedIndex < 0 || !el) return;
    const to = scrollToRow(selectedIndex, { count: rows.length, rowHeight: ROW_HEIGHT, ...readScroll(el) });
    if (to !== null) el.scrollTop = to;
  }, [selectedIndex, rows.length]);

  const onKeyDown = useCallback(
    (e: KeyboardEvent<HTMLDivElement>) => {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      const move = keyToMove(e.key);
      if (move === null) return;
      e.preventDefault();
      if (move === 'open') {
        if (selectedIndex >= 0) onOpen();
        return;
      }
      const page = Math.max(1, Math.floor(viewport / ROW_HEIGHT) - 1);
      const next = moveIndex(selectedIndex, move, rows.length, page);
      if (next >= 0) selectConnection(rows[next]!);
    },
    [selectedIndex, rows, selectConnection, onOpen, viewport],
  );

  // j and k move through the list from anywhere on the page, not only once the list has the focus.
  usePageKey(['j', 'k'], (e) => {
    const next = moveIndex(selectedIndex, keyToMove(e.key), rows.length, 1);
    if (next < 0) return false;
    selectConnection(rows[next]!);
    return true;
  });

  const onSelect = useCallback(
    (id: number) => {
      selectConnection(id);
      scrollRef.current?.focus({ preventScroll: true });
    },
    [selectConnection],
  );

  const { padTop, padBottom } = win;
  const tableRows = table.getRowModel().rows;

  return (
    <div
      ref={scrollRef}
      className="table-scroll conn-scroll"
      tabIndex={0}
      role="grid"
      aria-label="Connections"
      aria-rowcount={rows.length + 1}
      aria-activedescendant={selected !== null && selectedIndex >= 0 ? `conn-row-${selected}` : undefined}
      data-testid="connection-list"
      data-row-count={rows.length}
      onKeyDown={onKeyDown}
    >
      <table className="conn-table" style={{ width: totalWidth }}>
        <colgroup>
          {connectionColumns.map((c, i) => (
            <col key={c.id ?? String((c as { accessorKey?: string }).accessorKey)} style={{ width: widths[i] }} />
          ))}
        </colgroup>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id} role="row">
              {group.headers.map((header) => {
                const meta = columnMeta(header.column.columnDef.meta);
                return (
                  <SortableHeader
                    key={header.id}
                    sortKey={meta.sortKey}
                    title={meta.title ?? ''}
                    sortedBy={sort.key}
                    desc={sort.desc}
                    numeric={meta.align === 'right'}
                    onSort={toggleSort}
                  >
                    {flexRender(header.column.columnDef.header, header.getContext())}
                  </SortableHeader>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {padTop > 0 ? (
            <tr aria-hidden="true" className="pad">
              <td colSpan={connectionColumns.length} style={{ height: padTop }} />
            </tr>
          ) : null}
          {tableRows.map((row, i) => (
            <ConnectionRow key={row.original.id} row={row} index={win.start + i} selected={row.original.id === selected} onSelect={onSelect} onOpen={onOpen} />
          ))}
          {padBottom > 0 ? (
            <tr aria-hidden="true" className="pad">
              <td colSpan={connectionColumns.length} style={{ height: padBottom }} />
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}
