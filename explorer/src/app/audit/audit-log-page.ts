import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButton } from '@angular/material/button';
import { AUDIT_PAGE, ApiClient } from '../core/api-client';
import { type AuditEntry } from '@approval-ledger/protocol/api';
import { AuthService } from '../core/auth.service';
import { ResourceStatus } from '../core/resource-status';
import { TranslationService } from '../core/translation.service';
import { ScrollRegion } from '../core/scroll-region';

/** The audit log (auditors): who read or wrote what, when, with what outcome; oldest first, paged. */
@Component({
  selector: 'al-audit-log-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButton, ResourceStatus, ScrollRegion],
  template: `
    <h1>{{ i18n.t('audit.heading') }}</h1>
    @if (!auth.mayBe('auditor')) {
      <p>{{ i18n.t('audit.auditorsOnly') }}</p>
    }
    <al-resource-status [loading]="page.isLoading()" [error]="page.error()" (retry)="page.reload()" />
    @if (page.hasValue()) {
      <div class="table-wrap">
        <table class="data" data-testid="audit-table">
          <thead>
            <tr>
              <th scope="col" class="num">#</th>
              <th scope="col">{{ i18n.t('audit.time') }}</th>
              <th scope="col">{{ i18n.t('audit.actor') }}</th>
              <th scope="col">{{ i18n.t('audit.action') }}</th>
              <th scope="col">{{ i18n.t('audit.target') }}</th>
              <th scope="col">{{ i18n.t('audit.outcome') }}</th>
            </tr>
          </thead>
          <tbody>
            @for (e of entries(); track e.seq) {
              <tr>
                <td class="num">{{ e.seq }}</td>
                <td>{{ i18n.time(e.at) }}</td>
                <td>{{ actorLabel(e) }}</td>
                <td class="mono">{{ e.action }}</td>
                <td class="mono">{{ e.resource }}</td>
                <td>{{ e.outcome }}</td>
              </tr>
            } @empty {
              <tr>
                <td colspan="6">{{ i18n.t('audit.empty') }}</td>
              </tr>
            }
          </tbody>
        </table>
      </div>
      <nav class="pager" [attr.aria-label]="i18n.t('audit.heading')">
        <button matButton="outlined" type="button" [disabled]="after() === undefined" (click)="showFirst()">
          {{ i18n.t('audit.first') }}
        </button>
        <button
          matButton="outlined"
          type="button"
          [disabled]="entries().length < pageSize"
          (click)="showNext()"
        >
          {{ i18n.t('audit.next') }}
        </button>
      </nav>
    }
  `,
  styles: `
    .pager {
      display: flex;
      gap: 0.5rem;
      margin-top: 0.75rem;
    }
  `,
})
export class AuditLogPage {
  protected readonly i18n = inject(TranslationService);
  protected readonly auth = inject(AuthService);
  protected readonly pageSize = AUDIT_PAGE;
  protected readonly after = signal<number | undefined>(undefined);
  protected readonly page = inject(ApiClient).auditResource(() => this.after());
  protected readonly entries = computed(() => (this.page.hasValue() ? this.page.value().entries : []));

  protected showNext(): void {
    const last = this.entries().at(-1);
    if (last) this.after.set(last.seq);
  }

  protected showFirst(): void {
    this.after.set(undefined);
  }

  protected actorLabel(entry: AuditEntry): string {
    const { subject, region, role, dept } = entry.actor;
    const parts = [
      subject,
      region && this.i18n.region(region),
      role && this.i18n.t(ROLE_KEYS[role]),
      dept && this.i18n.department(dept),
    ];
    return parts.filter(Boolean).join(' · ');
  }
}

const ROLE_KEYS = {
  approver: 'role.approver',
  authority: 'role.authority',
  admin: 'role.admin',
  auditor: 'role.auditor',
} as const;
