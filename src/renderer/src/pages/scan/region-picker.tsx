import { Checkbox, Group, SegmentedControl, SimpleGrid, Skeleton, Stack, Text, Tooltip } from '@mantine/core';
import type { RegionDto } from '../../../../shared/dto/aws';

export type RegionChoice = { mode: 'all' } | { mode: 'subset'; regions: string[] };

interface RegionPickerProps {
  regions: RegionDto[] | undefined;
  value: RegionChoice;
  onChange: (v: RegionChoice) => void;
  disabled?: boolean;
}

/** All enabled regions, or a subset; regions the account has not opted in to are listed, greyed, with the reason. */
export function RegionPicker({ regions, value, onChange, disabled }: RegionPickerProps): React.JSX.Element {
  const enabled = regions?.filter((r) => r.enabled) ?? [];
  const selected = value.mode === 'subset' ? value.regions : enabled.map((r) => r.name);
  return (
    <Stack gap="sm">
      <SegmentedControl
        w="fit-content"
        disabled={disabled}
        value={value.mode}
        onChange={(m) => onChange(m === 'all' ? { mode: 'all' } : { mode: 'subset', regions: selected })}
        data={[
          { value: 'all', label: `All enabled regions${regions ? ` (${enabled.length})` : ''}` },
          { value: 'subset', label: 'Choose regions' },
        ]}
        aria-label="Regions to scan"
      />
      {!regions ? (
        <Skeleton h={80} />
      ) : (
        <Checkbox.Group value={selected} onChange={(v) => onChange({ mode: 'subset', regions: v })} aria-label="Regions">
          <SimpleGrid cols={{ base: 2, sm: 3, md: 4, lg: 6 }} spacing="xs">
            {regions.map((r) => {
              const box = (
                <Checkbox
                  key={r.name}
                  value={r.name}
                  label={r.name}
                  disabled={disabled || !r.enabled || value.mode === 'all'}
                  data-testid={`region-${r.name}`}
                />
              );
              return r.enabled ? (
                box
              ) : (
                <Tooltip key={r.name} label="Not enabled for this account (opt-in region). Enable it in the account settings to scan it.">
                  <Group gap={4} opacity={0.55} tabIndex={0}>
                    {box}
                    <Text size="xs" c="dimmed">
                      not opted in
                    </Text>
                  </Group>
                </Tooltip>
              );
            })}
          </SimpleGrid>
        </Checkbox.Group>
      )}
    </Stack>
  );
}
