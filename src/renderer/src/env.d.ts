/// <reference types="vite/client" />
import type { CloudCleanerApi } from '../../shared/ipc/contract';

declare global {
  interface Window {
    /** Exposed by the preload (Electron) or the harness bridge (browser tests): see src/shared/ipc/contract.ts. */
    readonly cloudCleaner: CloudCleanerApi;
  }
}

export {};
