import { useEffect, useState } from 'react';
import { Button, Group, Modal, PinInput, Stack, Text } from '@mantine/core';
import type { MfaRequestEvent } from '../../../shared/dto/aws';
import { api } from '../api/client';

/**
 * Answers main's `auth:mfa-request`: the pending profile selection (or credential refresh) waits for this code.
 * Mounted once at the root so a request is answered whatever page is open.
 */
export function MfaModal(): React.JSX.Element {
  const [request, setRequest] = useState<MfaRequestEvent | null>(null);
  const [code, setCode] = useState('');
  const [sending, setSending] = useState(false);

  useEffect(() => api().auth.onMfaRequest((r) => {
    setRequest(r);
    setCode('');
  }), []);

  const answer = async (value: string | null): Promise<void> => {
    if (!request) return;
    setSending(true);
    try {
      await api().auth.mfaAnswer({ requestId: request.requestId, code: value });
    } finally {
      setSending(false);
      setRequest(null);
    }
  };

  return (
    <Modal opened={request !== null} onClose={() => void answer(null)} title="MFA code" centered closeOnClickOutside={false}>
      <form
        onSubmit={(ev) => {
          ev.preventDefault();
          if (/^\d{6}$/.test(code)) void answer(code);
        }}
      >
        <Stack>
          <Text size="sm">
            Profile <b>{request?.profile}</b> assumes a role that requires MFA. Enter the current code of{' '}
            <Text span ff="monospace" size="sm">
              {request?.mfaSerial}
            </Text>
            .
          </Text>
          <PinInput length={6} type="number" oneTimeCode value={code} onChange={setCode} autoFocus aria-label="MFA code" data-testid="mfa-code" />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => void answer(null)} disabled={sending}>
              Cancel
            </Button>
            <Button type="submit" disabled={!/^\d{6}$/.test(code)} loading={sending}>
              Continue
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
