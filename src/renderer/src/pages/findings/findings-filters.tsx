import { Button, Group, MultiSelect, NumberInput, SegmentedControl, TextInput } from '@mantine/core';
import type { FindingFacetsDto } from '../../../../shared/dto/findings';
import { formatResourceType } from '../../lib/format';

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
}

export const EMPTY_FILTER: FilterState = {
  serviceCodes: [],
  types: [],
  regions: [],
  reasons: [],
  protection: 'all',
  minMonthlyCost: null,
  minAgeDays: null,
  search: '',
};

interface FindingsFiltersProps {
  value: FilterState;
  onChange: (v: FilterState) => void;
  facets: FindingFacetsDto | undefined;
}

const asNumber = (v: string | number): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function FindingsFilters({ value, onChange, facets }: FindingsFiltersProps): React.JSX.Element {
  const set = <K extends keyof FilterState>(k: K, v: FilterState[K]): void => onChange({ ...value, [k]: v });
  return (
    <Group gap="sm" align="flex-end" wrap="wrap" data-testid="findings-filters">
      <TextInput
        label="Search"
        placeholder="id, name, tag…"
        value={value.search}
        onChange={(e) => set('search', e.currentTarget.value)}
        w={200}
        data-testid="filter-search"
      />
      <MultiSelect label="Service" data={facets?.serviceCodes ?? []} value={value.serviceCodes} onChange={(v) => set('serviceCodes', v)} w={170} clearable searchable data-testid="filter-service" />
      <MultiSelect
        label="Type"
        data={(facets?.resourceTypes ?? []).map((t) => ({ value: t, label: formatResourceType(t) }))}
        value={value.types}
        onChange={(v) => set('types', v)}
        w={180}
        clearable
        data-testid="filter-type"
      />
      <MultiSelect label="Region" data={facets?.regions ?? []} value={value.regions} onChange={(v) => set('regions', v)} w={180} clearable searchable data-testid="filter-region" />
      <MultiSelect label="Reason" data={facets?.reasons ?? []} value={value.reasons} onChange={(v) => set('reasons', v)} w={220} clearable searchable data-testid="filter-reason" />
      <NumberInput label="Min. $/month" min={0} decimalScale={2} value={value.minMonthlyCost ?? ''} onChange={(v) => set('minMonthlyCost', asNumber(v))} w={120} data-testid="filter-min-cost" />
      <NumberInput label="Unused ≥ days" min={0} max={36500} allowDecimal={false} value={value.minAgeDays ?? ''} onChange={(v) => set('minAgeDays', asNumber(v))} w={120} data-testid="filter-min-age" />
      <SegmentedControl
        aria-label="Protection"
        value={value.protection}
        onChange={(v) => set('protection', v as FilterState['protection'])}
        data={[
          { value: 'all', label: 'All' },
          { value: 'unprotected', label: 'Deletable' },
          { value: 'protected', label: 'Protected' },
        ]}
        data-testid="filter-protection"
      />
      <Button variant="subtle" onClick={() => onChange(EMPTY_FILTER)}>
        Reset
      </Button>
    </Group>
  );
}
