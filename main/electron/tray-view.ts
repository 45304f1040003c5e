// What the tray shows for the state Gatehouse is in: one of four icons, a tooltip, and the menu.
// Pure: the tray (tray.ts) feeds it the dashboard and the pending prompts, and builds the menu from
// the template with Menu.buildFromTemplate.
import type { MenuItemConstructorOptions } from 'electron';
import type { Dashboard, UiCallName, UiRequest } from '../../common/ui-api.js';
import type { PromptsSnapshot } from '../../common/ui-contract.js';

export const TRAY_STATES = ['signed-out', 'ready', 'needs-attention', 'paused'] as const;
export type TrayState = (typeof TRAY_STATES)[number];

export interface TrayInput {
  /** Absent until the first answer, or when the last one failed (then `error` says why). */
  dashboard?: Dashboard;
  prompts?: PromptsSnapshot;
  error?: string;
}

export interface TrayActions {
  call<N extends UiCallName>(name: N, request: UiRequest<N>): void;
  openDashboard(): void;
  openPrompts(): void;
  quit(): void;
}

export interface TrayView {
  state: TrayState;
  /** The first line of the menu, and the tooltip after "Gatehouse: ". */
  status: string;
  tooltip: string;
  menu: MenuItemConstructorOptions[];
}

/** The IDEs the tray offers to connect; a generic client's snippet is shown once, so it is set up in the dashboard. */
const IDE_LABELS: Record<Exclude<UiRequest<'clients.connect'>['kind'], 'generic'>, string> = {
  cursor: 'Cursor',
  vscode: 'VS Code',
  'claude-code': 'Claude Code',
  'claude-desktop': 'Claude Desktop',
  windsurf: 'Windsurf',
};

/** Windows cuts tray tooltips at 127 characters. */
const MAX_TOOLTIP = 127;

/** Prompts that wait for the user's answer (notices and sign-in requests do not hold a tool call). */
export function waitingPrompts(prompts: PromptsSnapshot | undefined): number {
  return prompts?.prompts.filter((p) => p.kind === 'approval' || p.kind === 'elicitation').length ?? 0;
}

/** Why the user should look, in their words; empty when nothing needs them. */
export function attentionReasons(input: TrayInput): string[] {
  const reasons: string[] = [];
  if (input.error !== undefined) reasons.push(`Gatehouse cannot read its status: ${input.error}`);
  const waiting = waitingPrompts(input.prompts);
  if (waiting > 0) reasons.push(`${waiting} ${waiting === 1 ? 'request waits' : 'requests wait'} for your answer`);
  const held = input.dashboard?.servers.flatMap((s) => s.tools).filter((t) => t.state === 'quarantined').length ?? 0;
  if (held > 0) reasons.push(`${held} ${held === 1 ? 'tool is' : 'tools are'} on hold for review`);
  const audit = input.dashboard?.audit;
  if (audit && !audit.ok) reasons.push(audit.failure ? `The audit log cannot be written: ${audit.failure}` : 'The audit log cannot be written');
  return reasons;
}

/**
 * The state, most urgent first: something waits for the user (an answer is timing out, a tool is on
 * hold, the audit log is failing), then nobody is signed in (tools are hidden), then paused.
 */
export function trayState(input: TrayInput): TrayState {
  if (attentionReasons(input).length > 0) return 'needs-attention';
  const dashboard = input.dashboard;
  if (dashboard?.identity.configured && !dashboard.identity.signedIn) return 'signed-out';
  if (dashboard?.paused) return 'paused';
  return 'ready';
}

export function trayStatus(input: TrayInput, state: TrayState = trayState(input)): string {
  const dashboard = input.dashboard;
  if (dashboard === undefined && input.error === undefined) return 'Starting…';
  switch (state) {
    case 'needs-attention':
      return attentionReasons(input).join('. ');
    case 'signed-out':
      return 'Not signed in: tools are hidden until you sign in';
    case 'paused':
      return 'Paused: tool calls are held until you resume';
    case 'ready': {
      const who = dashboard?.identity.signedIn ? `Signed in as ${dashboard.identity.name ?? dashboard.identity.subject ?? 'you'}` : 'Ready';
      const servers = dashboard?.servers.length ?? 0;
      return `${who}: ${servers} ${servers === 1 ? 'server' : 'servers'}`;
    }
  }
}

export function trayView(input: TrayInput, actions: TrayActions): TrayView {
  const state = trayState(input);
  const status = trayStatus(input, state);
  const dashboard = input.dashboard;
  const loaded = dashboard !== undefined;
  const waiting = waitingPrompts(input.prompts);
  const menu: MenuItemConstructorOptions[] = [{ id: 'status', label: clip(status, 120), enabled: false }, { type: 'separator' }];
  if (dashboard?.identity.configured) {
    menu.push(
      dashboard.identity.signedIn
        ? { id: 'sign-out', label: `Sign out${dashboard.identity.name ? ` ${clip(dashboard.identity.name, 40)}` : ''}`, click: () => actions.call('identity.signOut', {}) }
        : { id: 'sign-in', label: 'Sign in…', click: () => actions.call('identity.signIn', {}) },
    );
  }
  menu.push(
    { id: 'dashboard', label: 'Open dashboard', click: () => actions.openDashboard() },
    { id: 'prompts', label: waiting > 0 ? `Pending approvals (${waiting})` : 'Pending approvals (none)', enabled: waiting > 0, click: () => actions.openPrompts() },
    {
      id: 'pause',
      label: 'Pause all tools',
      type: 'checkbox',
      checked: dashboard?.paused === true,
      enabled: loaded,
      click: () => actions.call('tools.setPaused', { paused: dashboard?.paused !== true }),
    },
    {
      id: 'connect',
      label: 'Connect an IDE',
      enabled: loaded,
      submenu: [
        ...Object.entries(IDE_LABELS).map(([kind, label]): MenuItemConstructorOptions => ({
          id: `connect-${kind}`,
          label,
          click: () => actions.call('clients.connect', { kind: kind as keyof typeof IDE_LABELS }),
        })),
        { type: 'separator' },
        { id: 'connect-other', label: 'Other client…', click: () => actions.openDashboard() },
      ],
    },
    { type: 'separator' },
    { id: 'quit', label: 'Quit Gatehouse', click: () => actions.quit() },
  );
  return { state, status, tooltip: clip(`Gatehouse: ${status}`, MAX_TOOLTIP), menu };
}

/** The icon of a state: template images (black and alpha, tinted by the OS) on macOS, coloured elsewhere. */
export function trayIconName(state: TrayState, platform: NodeJS.Platform): string {
  return platform === 'darwin' ? `${state}Template.png` : `${state}.png`;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
