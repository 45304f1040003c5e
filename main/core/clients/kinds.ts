// The IDEs (and the catch-all "generic") that `gatehouse connect <kind>` can configure.
export const CLIENT_KINDS = ['cursor', 'vscode', 'claude-code', 'claude-desktop', 'windsurf', 'generic'] as const;

export type ClientKind = (typeof CLIENT_KINDS)[number];

export function isClientKind(value: string): value is ClientKind {
  return (CLIENT_KINDS as readonly string[]).includes(value);
}
