import { memo, useCallback, useEffect, useId, useRef, useState, type ClipboardEvent, type KeyboardEvent, type MouseEvent, type PointerEvent } from 'react';
import { Checkbox, UnstyledButton } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { FindingSortColumn, ResourceDto } from '../../../../shared/dto/findings';
import { useKinds } from '../../api/kinds';
import { copyText } from '../../components/copy-text';
import { LazyTooltip } from '../../components/lazy-tooltip';
import { MiddleEllipsisParts, middleEllipsisRoot } from '../../components/middle-ellipsis';
import { UNKNOWN_SINCE_HINT } from '../../components/relative-date';
import { formatAbsolute, formatRelative, formatUsd } from '../../lib/format';
import { kindNoun } from '../../lib/kinds';
import classes from './findings-table.module.css';
import { ignoredSentence } from './snooze-text';

export interface SortState {
  column: FindingSortColumn;
  direction: 'asc' | 'desc';
}

const ROW_HEIGHT = 44;
/** The sticky header row's height (findings-table.module.css .header): rows scrolled into view go below it. */
const HEADER_HEIGHT = 40;

interface Column {
  label: string;
  sort?: FindingSortColumn;
  right?: boolean;
}

const COLUMNS: Column[] = [
  { label: 'Resource', sort: 'resourceId' },
  { label: 'Name', sort: 'name' },
  { label: 'Type', sort: 'resourceType' },
  { label: 'Region', sort: 'region' },
  { label: 'Why unused' },
  { label: 'Unused since', sort: 'unusedSince' },
  { label: '$ / month', sort: 'monthlyCost', right: true },
];

interface FindingsTableProps {
  count: number;
  rowAt: (i: number) => ResourceDto | undefined;
  sort: SortState;
  onSort: (s: SortState) => void;
  selected: ReadonlyMap<number, ResourceDto>;
  onToggle: (row: ResourceDto) => void;
  allLoadedSelected: boolean | 'some';
  onToggleLoaded: () => void;
  onOpen: (id: number) => void;
  onRange: (first: number, last: number) => void;
  /** Changes when the filter or sort changes: the table scrolls back to the top. */
  resetKey: string;
  /** The rows shown are the previous filter's, until the new filter's first page arrives (aria-busy on the grid). */
  stale?: boolean;
}

const HOVER_ONLY = { hover: true, focus: false, touch: false };

/** What a click on a column's header sorts by: the other direction if it is the current column. */
function nextSort(sort: SortState, column: FindingSortColumn): SortState {
  const active = sort.column === column;
  return { column, direction: active && sort.direction === 'desc' ? 'asc' : active ? 'desc' : column === 'monthlyCost' ? 'desc' : 'asc' };
}

/** When the finding became unused, like <UnusedSince> but plain elements with a lazily mounted tooltip (cheap per row). */
function SinceCell({ iso }: { iso: string | null }): React.JSX.Element {
  if (iso === null) {
    return (
      <LazyTooltip label={UNKNOWN_SINCE_HINT} multiline maw={320} withArrow openDelay={200} events={HOVER_ONLY}>
        <span className={`${classes.dimmed} ${classes.italic}`} data-unknown="true" data-testid="unused-since">
          unknown
        </span>
      </LazyTooltip>
    );
  }
  return (
    <LazyTooltip label={formatAbsolute(iso)} withArrow openDelay={200} events={HOVER_ONLY}>
      <time dateTime={iso} data-testid="unused-since">
        {formatRelative(iso)}
      </time>
    </LazyTooltip>
  );
}

/** The monthly cost, like <Money>: unknown is a dimmed "unknown", never $0; the cost basis on hover. */
function CostCell({ value, hint }: { value: number | null; hint: string | null }): React.JSX.Element {
  const unknown = value === null;
  const text = <span className={`${classes.mono} ${unknown ? `${classes.dimmed} ${classes.italic}` : ''}`}>{formatUsd(value)}</span>;
  return hint ? (
    <LazyTooltip label={hint} multiline maw={360} withArrow>
      {text}
    </LazyTooltip>
  ) : (
    text
  );
}

/** Copies the id of the button's row (its data-copy); a check mark for a moment (a DOM attribute, no state per row). */
function copyFromButton(e: MouseEvent<HTMLButtonElement>): void {
  const button = e.currentTarget;
  void copyText(button.dataset.copy ?? '').then((ok) => {
    button.dataset.copied = ok ? 'true' : 'false';
    window.setTimeout(() => delete button.dataset.copied, 1500);
  });
}

/** A row waiting for its page: plain blocks (no Mantine component per cell, a screenful of these mounts on a jump). */
function SkeletonRow({ index, top, id, active }: { index: number; top: number; id: string; active: boolean }): React.JSX.Element {
  return (
    <div id={id} className={`${classes.grid} ${classes.row}`} style={{ top, height: ROW_HEIGHT }} role="row" aria-rowindex={index + 2} aria-busy="true" data-active={active || undefined}>
      <div className={`${classes.skeleton} ${classes.skeletonBox}`} />
      <div className={classes.skeleton} />
      <div className={classes.skeleton} />
      <div className={classes.skeleton} />
      <div className={classes.skeleton} />
      <div className={classes.skeleton} />
      <div className={classes.skeleton} />
      <div className={classes.skeleton} />
    </div>
  );
}

/**
 * One finding. Built from plain elements and CSS-module classes (no Mantine Text/Anchor/Badge, tooltips mounted on
 * first hover, icons drawn by CSS masks): a sort or filter replaces every visible row at once, so the cost of a row is
 * the latency of the table. Nothing in a row is a Tab stop: the grid is one, and the arrow keys move between rows.
 */
const Row = memo(function Row({
  row,
  index,
  top,
  id,
  active,
  selected,
  onToggle,
  onOpen,
  nounOf,
}: {
  row: ResourceDto | undefined;
  index: number;
  top: number;
  /** The element id aria-activedescendant names when the row is the active one. */
  id: string;
  active: boolean;
  selected: boolean;
  onToggle: (r: ResourceDto) => void;
  onOpen: (id: number) => void;
  /** The kind's noun of a type (one lookup function for the table: no kind query per row). */
  nounOf: (type: string) => string;
}) {
  if (!row) return <SkeletonRow index={index} top={top} id={id} active={active} />;
  return (
    <div
      id={id}
      className={`${classes.grid} ${classes.row} ${selected ? classes.selected : ''}`}
      style={{ top, height: ROW_HEIGHT }}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      data-active={active || undefined}
      data-testid="finding-row"
      data-resource-id={row.resourceId}
      data-finding-id={row.id}
    >
      <div role="gridcell">
        {row.protected ? (
          <LazyTooltip label={row.protectedReason ?? 'Protected'}>
            <span className={classes.checkWrap}>
              <input type="checkbox" tabIndex={-1} className={classes.check} disabled checked={false} readOnly aria-label={`${row.resourceId} is protected`} />
            </span>
          </LazyTooltip>
        ) : (
          <span className={classes.checkWrap}>
            <input type="checkbox" tabIndex={-1} className={classes.check} checked={selected} onChange={() => onToggle(row)} aria-label={`Select ${row.resourceId}`} />
          </span>
        )}
      </div>
      <div role="gridcell" className={`${classes.cell} ${classes.idCell}`}>
        <button type="button" tabIndex={-1} className={`${classes.link} ${middleEllipsisRoot}`} onClick={() => onOpen(row.id)} data-testid="finding-open">
          <MiddleEllipsisParts text={row.resourceId} />
        </button>
        <button
          type="button"
          tabIndex={-1}
          className={classes.copy}
          onClick={copyFromButton}
          aria-label={`Copy ${row.resourceId}`}
          title={`Copy ${row.resourceId}`}
          data-copy={row.resourceId}
          data-testid="copy-id"
        />
      </div>
      {row.protected ? (
        <div role="gridcell" className={`${classes.cell} ${classes.nameCell}`}>
          <span className={classes.ellipsis}>{row.name ?? <span className={classes.dimmed}>—</span>}</span>
          <LazyTooltip label={row.protectedReason ?? 'Protected'} multiline maw={320} withArrow events={HOVER_ONLY}>
            <span className={classes.shield} role="img" aria-label={`Protected: ${row.protectedReason ?? 'kept by a rule'}`} data-testid="protected-icon" />
          </LazyTooltip>
        </div>
      ) : (
        <div role="gridcell" className={classes.cell}>
          {row.name ?? <span className={classes.dimmed}>—</span>}
        </div>
      )}
      <div role="gridcell" className={classes.cell}>
        {nounOf(row.resourceType)}
      </div>
      <div role="gridcell" className={classes.cell} data-col="region">
        {row.region}
      </div>
      {row.snooze ? (
        // An ignored finding: a badge and why it is ignored, where the reason is (the cell is narrow); until when and the
        // unused reason on hover, and in the drawer.
        <div role="gridcell" className={classes.cell} title={`${ignoredSentence(row.snooze)}\nWhy unused: ${row.unusedReason ?? '—'}`} data-testid="ignored-cell">
          <span className={classes.ignored} data-testid="ignored-badge" data-until={row.snooze.until ?? 'for good'}>
            {row.snooze.until === null ? 'Ignored for good' : 'Ignored'}
          </span>{' '}
          <span data-testid="ignored-reason">{row.snooze.reason}</span>
        </div>
      ) : (
        <div role="gridcell" className={classes.cell} title={row.unusedReason ?? undefined}>
          {row.unusedReason ?? '—'}
        </div>
      )}
      <div role="gridcell" className={classes.cell} data-col="unused-since">
        <SinceCell iso={row.unusedSince} />
      </div>
      <div role="gridcell" className={`${classes.cell} ${classes.costCell}`} data-col="cost">
        <CostCell value={row.monthlyCost} hint={row.costBasis} />
      </div>
    </div>
  );
});

/**
 * The findings as a virtual grid: only the rows in view exist in the DOM, fed page by page by the caller.
 *
 * Keyboard: the grid is one Tab stop and keeps the focus; an active row (aria-activedescendant, data-active) moves with
 * ↑ ↓ PageUp PageDown Home End and scrolls into view; Space selects it, Enter opens it, Ctrl+C copies its id. Above the
 * first row is the header row: ← → choose a column, Enter or Space sorts by it (or selects the loaded rows).
 */
export function FindingsTable(props: FindingsTableProps): React.JSX.Element {
  const { count, rowAt, sort, onSort, selected, onToggle, onOpen, onRange, resetKey, stale = false } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const gridId = useId();
  const kinds = useKinds();
  const nounOf = useCallback((type: string) => kindNoun(kinds, type), [kinds]);
  // eslint-disable-next-line react-hooks/incompatible-library -- useVirtualizer returns functions React Compiler must not memoize.
  const virtualizer = useVirtualizer({ count, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;

  // The active row (-1: the header row, where `col` is the active header cell), for the filter it was chosen under: a
  // new filter or sort starts again at the first row.
  const [cursor, setCursor] = useState({ key: resetKey, row: 0, col: 1 });
  const activeRow = cursor.key === resetKey ? Math.min(cursor.row, count - 1) : Math.min(0, count - 1);
  const activeCol = cursor.col;
  const rowId = (i: number): string => `${gridId}-r${i}`;
  const headerId = (c: number): string => `${gridId}-h${c}`;

  useEffect(() => onRange(first, last), [first, last, onRange]);
  useEffect(() => {
    scroller.current?.scrollTo({ top: 0 });
  }, [resetKey]);

  /** Scrolls the grid so row `i` is below the sticky header and above the bottom edge. */
  const reveal = (i: number): void => {
    const el = scroller.current;
    if (!el || i < 0) return;
    const top = i * ROW_HEIGHT;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + ROW_HEIGHT + HEADER_HEIGHT > el.scrollTop + el.clientHeight) el.scrollTop = top + ROW_HEIGHT + HEADER_HEIGHT - el.clientHeight;
  };

  const activate = (key: 'Enter' | ' '): void => {
    if (activeRow === -1) {
      if (activeCol === 0) props.onToggleLoaded();
      else {
        const column = COLUMNS[activeCol - 1]?.sort;
        if (column) onSort(nextSort(sort, column));
      }
      return;
    }
    const row = rowAt(activeRow);
    if (!row) return;
    if (key === 'Enter') onOpen(row.id);
    else if (!row.protected) onToggle(row);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (e.altKey || e.metaKey) return;
    // Keys aimed at a control inside (a checkbox or button clicked with the mouse) are the control's own.
    const onGrid = e.target === e.currentTarget;
    const pageRows = Math.max(1, Math.floor(((scroller.current?.clientHeight ?? 0) - HEADER_HEIGHT) / ROW_HEIGHT) - 1);
    let next: number;
    let col = activeCol;
    switch (e.key) {
      case 'ArrowDown':
        next = Math.min(count - 1, activeRow + 1);
        break;
      case 'ArrowUp':
        next = Math.max(-1, activeRow - 1);
        break;
      case 'PageDown':
        next = Math.min(count - 1, Math.max(0, activeRow) + pageRows);
        break;
      case 'PageUp':
        next = Math.max(0, activeRow - pageRows);
        break;
      case 'Home':
        next = Math.min(0, count - 1);
        break;
      case 'End':
        next = count - 1;
        break;
      case 'ArrowLeft':
      case 'ArrowRight':
        // On a row they scroll a grid wider than its window (the browser's own); on the header they move the column.
        if (activeRow !== -1 || !onGrid) return;
        next = -1;
        col = Math.max(0, Math.min(COLUMNS.length, activeCol + (e.key === 'ArrowLeft' ? -1 : 1)));
        break;
      case 'Enter':
      case ' ':
        if (!onGrid || e.ctrlKey) return;
        e.preventDefault();
        activate(e.key);
        return;
      default:
        return;
    }
    if (e.ctrlKey && e.key !== 'Home' && e.key !== 'End') return;
    e.preventDefault();
    setCursor({ key: resetKey, row: next, col });
    reveal(next);
    if (!onGrid) scroller.current?.focus();
  };

  // A click makes its row the active one (delegated: no handler per row).
  const onPointerDown = (e: PointerEvent<HTMLDivElement>): void => {
    const row = (e.target as Element).closest('[role="row"]');
    const i = Number(row?.getAttribute('aria-rowindex')) - 2;
    if (i >= 0) setCursor((c) => ({ ...c, key: resetKey, row: i }));
  };

  // Ctrl+C on the grid copies the active row's id (a copy event: no clipboard permission needed).
  const onCopy = (e: ClipboardEvent<HTMLDivElement>): void => {
    const row = activeRow >= 0 ? rowAt(activeRow) : undefined;
    if (e.target !== e.currentTarget || !row || (window.getSelection()?.toString() ?? '') !== '') return;
    e.clipboardData.setData('text/plain', row.resourceId);
    e.preventDefault();
  };

  const headerActive = (c: number): true | undefined => (activeRow === -1 && activeCol === c) || undefined;
  const header = (c: Column): React.ReactNode => {
    if (!c.sort) return c.label;
    const active = sort.column === c.sort;
    return (
      <UnstyledButton className={classes.sortButton} tabIndex={-1} onClick={() => onSort(nextSort(sort, c.sort!))} data-testid={`sort-${c.sort}`}>
        {c.label}
        <span aria-hidden>{active ? (sort.direction === 'asc' ? '▲' : '▼') : '↕'}</span>
      </UnstyledButton>
    );
  };

  return (
    <div
      ref={scroller}
      className={classes.scroller}
      role="grid"
      tabIndex={0}
      aria-rowcount={count + 1}
      aria-multiselectable
      aria-label="Findings"
      aria-busy={stale}
      aria-activedescendant={activeRow >= 0 ? rowId(activeRow) : headerId(activeCol)}
      onKeyDown={onKeyDown}
      onPointerDown={onPointerDown}
      onCopy={onCopy}
      data-testid="findings-grid"
      data-count={count}
    >
      <div className={classes.content}>
        <div className={`${classes.grid} ${classes.header}`} role="row" aria-rowindex={1}>
          <div role="columnheader" id={headerId(0)} data-active={headerActive(0)}>
            <Checkbox
              tabIndex={-1}
              checked={props.allLoadedSelected === true}
              indeterminate={props.allLoadedSelected === 'some'}
              onChange={props.onToggleLoaded}
              aria-label="Select the loaded rows"
              title="Select the rows loaded so far (not the whole filter)"
            />
          </div>
          {COLUMNS.map((c, i) => (
            <div
              key={c.label}
              id={headerId(i + 1)}
              role="columnheader"
              className={`${classes.cell} ${c.right ? classes.costCell : ''}`}
              aria-sort={c.sort && sort.column === c.sort ? (sort.direction === 'asc' ? 'ascending' : 'descending') : undefined}
              data-active={headerActive(i + 1)}
            >
              {header(c)}
            </div>
          ))}
        </div>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((v) => {
            const row = rowAt(v.index);
            return (
              <Row
                key={v.key}
                row={row}
                index={v.index}
                top={v.start}
                id={rowId(v.index)}
                active={v.index === activeRow}
                selected={row ? selected.has(row.id) : false}
                onToggle={onToggle}
                onOpen={onOpen}
                nounOf={nounOf}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}
