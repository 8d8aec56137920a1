import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import { type RecordVersion } from '@approval-ledger/protocol/api';
import { TranslationService } from './translation.service';

/**
 * The versions of a corrected record (更正), oldest first: each with its commitment, what it corrects and why,
 * its anchoring state and whether it is the current one, and a link verifying that version by its commitment
 * (the verify page then says whether a later version superseded it). Shown by the certificate page and the
 * milestone detail of the project page; nothing is shown for a record that was never corrected.
 */
@Component({
  selector: 'al-version-history',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink],
  template: `
    @if (versions().length > 1) {
      <section class="versions" aria-labelledby="versions-heading" data-testid="version-history">
        <h3 id="versions-heading">{{ i18n.t('versions.heading') }}</h3>
        <ol>
          @for (v of versions(); track v.sourceKey) {
            <li [class.current]="v.current" data-testid="version">
              <strong>{{ i18n.t('versions.version', { n: v.version }) }}</strong>
              @if (v.current) {
                <span class="badge">{{ i18n.t('versions.current') }}</span>
              }
              · {{ statusLabel(v.status) }} · {{ i18n.time(v.receivedAt) }}
              <div>
                {{ i18n.t('milestone.commitment') }}: <code>{{ v.commitment }}</code>
              </div>
              @if (v.corrects) {
                <div>
                  {{ i18n.t('versions.corrects') }}: <code>{{ v.corrects }}</code>
                </div>
              }
              @if (v.correctionReason) {
                <div data-testid="version-reason">
                  {{ i18n.t('versions.reason') }}: {{ v.correctionReason }}
                </div>
              }
              @if (v.txId) {
                <div>
                  {{ i18n.t('milestone.tx') }}:
                  <a class="mono" [routerLink]="['/chain/transactions', v.txId]">{{ v.txId }}</a>
                </div>
              }
              @if (v.status === 'anchored') {
                <div>
                  <a
                    [routerLink]="['/verify']"
                    [queryParams]="{ sha256: v.commitment }"
                    data-testid="verify-version"
                    >{{ i18n.t('versions.verify') }}</a
                  >
                </div>
              }
            </li>
          }
        </ol>
      </section>
    }
  `,
  styles: `
    ol {
      padding-left: 1.25rem;
    }
    li {
      margin-bottom: 0.5rem;
      overflow-wrap: anywhere;
    }
    li.current {
      font-weight: 500;
    }
    .badge {
      margin-left: 0.5rem;
      padding: 0 0.375rem;
      border-radius: 0.25rem;
      background: var(--mat-sys-secondary-container, #e8def8);
    }
  `,
})
export class VersionHistory {
  readonly versions = input.required<readonly RecordVersion[]>();
  protected readonly i18n = inject(TranslationService);

  protected statusLabel(status: RecordVersion['status']): string {
    return this.i18n.t(`versions.status.${status}`);
  }
}
