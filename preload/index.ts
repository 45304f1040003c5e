// The preload of every Gatehouse window: exposes the UI API as window.gatehouse and nothing else.
// Sandboxed preloads are CommonJS and may require only `electron` (and a few polyfills), so the build
// bundles this file and what it imports from common/ into one dist/preload/index.cjs (esbuild,
// `npm run build:preload`); `electron` stays external.
import { contextBridge, ipcRenderer } from 'electron';
import { createGatehouseApi } from './gatehouse-api.js';

contextBridge.exposeInMainWorld('gatehouse', createGatehouseApi(ipcRenderer));
