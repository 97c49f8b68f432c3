import { Button, Menu } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import type { FindingsFilter } from '../../../../shared/dto/findings';
import { api, asAppError } from '../../api/client';
import { downloadText } from '../../lib/download';

/** Exports every row of the current filter (main builds the file; the renderer only saves it). */
export function ExportMenu({ filter }: { filter: FindingsFilter }): React.JSX.Element {
  const exp = useMutation({
    mutationFn: (format: 'csv' | 'json') => api().export.findings({ format, filter }),
    onSuccess: (f) => downloadText(f.filename, f.mimeType, f.content),
    onError: (e) => notifications.show({ color: 'red', title: 'Export failed', message: asAppError(e).message }),
  });
  return (
    <Menu position="bottom-end">
      <Menu.Target>
        <Button variant="default" loading={exp.isPending} data-testid="export">
          Export
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>The current filter, every row</Menu.Label>
        <Menu.Item onClick={() => exp.mutate('csv')} data-testid="export-csv">
          CSV
        </Menu.Item>
        <Menu.Item onClick={() => exp.mutate('json')} data-testid="export-json">
          JSON
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
