import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { ScrollRegion } from './scroll-region';

@Component({
  imports: [ScrollRegion],
  template: `
    <section aria-labelledby="h">
      <h2 id="h">Endorsements</h2>
      <div class="table-wrap" data-testid="plain"><table></table></div>
      <div class="table-wrap" data-testid="captioned">
        <table>
          <caption>
            Recognition matrix
          </caption>
        </table>
      </div>
    </section>
  `,
})
class Host {}

/** jsdom lays nothing out: give every `.table-wrap` a content width, and the wrapper its own. */
function layOut(contentWidth: number, ownWidth: number): void {
  const width = (value: number) => ({
    configurable: true,
    get(this: HTMLElement) {
      return this.classList.contains('table-wrap') ? value : 0;
    },
  });
  Object.defineProperty(HTMLElement.prototype, 'scrollWidth', width(contentWidth));
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', width(ownWidth));
}

async function render(): Promise<HTMLElement> {
  TestBed.configureTestingModule({});
  const fixture = TestBed.createComponent(Host);
  fixture.detectChanges();
  await fixture.whenStable();
  fixture.detectChanges();
  return fixture.nativeElement as HTMLElement;
}

describe('ScrollRegion (.table-wrap)', () => {
  afterEach(() => {
    Reflect.deleteProperty(HTMLElement.prototype, 'scrollWidth');
    Reflect.deleteProperty(HTMLElement.prototype, 'clientWidth');
  });

  it('makes a wrapper whose table is wider than it a named, focusable group', async () => {
    layOut(800, 350);
    const element = await render();
    const plain = element.querySelector('[data-testid="plain"]');
    const captioned = element.querySelector('[data-testid="captioned"]');
    expect(plain?.getAttribute('tabindex')).toBe('0');
    expect(plain?.getAttribute('role')).toBe('group');
    expect(plain?.getAttribute('aria-label')).toBe('Endorsements');
    expect(captioned?.getAttribute('aria-label')).toBe('Recognition matrix');
  });

  it('leaves a wrapper that does not scroll out of the tab order', async () => {
    layOut(350, 350);
    const element = await render();
    const plain = element.querySelector('[data-testid="plain"]');
    expect(plain?.hasAttribute('tabindex')).toBe(false);
    expect(plain?.hasAttribute('role')).toBe(false);
    expect(plain?.hasAttribute('aria-label')).toBe(false);
  });
});
