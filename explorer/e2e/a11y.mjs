// Accessibility and layout checks for the end-to-end run: axe-core injected into the page (no network), the
// document's horizontal overflow, and keyboard focus helpers. Used by run-e2e.mjs.
/* global document, window, axe */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** The impacts that fail the run; the others are summarised. */
export const FAILING_IMPACTS = new Set(['serious', 'critical']);

/** The phone the layout pass emulates (an iPhone 12-14 sized viewport, touch). */
export const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
export const DESKTOP = { viewport: { width: 1366, height: 768 } };

/**
 * Runs axe-core (WCAG 2.0/2.1 A and AA rules and best practices) on the page as it is now and returns its violations,
 * each with the rule, impact, help text and the first few offending elements.
 */
export async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.addScriptTag({ content: axeSource });
  }
  return page.evaluate(async () => {
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? 'minor',
      help: v.help,
      nodes: v.nodes.length,
      targets: v.nodes.slice(0, 4).map((n) => `${n.target.join(' ')} — ${n.failureSummary ?? ''}`.trim()),
    }));
  });
}

/**
 * How far the document scrolls sideways past `deviceWidth`, and the elements sticking out. The device width is
 * passed in because a mobile browser zooms out to fit wide content: window.innerWidth then grows with the content
 * and would hide the very overflow this looks for.
 */
export async function horizontalOverflow(page, deviceWidth) {
  return page.evaluate((device) => {
    const width = Math.min(window.innerWidth, device);
    const scrollWidth = document.documentElement.scrollWidth;
    const overflows = scrollWidth > width + 1;
    const culprits = [];
    for (const element of overflows ? document.querySelectorAll('body *') : []) {
      const rect = element.getBoundingClientRect();
      // the outermost offenders: an element sticking out whose parent does not
      const parent = element.parentElement?.getBoundingClientRect();
      if (rect.right > width + 1 && rect.width > 0 && (!parent || parent.right <= width + 1)) {
        const id = element.id ? `#${element.id}` : '';
        const cls =
          typeof element.className === 'string' && element.className
            ? `.${element.className.trim().split(/\s+/).join('.')}`
            : '';
        culprits.push(`${element.tagName.toLowerCase()}${id}${cls} (right ${Math.round(rect.right)})`);
      }
    }
    return { width, innerWidth: window.innerWidth, scrollWidth, overflows, culprits: culprits.slice(0, 8) };
  }, deviceWidth);
}

/** A short description of the focused element: tag, test id, id, class and text. */
export async function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'body';
    const testId = el.getAttribute('data-testid');
    return [
      el.tagName.toLowerCase(),
      testId && `[data-testid=${testId}]`,
      el.id && `#${el.id}`,
      typeof el.className === 'string' && el.className && `.${el.className.trim().split(/\s+/).join('.')}`,
      `"${(el.textContent ?? '').trim().slice(0, 30)}"`,
    ]
      .filter(Boolean)
      .join('');
  });
}

/** Presses Tab until the focused element matches `selector`; fails naming where focus went. */
export async function tabTo(page, selector, maxPresses = 80) {
  const visited = [];
  for (let i = 0; i < maxPresses; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return i + 1;
    if (visited.length < 12) visited.push(await focused(page));
  }
  throw new Error(
    `${maxPresses} Tab presses did not reach ${selector}; focus went: ${visited.join(' → ')} …`,
  );
}

/** Whether the focused element matches `selector`. */
export function focusMatches(page, selector) {
  return page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector);
}

/** Collects the violations of every page of a pass, and prints a summary. */
export class AxeLedger {
  #pages = [];

  add(pass, pageName, violations) {
    this.#pages.push({ pass, pageName, violations });
  }

  /** Serious and critical violations of one page, as an error message, or undefined. */
  static failure(violations) {
    const failing = violations.filter((v) => FAILING_IMPACTS.has(v.impact));
    if (failing.length === 0) return undefined;
    return failing
      .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes} element(s))\n    ${v.targets.join('\n    ')}`)
      .join('\n');
  }

  summary() {
    const counts = { critical: 0, serious: 0, moderate: 0, minor: 0 };
    const rest = new Map();
    for (const { pass, pageName, violations } of this.#pages) {
      for (const v of violations) {
        counts[v.impact] = (counts[v.impact] ?? 0) + v.nodes;
        if (FAILING_IMPACTS.has(v.impact)) continue;
        const entry = rest.get(v.id) ?? { impact: v.impact, help: v.help, nodes: 0, pages: new Set() };
        entry.nodes += v.nodes;
        entry.pages.add(`${pass}:${pageName}`);
        rest.set(v.id, entry);
      }
    }
    const lines = [
      `[e2e] axe-core: ${this.#pages.length} page checks; elements in violation: critical ${counts.critical}, serious ${counts.serious}, moderate ${counts.moderate}, minor ${counts.minor}`,
    ];
    for (const [id, e] of rest) {
      lines.push(
        `[e2e]   ${e.impact} ${id}: ${e.help} — ${e.nodes} element(s) on ${[...e.pages].join(', ')}`,
      );
    }
    return lines.join('\n');
  }
}
