import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dashboardWindowOptions, promptWindowOptions, PROMPT_WINDOW_TITLE, secureWebPreferences } from '../../../main/electron/window-options.js';

const input = { preload: '/app/dist/preload/index.cjs', devTools: false, dark: false };

test('every window is isolated, sandboxed, without Node, with web security on', () => {
  for (const options of [dashboardWindowOptions(input), promptWindowOptions(input)]) {
    const prefs = options.webPreferences ?? {};
    assert.equal(prefs.contextIsolation, true);
    assert.equal(prefs.sandbox, true);
    assert.equal(prefs.nodeIntegration, false);
    assert.equal(prefs.nodeIntegrationInWorker, false);
    assert.equal(prefs.nodeIntegrationInSubFrames, false);
    assert.equal(prefs.webSecurity, true);
    assert.equal(prefs.allowRunningInsecureContent, false);
    assert.equal(prefs.webviewTag, false);
    assert.equal(prefs.experimentalFeatures, false);
    assert.equal(prefs.navigateOnDragDrop, false);
    assert.equal(prefs.preload, '/app/dist/preload/index.cjs');
    assert.equal(prefs.devTools, false);
    // Nothing that would loosen the above may be set at all.
    for (const key of ['enableBlinkFeatures', 'additionalArguments', 'partition', 'session', 'disableBlinkFeatures', 'zoomFactor']) assert.ok(!(key in prefs), key);
    assert.equal(options.show, false, 'shown once the page is ready');
  }
});

test('developer tools only when asked (an unpackaged app)', () => {
  assert.equal(secureWebPreferences({ preload: 'p', devTools: true }).devTools, true);
  assert.equal(secureWebPreferences({ preload: 'p', devTools: false }).devTools, false);
});

test('the prompt window is Gatehouse\'s own: titled, on top, not minimisable out of sight, not full screen', () => {
  const options = promptWindowOptions(input);
  assert.equal(options.title, PROMPT_WINDOW_TITLE);
  assert.match(options.title ?? '', /^Gatehouse/);
  assert.equal(options.alwaysOnTop, true);
  assert.equal(options.minimizable, false);
  assert.equal(options.fullscreenable, false);
  assert.equal(options.frame, undefined, 'a native frame with the OS title bar, not a page drawing its own');
  assert.equal(options.titleBarStyle, undefined);
  assert.equal(options.transparent, undefined);
});

test('the dashboard is an ordinary window titled Gatehouse', () => {
  const options = dashboardWindowOptions(input);
  assert.equal(options.title, 'Gatehouse');
  assert.equal(options.alwaysOnTop, undefined);
});

test('the background before the page paints follows the OS theme', () => {
  assert.notEqual(dashboardWindowOptions({ ...input, dark: true }).backgroundColor, dashboardWindowOptions(input).backgroundColor);
});
