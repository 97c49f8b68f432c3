/** The one way the renderer reaches main: window.cloudCleaner (preload in Electron, HTTP bridge in the harness). */
import type { CloudCleanerApi } from '../../../shared/ipc/contract';
import { toIpcError, type IpcError } from '../../../shared/ipc/api-builder';

export function api(): CloudCleanerApi {
  return window.cloudCleaner;
}

/** Rejections cross contextBridge as plain `{ code, message }` objects: normalize to one error type. */
export function asAppError(reason: unknown): IpcError {
  return toIpcError(reason);
}
