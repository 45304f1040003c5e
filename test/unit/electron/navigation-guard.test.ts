import { test } from 'node:test';
import assert from 'node:assert/strict';
import { silentLogger } from '../../../main/core/ports/logger.js';
import { isAppUrl } from '../../../main/electron/app-origin.js';
import { denyAllPermissions, guardWebContents, mayNavigate, type GuardedContents, type Preventable } from '../../../main/electron/navigation-guard.js';

test('a window may navigate only within app://gatehouse/', () => {
  for (const url of ['app://gatehouse/index.html', 'app://gatehouse/index.html#/prompts', 'app://gatehouse/']) assert.ok(mayNavigate(url), url);
  for (const url of [
    'https://gatehouse.dev/',
    'http://127.0.0.1:47474/mcp',
    'file:///etc/passwd',
    'app://gatehouse.evil.example/index.html',
    'app://evil/index.html',
    'app://gatehouse:8080/index.html',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'about:blank',
    'APP://GATEHOUSE.evil/',
    '',
  ]) {
    assert.ok(!mayNavigate(url), url);
  }
  // Chromium lowercases the host of a standard scheme, so our own pages always arrive as app://gatehouse.
  assert.equal(isAppUrl('APP://Gatehouse/index.html'), false);
});

/** A WebContents as far as the guard sees it: the listeners it registers, and a way to fire them. */
function fakeContents() {
  const listeners = new Map<string, (...args: never[]) => void>();
  let openHandler: ((details: { url: string }) => { action: 'deny' }) | undefined;
  const contents = {
    on(event: string, listener: (...args: never[]) => void) {
      listeners.set(event, listener);
      return contents;
    },
    setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }) {
      openHandler = handler;
    },
  };
  const event = () => {
    const e = { prevented: false, preventDefault: () => void (e.prevented = true) };
    return e;
  };
  return {
    contents: contents as GuardedContents,
    fire(name: string, ...args: unknown[]): { prevented: boolean } {
      const e = event();
      (listeners.get(name) as unknown as (e: Preventable, ...rest: unknown[]) => void)(e, ...args);
      return e;
    },
    fireFrame(url: string): { prevented: boolean } {
      const e = Object.assign(event(), { url });
      (listeners.get('will-frame-navigate') as unknown as (e: Preventable & { url: string }) => void)(e);
      return e;
    },
    open: (url: string) => openHandler!({ url }),
  };
}

function guarded(allowLoopbackHttp = false) {
  const opened: string[] = [];
  const fake = fakeContents();
  guardWebContents(fake.contents, { opener: { open: async (url) => void opened.push(url.href) }, allowLoopbackHttp, logger: silentLogger });
  return { ...fake, opened };
}

test('window.open is always denied; an https link goes to the system browser instead', async () => {
  const { open, opened } = guarded();
  assert.deepEqual(open('https://docs.example.com/help'), { action: 'deny' });
  assert.deepEqual(open('app://gatehouse/index.html'), { action: 'deny' });
  assert.deepEqual(open('file:///etc/passwd'), { action: 'deny' });
  assert.deepEqual(open('http://example.com/'), { action: 'deny' });
  await Promise.resolve();
  assert.deepEqual(opened, ['https://docs.example.com/help']);
});

test('will-navigate: our own UI goes through; anything else is stopped, and an https page opens in the browser', async () => {
  const { fire, opened } = guarded();
  assert.equal(fire('will-navigate', 'app://gatehouse/index.html#/dashboard').prevented, false);
  assert.equal(fire('will-navigate', 'https://idp.example.com/authorize').prevented, true);
  assert.equal(fire('will-navigate', 'file:///Users/alice/.ssh/id_ed25519').prevented, true);
  assert.equal(fire('will-navigate', 'smb://attacker/share').prevented, true);
  await Promise.resolve();
  assert.deepEqual(opened, ['https://idp.example.com/authorize']);
});

test('sub-frame navigations and redirects never leave our UI; webviews are never attached', () => {
  const { fire, fireFrame } = guarded();
  assert.equal(fireFrame('https://evil.example/').prevented, true);
  assert.equal(fireFrame('app://gatehouse/index.html').prevented, false);
  assert.equal(fire('will-redirect', 'https://evil.example/').prevented, true);
  assert.equal(fire('will-redirect', 'app://gatehouse/index.html').prevented, false);
  assert.equal(fire('will-attach-webview').prevented, true);
});

test('the window keeps Gatehouse\'s title whatever the page sets', () => {
  assert.equal(guarded().fire('page-title-updated', 'Sign in to your bank').prevented, true);
});

test('plain-http loopback links open only in development', async () => {
  const dev = guarded(true);
  const prod = guarded(false);
  dev.open('http://127.0.0.1:9000/consent');
  prod.open('http://127.0.0.1:9000/consent');
  await Promise.resolve();
  assert.deepEqual(dev.opened, ['http://127.0.0.1:9000/consent']);
  assert.deepEqual(prod.opened, []);
});

test('every permission request and check is refused', () => {
  let request: ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | undefined;
  let check: ((contents: unknown, permission: string) => boolean) | undefined;
  let device: ((details: unknown) => boolean) | undefined;
  denyAllPermissions({
    setPermissionRequestHandler: (h) => void (request = h),
    setPermissionCheckHandler: (h) => void (check = h),
    setDevicePermissionHandler: (h) => void (device = h),
  });
  for (const permission of ['media', 'notifications', 'clipboard-read', 'geolocation', 'openExternal', 'fullscreen']) {
    let granted: boolean | undefined;
    request!({}, permission, (g) => (granted = g));
    assert.equal(granted, false, permission);
    assert.equal(check!({}, permission), false, permission);
  }
  assert.equal(device!({ deviceType: 'usb' }), false);
});
