// Where the keyboard is in a page, for tests that use no mouse. Evaluated as strings: the tests are
// compiled without the DOM's types, and these run in the page, not in Node.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';

export interface Focused {
  tag: string;
  text: string;
  label: string | null;
  /** The computed outline style: 'solid' when a focus ring shows. */
  outline: string;
}

const READ_FOCUS = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return { tag: '', text: '', label: null, outline: '' };
  return { tag: el.tagName, text: el.textContent ?? '', label: el.getAttribute('aria-label'), outline: getComputedStyle(el).outlineStyle };
})()`;

export function focused(page: Page): Promise<Focused> {
  return page.evaluate<Focused>(READ_FOCUS);
}

/** Presses Tab until the focused element is what `wanted` says; fails after `max` presses. */
export async function tabUntil(page: Page, wanted: (f: Focused) => boolean, max = 30): Promise<Focused> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const now = await focused(page);
    if (wanted(now)) return now;
  }
  assert.fail(`nothing wanted was reached with Tab in ${max} presses`);
}
