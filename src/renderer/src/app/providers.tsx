import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { setNonce } from 'get-nonce';
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
// The scroll lock of drawers and modals (react-remove-scroll → react-style-singleton) adds a <style> tag of its own:
// without the nonce the CSP blocks it and logs a violation each time one opens.
if (nonce) setNonce(nonce);

export function Providers({ children }: { children: React.ReactNode }): React.JSX.Element {
  return (
    <QueryClientProvider client={queryClient}>
      <MantineProvider theme={theme} defaultColorScheme="auto" {...(nonce ? { getStyleNonce: () => nonce } : {})}>
        {/* Bottom left, narrow, over the navigation's empty lower part: never over the tables' cost columns (right). */}
        <Notifications position="bottom-left" containerWidth={340} autoClose={6000} limit={3} />
        {children}
      </MantineProvider>
    </QueryClientProvider>
  );
}
