import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IDE_KINDS, type Dashboard } from '../../../common/ui-api.js';
import type { PendingPrompt, PromptsSnapshot } from '../../../common/ui-contract.js';
import { TRAY_STATES, trayIconName, trayState, trayView, type TrayActions, type TrayInput } from '../../../main/electron/tray-view.js';

/** Electron's MenuItemConstructorOptions, without importing electron into a plain Node test. */
type MenuItemConstructorOptions = ReturnType<typeof trayView>['menu'][number];

function dashboard(over: Partial<Dashboard> = {}): Dashboard {
  return {
    version: 'test',
    now: 0,
    endpoint: 'http://127.0.0.1:47474/mcp',
    policy: { source: '/etc/gatehouse/policy.json', version: 1, sha256: 'a'.repeat(64) },
    paused: false,
    identity: { configured: true, signedIn: true, subject: 'alice', name: 'Alice Example', roles: ['eng'] },
    servers: [{ id: 'docs', url: 'https://docs.example.com/mcp', health: 'ready', tools: [{ name: 'search', state: 'ok' }] }],
    clients: [],
    audit: { ok: true, events: 10, pending: 0, parked: false },
    ...over,
  };
}

const approval: PendingPrompt = {
  id: 'p1',
  shownAt: 0,
  kind: 'approval',
  request: { id: 'r1', client: { name: 'cursor' }, server: { id: 'docs' }, tool: { name: 'delete' }, arguments: {}, reasons: ['destructive'], expiresAt: 1 },
};
const notice: PendingPrompt = { id: 'n1', shownAt: 0, kind: 'notice', level: 'warning', title: 'Tool on hold', message: 'm' };
const snapshot = (...prompts: PendingPrompt[]): PromptsSnapshot => ({ type: 'snapshot', prompts, now: 0 });

function recordingActions() {
  const done: unknown[] = [];
  const actions: TrayActions = {
    call: (name, request) => void done.push([name, request]),
    openDashboard: () => void done.push('dashboard'),
    openPrompts: () => void done.push('prompts'),
    quit: () => void done.push('quit'),
  };
  return { done, actions };
}

const item = (menu: MenuItemConstructorOptions[], id: string) => {
  const found = menu.flatMap((i) => [i, ...((i.submenu as MenuItemConstructorOptions[] | undefined) ?? [])]).find((i) => i.id === id);
  assert.ok(found, `no menu item ${id}`);
  return found;
};
const click = (entry: MenuItemConstructorOptions) => (entry.click as () => void)();

test('ready: signed in, nothing waiting, not paused', () => {
  const input: TrayInput = { dashboard: dashboard(), prompts: snapshot() };
  assert.equal(trayState(input), 'ready');
  const view = trayView(input, recordingActions().actions);
  assert.equal(view.status, 'Signed in as Alice Example: 1 server');
  assert.equal(view.tooltip, 'Gatehouse: Signed in as Alice Example: 1 server');
});

test('signed-out when policy has a sign-in and nobody is signed in; no identity section is never signed out', () => {
  const signedOut = dashboard({ identity: { configured: true, signedIn: false, roles: [] } });
  assert.equal(trayState({ dashboard: signedOut }), 'signed-out');
  assert.equal(trayState({ dashboard: dashboard({ identity: { configured: false, signedIn: false, roles: [] } }) }), 'ready');
  assert.match(trayView({ dashboard: signedOut }, recordingActions().actions).status, /Not signed in/);
});

test('needs-attention for a pending approval, a quarantined tool, or a failing audit log, and says which', () => {
  const cases: Array<[TrayInput, RegExp]> = [
    [{ dashboard: dashboard(), prompts: snapshot(approval) }, /1 request waits for your answer/],
    [{ dashboard: dashboard({ servers: [{ id: 'docs', url: 'https://d', health: 'ready', tools: [{ name: 'search', state: 'quarantined' }, { name: 'get', state: 'quarantined' }] }] }) }, /2 tools are on hold/],
    [{ dashboard: dashboard({ audit: { ok: false, failure: 'the disk is full', events: 0, pending: 0, parked: false } }) }, /audit log cannot be written: the disk is full/],
    [{ error: 'the service stopped' }, /cannot read its status: the service stopped/],
  ];
  for (const [input, status] of cases) {
    assert.equal(trayState(input), 'needs-attention');
    assert.match(trayView(input, recordingActions().actions).status, status);
  }
});

test('a notice alone or a flagged tool does not ask for attention', () => {
  const flagged = dashboard({ servers: [{ id: 'docs', url: 'https://d', health: 'ready', tools: [{ name: 'search', state: 'flagged' }] }] });
  assert.equal(trayState({ dashboard: flagged, prompts: snapshot(notice) }), 'ready');
});

test('paused when all tools are paused; attention and signed-out come first', () => {
  assert.equal(trayState({ dashboard: dashboard({ paused: true }) }), 'paused');
  assert.equal(trayState({ dashboard: dashboard({ paused: true }), prompts: snapshot(approval) }), 'needs-attention');
  assert.equal(trayState({ dashboard: dashboard({ paused: true, identity: { configured: true, signedIn: false, roles: [] } }) }), 'signed-out');
});

test('the menu: status, sign out, dashboard, pending approvals with their count, pause, connect an IDE, quit', () => {
  const { done, actions } = recordingActions();
  const menu = trayView({ dashboard: dashboard(), prompts: snapshot(approval, notice) }, actions).menu;
  assert.deepEqual(menu.map((i) => i.id ?? i.type), ['status', 'separator', 'sign-out', 'dashboard', 'prompts', 'pause', 'connect', 'separator', 'quit']);
  assert.equal(item(menu, 'status').enabled, false);
  assert.equal(item(menu, 'prompts').label, 'Pending approvals (1)');
  assert.equal(item(menu, 'prompts').enabled, true);
  assert.equal(item(menu, 'pause').type, 'checkbox');
  assert.equal(item(menu, 'pause').checked, false);
  for (const id of ['sign-out', 'dashboard', 'prompts', 'pause', 'connect-cursor', 'connect-other', 'quit']) click(item(menu, id));
  assert.deepEqual(done, [['identity.signOut', {}], 'dashboard', 'prompts', ['tools.setPaused', { paused: true }], ['clients.connect', { kind: 'cursor' }], 'dashboard', 'quit']);
});

test('pause is a checkbox showing the state, and clicking it asks for the opposite', () => {
  const { done, actions } = recordingActions();
  const pause = item(trayView({ dashboard: dashboard({ paused: true }) }, actions).menu, 'pause');
  assert.equal(pause.checked, true);
  click(pause);
  assert.deepEqual(done, [['tools.setPaused', { paused: false }]]);
});

test('sign in when signed out; neither when policy has no sign-in', () => {
  const { done, actions } = recordingActions();
  const signedOut = trayView({ dashboard: dashboard({ identity: { configured: true, signedIn: false, roles: [] } }) }, actions).menu;
  click(item(signedOut, 'sign-in'));
  assert.deepEqual(done, [['identity.signIn', {}]]);
  const none = trayView({ dashboard: dashboard({ identity: { configured: false, signedIn: false, roles: [] } }) }, actions).menu;
  assert.ok(!none.some((i) => i.id === 'sign-in' || i.id === 'sign-out'));
});

test('connect an IDE offers every IDE kind but generic, whose one-time snippet is shown in the dashboard', () => {
  const menu = trayView({ dashboard: dashboard() }, recordingActions().actions).menu;
  const kinds = (item(menu, 'connect').submenu as MenuItemConstructorOptions[]).map((i) => i.id).filter((id) => id?.startsWith('connect-') && id !== 'connect-other');
  assert.deepEqual(kinds, IDE_KINDS.filter((k) => k !== 'generic').map((k) => `connect-${k}`));
});

test('before the first answer: starting, with the actions that need state disabled', () => {
  const view = trayView({}, recordingActions().actions);
  assert.equal(view.state, 'ready');
  assert.equal(view.status, 'Starting…');
  assert.equal(item(view.menu, 'pause').enabled, false);
  assert.equal(item(view.menu, 'connect').enabled, false);
  assert.equal(item(view.menu, 'prompts').enabled, false);
  assert.equal(item(view.menu, 'quit').enabled, undefined);
});

test('the tooltip fits the 127 characters Windows shows', () => {
  const long = { dashboard: dashboard({ audit: { ok: false, failure: 'x'.repeat(400), events: 0, pending: 0, parked: false } }) };
  assert.ok(trayView(long, recordingActions().actions).tooltip.length <= 127);
});

test('one icon per state: template images on macOS, coloured ones elsewhere', () => {
  assert.deepEqual(TRAY_STATES.map((s) => trayIconName(s, 'darwin')), ['signed-outTemplate.png', 'readyTemplate.png', 'needs-attentionTemplate.png', 'pausedTemplate.png']);
  assert.deepEqual(TRAY_STATES.map((s) => trayIconName(s, 'win32')), ['signed-out.png', 'ready.png', 'needs-attention.png', 'paused.png']);
  assert.equal(trayIconName('ready', 'linux'), 'ready.png');
});
