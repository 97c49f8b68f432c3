import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { readCspNonce } from '../lib/csp-nonce';
import { theme } from './theme';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // AWS-backed answers change when the user acts (scan, cleanup): those actions invalidate; no polling.
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      // Auth and validation errors do not fix themselves; a retry would just repeat them.
      retry: false,
    },
  },
});

const nonce = readCspNonce();

export function Providers({ children }: { children: React.ReactNode }): React.JSX.Element {
  return (
    <QueryClientProvider client={queryClient}>
      <MantineProvider theme={theme} defaultColorScheme="auto" {...(nonce ? { getStyleNonce: () => nonce } : {})}>
        <Notifications position="bottom-right" />
        {children}
      </MantineProvider>
    </QueryClientProvider>
  );
}
