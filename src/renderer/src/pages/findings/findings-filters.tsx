import { memo, useCallback, useMemo, useState, type Dispatch, type SetStateAction } from 'react';
import { Button, Group, MultiSelect, NumberInput, SegmentedControl, Select, TextInput, type ComboboxData } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import type { FindingFacetsDto } from '../../../../shared/dto/findings';
import type { IgnoredMode } from '../../../../shared/dto/snooze';
import { useKinds } from '../../api/kinds';
import { kindLabel } from '../../lib/kinds';

/** The user's filter, before debouncing and translation to the API's filter. */
export interface FilterState {
  serviceCodes: string[];
  types: string[];
  regions: string[];
  reasons: string[];
  protection: 'all' | 'unprotected' | 'protected';
  minMonthlyCost: number | null;
  minAgeDays: number | null;
  search: string;
  /** Ignored (snoozed) findings: hidden (default), shown with the others, or the only ones. */
  ignored: IgnoredMode;
}

const NONE: string[] = [];

export const EMPTY_FILTER: FilterState = {
  serviceCodes: [],
  types: [],
  regions: [],
  reasons: [],
  protection: 'all',
  minMonthlyCost: null,
  minAgeDays: null,
  search: '',
  ignored: 'exclude',
};

interface FindingsFiltersProps {
  value: FilterState;
  /** A state setter: fields update through `(prev) => next`, so each input keeps a stable callback. */
  onChange: Dispatch<SetStateAction<FilterState>>;
  facets: FindingFacetsDto | undefined;
}

type SetField = <K extends keyof FilterState>(k: K, v: FilterState[K]) => void;

const asNumber = (v: string | number): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

const PROTECTION_DATA = [
  { value: 'all', label: 'All' },
  { value: 'unprotected', label: 'Deletable' },
  { value: 'protected', label: 'Protected' },
];

const IGNORED_DATA: { value: IgnoredMode; label: string }[] = [
  { value: 'exclude', label: 'Hidden' },
  { value: 'include', label: 'Shown' },
  { value: 'only', label: 'Only ignored' },
];

const IgnoredFilter = memo(function IgnoredFilter({ value, setField }: { value: IgnoredMode; setField: SetField }): React.JSX.Element {
  return (
    <Select
      label="Ignored"
      data={IGNORED_DATA}
      value={value}
      onChange={(v) => setField('ignored', (v ?? 'exclude') as IgnoredMode)}
      allowDeselect={false}
      w={140}
      data-testid="filter-ignored"
    />
  );
});

type ListField = 'serviceCodes' | 'types' | 'regions' | 'reasons';

/** One multi-select, memoized: changing another field (or the protection segment) does not re-render it. */
const ListFilter = memo(function ListFilter({
  field,
  label,
  data,
  value,
  setField,
  w,
  searchable,
  testId,
}: {
  field: ListField;
  label: string;
  data: ComboboxData;
  value: string[];
  setField: SetField;
  w: number;
  searchable: boolean;
  testId: string;
}): React.JSX.Element {
  return <MultiSelect label={label} data={data} value={value} onChange={(v) => setField(field, v)} w={w} clearable searchable={searchable} data-testid={testId} />;
});

const SearchFilter = memo(function SearchFilter({ value, setField }: { value: string; setField: SetField }): React.JSX.Element {
  return <TextInput label="Search" placeholder="id, name, tag…" value={value} onChange={(e) => setField('search', e.currentTarget.value)} w={200} data-testid="filter-search" />;
});

const NumberFilter = memo(function NumberFilter({ field, value, setField }: { field: 'minMonthlyCost' | 'minAgeDays'; value: number | null; setField: SetField }): React.JSX.Element {
  return field === 'minMonthlyCost' ? (
    <NumberInput label="Min. $/month" min={0} decimalScale={2} value={value ?? ''} onChange={(v) => setField(field, asNumber(v))} w={120} data-testid="filter-min-cost" />
  ) : (
    <NumberInput label="Unused ≥ days" min={0} max={36500} allowDecimal={false} value={value ?? ''} onChange={(v) => setField(field, asNumber(v))} w={120} data-testid="filter-min-age" />
  );
});

/** The filters behind the "Filters" toggle that are set (search, protection and ignored are always in view). */
function hiddenActive(v: FilterState): number {
  return [v.serviceCodes.length > 0, v.types.length > 0, v.regions.length > 0, v.reasons.length > 0, v.minMonthlyCost !== null, v.minAgeDays !== null].filter(Boolean).length;
}

/** Wide enough for every filter on two lines above the table: narrower windows start with them folded away. */
const WIDE = '(min-width: 1200px)';

/**
 * Memoized, field by field: the page re-renders on every sort, page and selection change, and a change of one field
 * re-renders that field only (a protection click must not re-render four MultiSelects before its request leaves).
 *
 * Search and protection are always shown; the other filters fold behind a "Filters" toggle, open by default in a wide
 * window and closed in a narrow one (at 1024×700 they would push the table below the fold).
 */
export const FindingsFilters = memo(function FindingsFilters({ value, onChange, facets }: FindingsFiltersProps): React.JSX.Element {
  const setField = useCallback<SetField>((k, v) => onChange((prev) => ({ ...prev, [k]: v })), [onChange]);
  const kinds = useKinds();
  const wide = useMediaQuery(WIDE, window.matchMedia(WIDE).matches, { getInitialValueInEffect: false });
  // The user's choice once they toggled; until then, the window's width decides.
  const [chosen, setChosen] = useState<boolean | null>(null);
  const open = chosen ?? wide;
  const folded = hiddenActive(value);
  // The kinds' own labels ("Unattached EBS volumes"); a type whose kind is not known shows its raw id.
  const types = useMemo(() => (facets?.resourceTypes ?? []).map((t) => ({ value: t, label: kindLabel(kinds, t) })), [facets, kinds]);
  // Services by their Cost Explorer name ("EC2 - Other"), not the internal code.
  const services = useMemo(() => (facets?.serviceCodes ?? []).map((c) => ({ value: c, label: facets?.serviceNames[c] ?? c })), [facets]);
  return (
    <Group gap="sm" align="flex-end" wrap="wrap" data-testid="findings-filters" data-open={open}>
      <SearchFilter value={value.search} setField={setField} />
      <SegmentedControl
        aria-label="Protection"
        value={value.protection}
        onChange={(v) => setField('protection', v as FilterState['protection'])}
        data={PROTECTION_DATA}
        data-testid="filter-protection"
      />
      <IgnoredFilter value={value.ignored} setField={setField} />
      <Button
        variant={folded > 0 && !open ? 'light' : 'default'}
        onClick={() => setChosen(!open)}
        aria-expanded={open}
        aria-controls="findings-more-filters"
        rightSection={<span aria-hidden>{open ? '▴' : '▾'}</span>}
        data-testid="filters-toggle"
      >
        {folded > 0 ? `Filters (${folded})` : 'Filters'}
      </Button>
      {open && (
        <Group gap="sm" align="flex-end" wrap="wrap" id="findings-more-filters" role="group" aria-label="More filters" style={{ display: 'contents' }}>
          <ListFilter field="serviceCodes" label="Service" data={services} value={value.serviceCodes} setField={setField} w={200} searchable testId="filter-service" />
          <ListFilter field="types" label="Type" data={types} value={value.types} setField={setField} w={180} searchable={false} testId="filter-type" />
          <ListFilter field="regions" label="Region" data={facets?.regions ?? NONE} value={value.regions} setField={setField} w={180} searchable testId="filter-region" />
          <ListFilter field="reasons" label="Reason" data={facets?.reasons ?? NONE} value={value.reasons} setField={setField} w={260} searchable testId="filter-reason" />
          <NumberFilter field="minMonthlyCost" value={value.minMonthlyCost} setField={setField} />
          <NumberFilter field="minAgeDays" value={value.minAgeDays} setField={setField} />
        </Group>
      )}
      <Button variant="subtle" onClick={() => onChange(EMPTY_FILTER)} data-testid="filter-reset">
        Reset
      </Button>
    </Group>
  );
});
