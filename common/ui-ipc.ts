// The IPC binding of the UI API (desktop host), as UI_API_ROUTES in ui-api.ts is its HTTP binding.
// Zod-free, like ui-topics.ts, because the preload bridge imports it.
//   renderer → main   ipcRenderer.invoke(call, name, request)  →  a UiResult, never a thrown error
//   main → renderer   webContents.send(topic, topicName)        →  the view calls again
export const UI_IPC_CHANNELS = {
  call: 'gatehouse:call',
  topic: 'gatehouse:topic',
} as const;
