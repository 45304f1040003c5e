// Policy for the desktop app only (the tray app MDM installs); `gatehouse serve` ignores it.
// This file must not import policy/schema.ts, which imports it.
import { z } from 'zod';
import { strictObject } from '../policy/strict-object.js';

export const DEFAULT_DESKTOP_POLICY = { launchAtLogin: false } as const;

export const DesktopPolicySchema = strictObject({
  launchAtLogin: z
    .boolean()
    .default(DEFAULT_DESKTOP_POLICY.launchAtLogin)
    .describe(
      'Start the desktop app when the user logs in (a login item on macOS, the Run key on Windows, an XDG autostart entry on Linux). false removes the entry the app made.',
    ),
});
export type DesktopPolicy = z.output<typeof DesktopPolicySchema>;
