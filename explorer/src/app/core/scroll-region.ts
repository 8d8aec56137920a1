import { DestroyRef, Directive, ElementRef, afterNextRender, inject, signal } from '@angular/core';

/**
 * A `.table-wrap` (a wide table's own horizontal scroller): while its content is wider than it is, as at phone
 * width, it becomes a named, focusable region so keyboard users can scroll it with the arrow keys (WCAG 2.1.1;
 * axe's scrollable-region-focusable). It names itself after its table's caption or its section's heading, as a
 * group rather than a region: the section around it is already the landmark of that name.
 */
@Directive({
  selector: '.table-wrap',
  host: {
    '[attr.tabindex]': 'scrollable() ? 0 : null',
    '[attr.role]': 'scrollable() && label() ? "group" : null',
    '[attr.aria-label]': 'scrollable() ? label() || null : null',
  },
})
export class ScrollRegion {
  readonly #host = inject<ElementRef<HTMLElement>>(ElementRef).nativeElement;
  protected readonly scrollable = signal(false);
  protected readonly label = signal('');

  constructor() {
    const destroyRef = inject(DestroyRef);
    afterNextRender(() => {
      this.#measure();
      if (typeof ResizeObserver === 'undefined') return;
      const observer = new ResizeObserver(() => this.#measure());
      observer.observe(this.#host);
      const table = this.#host.querySelector('table');
      if (table) observer.observe(table);
      destroyRef.onDestroy(() => observer.disconnect());
    });
  }

  #measure(): void {
    this.scrollable.set(this.#host.scrollWidth > this.#host.clientWidth + 1);
    this.label.set(this.#nameText());
  }

  #nameText(): string {
    const caption = this.#host.querySelector('caption')?.textContent;
    if (caption?.trim()) return caption.trim();
    const labelledBy = this.#host.closest('[aria-labelledby]')?.getAttribute('aria-labelledby');
    const heading = labelledBy ? this.#host.ownerDocument.getElementById(labelledBy)?.textContent : undefined;
    return heading?.trim() ?? '';
  }
}
