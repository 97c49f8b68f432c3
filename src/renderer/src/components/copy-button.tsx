import { useCallback, useEffect, useState } from 'react';
import { copyText } from './copy-text';

/**
 * Mantine's CopyButton render-prop shape, copying through copyText: the desktop app denies the async clipboard's
 * permission, which Mantine's button relies on, so every copy button goes through the one way that works there.
 */
export function CopyTextButton({ value, timeout = 1000, children }: { value: string; timeout?: number; children: (p: { copied: boolean; copy: () => void }) => React.ReactNode }): React.ReactNode {
  // The time of the last successful copy: "copied" shows until `timeout` after it.
  const [copiedAt, setCopiedAt] = useState<number | null>(null);
  useEffect(() => {
    if (copiedAt === null) return;
    const t = setTimeout(() => setCopiedAt(null), timeout);
    return () => clearTimeout(t);
  }, [copiedAt, timeout]);
  const copy = useCallback(() => {
    void copyText(value).then((ok) => {
      if (ok) setCopiedAt(Date.now());
    });
  }, [value]);
  return children({ copied: copiedAt !== null, copy });
}
