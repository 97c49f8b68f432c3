/** The small forms of the account list: add an account by hand, set an account's role, set the default role. */
import { useState } from 'react';
import { Button, Group, Modal, Radio, Stack, Text, TextInput } from '@mantine/core';
import { accountIdSchema } from '../../../../shared/dto/common';
import { roleNameSchema, type OrgAccountDto } from '../../../../shared/dto/org';
import { useSaveOrgAccount, useSetDefaultRole } from '../../api/queries-org';
import { ErrorAlert } from '../../components/error-alert';

function roleError(value: string): string | null {
  const r = roleNameSchema.safeParse(value);
  return r.success ? null : (r.error.issues[0]?.message ?? 'Not a role name');
}

export function AddAccountModal({ opened, onClose, defaultRoleName }: { opened: boolean; onClose: () => void; defaultRoleName: string }): React.JSX.Element {
  const save = useSaveOrgAccount();
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState('');
  const idError = id.trim() === '' || accountIdSchema.safeParse(id.trim()).success ? null : 'An account id is 12 digits';
  const rError = role.trim() === '' ? null : roleError(role.trim());
  const close = (): void => {
    save.reset();
    setId('');
    setName('');
    setRole('');
    onClose();
  };
  return (
    <Modal opened={opened} onClose={close} title="Add an account" centered>
      <form
        onSubmit={(ev) => {
          ev.preventDefault();
          if (id.trim() === '' || idError || rError) return;
          save.mutate({ accountId: id.trim(), name: name.trim() === '' ? null : name.trim(), roleName: role.trim() === '' ? null : role.trim() }, { onSuccess: close });
        }}
      >
        <Stack>
          <Text size="sm" c="dimmed">
            For an account the profile cannot list from AWS Organizations. Cloud Cleaner reaches it by assuming a role in it with this profile&apos;s credentials.
          </Text>
          <TextInput label="Account id" placeholder="111122223333" value={id} onChange={(e) => setId(e.currentTarget.value)} error={idError} required data-autofocus data-testid="add-account-id" />
          <TextInput label="Name" description="Optional: how the account is shown." value={name} onChange={(e) => setName(e.currentTarget.value)} data-testid="add-account-name" />
          <TextInput
            label="Role"
            description={`Optional: leave empty to use the default role (${defaultRoleName}).`}
            value={role}
            onChange={(e) => setRole(e.currentTarget.value)}
            error={rError}
            data-testid="add-account-role"
          />
          {save.isError && <ErrorAlert error={save.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending} disabled={id.trim() === '' || idError !== null || rError !== null} data-testid="add-account-save">
              Add account
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** An account's role: the default, or one of its own. Opened with the account to edit; null closes it. */
export function RoleModal({ account, onClose, defaultRoleName }: { account: OrgAccountDto | null; onClose: () => void; defaultRoleName: string }): React.JSX.Element {
  const save = useSaveOrgAccount();
  // Remounted per account (key below), so the form starts from that account's role.
  return (
    <Modal opened={account !== null} onClose={() => (save.reset(), onClose())} title={`Role in ${account?.name ?? account?.accountId ?? ''}`} centered>
      {account && <RoleForm key={account.accountId} account={account} defaultRoleName={defaultRoleName} save={save} onDone={() => (save.reset(), onClose())} />}
    </Modal>
  );
}

function RoleForm({ account, defaultRoleName, save, onDone }: { account: OrgAccountDto; defaultRoleName: string; save: ReturnType<typeof useSaveOrgAccount>; onDone: () => void }): React.JSX.Element {
  const [mode, setMode] = useState<'default' | 'own'>(account.roleOverride ? 'own' : 'default');
  const [role, setRole] = useState(account.roleOverride ?? '');
  const rError = mode === 'own' && role.trim() !== '' ? roleError(role.trim()) : null;
  const invalid = mode === 'own' && (role.trim() === '' || rError !== null);
  return (
    <form
      onSubmit={(ev) => {
        ev.preventDefault();
        if (invalid) return;
        save.mutate({ accountId: account.accountId, roleName: mode === 'default' ? null : role.trim() }, { onSuccess: onDone });
      }}
    >
      <Stack>
        <Text size="sm" c="dimmed">
          The role Cloud Cleaner assumes in account {account.accountId} with this profile&apos;s credentials.
        </Text>
        <Radio.Group value={mode} onChange={(v) => setMode(v === 'own' ? 'own' : 'default')}>
          <Stack gap="xs">
            <Radio value="default" label={`The default role (${defaultRoleName})`} data-testid="role-mode-default" />
            <Radio value="own" label="Another role" data-testid="role-mode-own" />
          </Stack>
        </Radio.Group>
        {mode === 'own' && <TextInput label="Role name" value={role} onChange={(e) => setRole(e.currentTarget.value)} error={rError} data-autofocus data-testid="role-name" />}
        {save.isError && <ErrorAlert error={save.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending} disabled={invalid} data-testid="role-save">
            Save
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function DefaultRoleModal({ opened, onClose, current }: { opened: boolean; onClose: () => void; current: string }): React.JSX.Element {
  const set = useSetDefaultRole();
  const done = (): void => {
    set.reset();
    onClose();
  };
  return (
    <Modal opened={opened} onClose={done} title="Default role" centered>
      {opened && <DefaultRoleForm current={current} set={set} onDone={done} />}
    </Modal>
  );
}

function DefaultRoleForm({ current, set, onDone }: { current: string; set: ReturnType<typeof useSetDefaultRole>; onDone: () => void }): React.JSX.Element {
  const [role, setRole] = useState(current);
  const rError = role.trim() === '' ? 'A role name is needed' : roleError(role.trim());
  return (
    <form
      onSubmit={(ev) => {
        ev.preventDefault();
        if (rError) return;
        set.mutate(role.trim(), { onSuccess: onDone });
      }}
    >
      <Stack>
        <Text size="sm" c="dimmed">
          Assumed in every account without a role of its own. AWS Organizations creates OrganizationAccountAccessRole in the accounts it creates.
        </Text>
        <TextInput label="Role name" value={role} onChange={(e) => setRole(e.currentTarget.value)} error={role.trim() === '' ? null : rError} data-autofocus data-testid="default-role-name" />
        {set.isError && <ErrorAlert error={set.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={set.isPending} disabled={rError !== null} data-testid="default-role-save">
            Save
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
