import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { type Check } from './chain-verifier';
import { TranslationService } from './translation.service';

const SYMBOLS = { verified: '✓', failed: '✗', unchecked: '○', 'not-applicable': '–', pending: '…' } as const;

/**
 * The outcome of one check the browser made. A check mark appears only for `verified`; the words say the
 * same for screen readers, and the detail (why it failed or was not checked) follows in text.
 */
@Component({
  selector: 'al-check-badge',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <span class="badge" [class]="state()" [attr.title]="title()">
      <span aria-hidden="true" class="symbol">{{ symbol() }}</span>
      <span class="words">{{ words() }}</span>
    </span>
    @if (showDetail() && check()?.detail; as detail) {
      @if (english()) {
        <span class="detail">{{ detail }}</span>
      } @else {
        <details class="detail">
          <summary>{{ technical() }}</summary>
          <span lang="en">{{ detail }}</span>
        </details>
      }
    }
  `,
  styles: `
    :host {
      display: inline-flex;
      flex-wrap: wrap;
      gap: 0.25rem 0.5rem;
      align-items: baseline;
    }
    .badge {
      display: inline-flex;
      gap: 0.3rem;
      align-items: baseline;
      padding: 0.05rem 0.45rem;
      border-radius: 999px;
      font-size: 0.875rem;
      white-space: nowrap;
      border: 1px solid currentColor;
    }
    .verified {
      color: var(--al-ok);
    }
    .failed {
      color: var(--al-bad);
      font-weight: 600;
    }
    .unchecked,
    .not-applicable,
    .pending {
      color: var(--al-muted);
    }
    .symbol {
      font-weight: 700;
    }
    .detail {
      color: var(--al-muted);
      font-size: 0.8125rem;
      overflow-wrap: anywhere;
    }
  `,
})
export class CheckBadge {
  readonly check = input<Check | undefined>();
  readonly showDetail = input(false);
  readonly #i18n = inject(TranslationService);
  protected readonly state = computed(() => this.check()?.status ?? 'pending');
  protected readonly symbol = computed(() => SYMBOLS[this.state()]);
  protected readonly english = computed(() => this.#i18n.language() === 'en');
  /** The core's detail is English: a tooltip in the English view only (the Chinese view names the check). */
  protected readonly title = computed(() => {
    const check = this.check();
    if (!check) return null;
    return this.english() ? (check.detail ?? null) : this.#i18n.check(check.name);
  });
  protected readonly technical = computed(() => this.#i18n.t('check.technicalDetail'));
  protected readonly words = computed(() => {
    const state = this.state();
    if (state === 'not-applicable') return this.#i18n.t('app.none');
    return this.#i18n.t(`check.${state}`);
  });
}
