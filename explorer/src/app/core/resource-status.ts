import { ChangeDetectionStrategy, Component, computed, inject, input, output } from '@angular/core';
import { MatButton } from '@angular/material/button';
import { problemMessage } from './api-client';
import { TranslationService } from './translation.service';

/** Loading and error states of a read, announced politely to screen readers, with a retry button. */
@Component({
  selector: 'al-resource-status',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButton],
  template: `
    <div role="status" aria-live="polite">
      @if (loading()) {
        <p class="loading">{{ i18n.t('app.loading') }}</p>
      }
    </div>
    @if (message(); as text) {
      <div class="error" role="alert">
        <p>{{ i18n.t('app.error', { detail: text }) }}</p>
        <button matButton="outlined" type="button" (click)="retry.emit()">{{ i18n.t('app.retry') }}</button>
      </div>
    }
  `,
  styles: `
    .loading {
      color: var(--al-muted);
    }
    .error {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem 1rem;
      align-items: center;
      color: var(--al-bad);
    }
  `,
})
export class ResourceStatus {
  readonly loading = input(false);
  readonly error = input<unknown>(undefined);
  readonly retry = output();
  protected readonly i18n = inject(TranslationService);
  protected readonly message = computed(() => {
    const error = this.error();
    return error === undefined || error === null ? undefined : problemMessage(error);
  });
}
