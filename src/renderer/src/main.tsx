import '@mantine/core/styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AppShell, MantineProvider, Title, Text } from '@mantine/core';

function App(): React.JSX.Element {
  return (
    <AppShell header={{ height: 56 }} padding="md">
      <AppShell.Header p="sm">
        <Title order={3}>Cloud Cleaner</Title>
      </AppShell.Header>
      <AppShell.Main>
        <Text>Find and remove the AWS resources you pay for but do not use.</Text>
      </AppShell.Main>
    </AppShell>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider defaultColorScheme="auto">
      <App />
    </MantineProvider>
  </StrictMode>,
);
