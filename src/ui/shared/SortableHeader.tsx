import type { ReactNode } from 'react';

interface Props<K extends string> {
  /** The key sent back by `onSort` and shown as `data-sort-key` (a test hook). */
  sortKey: K;
  /** What the column holds, for the button's tooltip ("… — sort"); empty: just "Sort". */
  title: string;
  /** The key the table is sorted by now, and its direction. */
  sortedBy: K | null;
  desc: boolean;
  numeric: boolean;
  onSort(key: K): void;
  children: ReactNode;
}

/** A column header that sorts its table: a real button, with `aria-sort` on the cell and ▲/▼ shown. */
export function SortableHeader<K extends string>({ sortKey, title, sortedBy, desc, numeric, onSort, children }: Props<K>) {
  const active = sortedBy === sortKey;
  return (
    <th role="columnheader" scope="col" aria-sort={active ? (desc ? 'descending' : 'ascending') : 'none'} className={numeric ? 'num' : undefined}>
      <button type="button" className="sort-button" title={title ? `${title} — sort` : 'Sort'} data-sort-key={sortKey} onClick={() => onSort(sortKey)}>
        {children}
        <span className="sort-mark" aria-hidden="true">
          {active ? (desc ? '▼' : '▲') : ''}
        </span>
      </button>
    </th>
  );
}
