/** The preload's transport for buildApi: ipcRenderer.invoke for calls, ipcRenderer.on for events. */
import type { IpcRenderer, IpcRendererEvent } from 'electron';
import type { ApiTransport } from '../shared/ipc/api-builder';
import type { IpcResult } from '../shared/ipc/contract';

export function createIpcTransport(ipcRenderer: Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>): ApiTransport {
  return {
    invoke: (channel, input) => ipcRenderer.invoke(channel, input) as Promise<IpcResult<unknown>>,
    subscribe(event, cb) {
      // The IpcRendererEvent (with its sender) never reaches the page: only the payload does.
      const listener = (_e: IpcRendererEvent, payload: unknown): void => cb(payload);
      ipcRenderer.on(event, listener);
      return () => {
        ipcRenderer.removeListener(event, listener);
      };
    },
  };
}
