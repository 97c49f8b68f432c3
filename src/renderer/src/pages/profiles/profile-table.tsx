import { Badge, Group, Radio, Table, Text, Tooltip } from '@mantine/core';
import type { AwsProfileDto, ProfileKind } from '../../../../shared/dto/aws';

const KIND_LABELS: Record<ProfileKind, string> = {
  static: 'Access keys',
  sso: 'IAM Identity Center (SSO)',
  'assume-role': 'Assume role',
  'credential-process': 'Credential process',
  'web-identity': 'Web identity',
  environment: 'Environment variables',
  unknown: 'Unknown',
};

interface ProfileTableProps {
  profiles: AwsProfileDto[];
  value: string | null;
  onChange: (name: string) => void;
}

/** The local profiles as a radio group in a table: one row per profile, keyboard-selectable. */
export function ProfileTable({ profiles, value, onChange }: ProfileTableProps): React.JSX.Element {
  return (
    <Radio.Group value={value} onChange={onChange} name="profile" aria-label="AWS profile">
      <Table highlightOnHover verticalSpacing="sm" data-testid="profiles-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={40} />
            <Table.Th>Profile</Table.Th>
            <Table.Th>Kind</Table.Th>
            <Table.Th>Region</Table.Th>
            <Table.Th>Notes</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {profiles.map((p) => (
            <Table.Tr key={p.name} data-profile={p.name} onClick={() => onChange(p.name)} style={{ cursor: 'pointer' }}>
              <Table.Td>
                <Radio value={p.name} aria-label={p.name} />
              </Table.Td>
              <Table.Td>
                <Group gap="xs">
                  <Text fw={600}>{p.name}</Text>
                  {p.isDefault && (
                    <Badge size="xs" variant="outline">
                      default
                    </Badge>
                  )}
                </Group>
                <Text size="xs" c="dimmed">
                  {p.sources.join(', ')}
                </Text>
              </Table.Td>
              <Table.Td>{KIND_LABELS[p.kind]}</Table.Td>
              <Table.Td>{p.region ?? <Text c="dimmed" span size="sm">not set (us-east-1)</Text>}</Table.Td>
              <Table.Td>
                <Group gap={4}>
                  {p.mfaRequired && (
                    <Tooltip label="Asks for an MFA code when selected">
                      <Badge color="violet" variant="light" size="sm" tabIndex={0}>
                        MFA
                      </Badge>
                    </Tooltip>
                  )}
                  {p.customEndpoint && (
                    <Tooltip label="Uses a custom endpoint_url (not AWS itself)">
                      <Badge color="orange" variant="light" size="sm" tabIndex={0}>
                        Custom endpoint
                      </Badge>
                    </Tooltip>
                  )}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Radio.Group>
  );
}
