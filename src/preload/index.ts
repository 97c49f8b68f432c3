/**
 * The sandboxed preload: exposes window.cloudCleaner — one named function per contract channel and one on<Event>
 * per event, nothing generic, no environment. Bundled into ONE CommonJS file (electron.vite.config.ts).
 */
import { contextBridge, ipcRenderer } from 'electron';
import { buildApi } from '../shared/ipc/api-builder';
import { createIpcTransport } from './ipc-transport';

// `plain`: contextBridge copies a thrown Error with its message only; a plain object keeps code and details.
contextBridge.exposeInMainWorld('cloudCleaner', buildApi(createIpcTransport(ipcRenderer), { rejectWith: 'plain' }));
