import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MatFormField, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { Router, RouterLink } from '@angular/router';
import { ApiClient } from '../core/api-client';
import { type OffChainState } from '@approval-ledger/protocol/api';
import { ResourceStatus } from '../core/resource-status';
import { shanghaiLocalInputToIso } from '../core/shanghai-time';
import { TranslationService } from '../core/translation.service';
import { ScrollRegion } from '../core/scroll-region';
import { VersionHistory } from '../core/version-history';

/** A certificate's status now or at a chosen time (Asia/Shanghai), and its history on the ledger. */
@Component({
  selector: 'al-certificate-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    FormsModule,
    RouterLink,
    MatButton,
    MatFormField,
    MatLabel,
    MatInput,
    ResourceStatus,
    ScrollRegion,
    VersionHistory,
  ],
  templateUrl: './certificate-page.html',
  styleUrl: './certificate-page.scss',
})
export class CertificatePage {
  /** Query parameters: the certificate number and an optional `datetime-local` value read as Asia/Shanghai. */
  readonly number = input<string>();
  readonly at = input<string>();
  protected readonly i18n = inject(TranslationService);
  readonly #router = inject(Router);
  protected readonly numberText = signal('');
  protected readonly atText = signal('');
  protected readonly request = computed(() => {
    const number = this.number()?.trim();
    if (!number) return undefined;
    const at = shanghaiLocalInputToIso(this.at() ?? '');
    return at ? { number, at } : { number };
  });
  protected readonly certificate = inject(ApiClient).certificateResource(() => this.request());

  constructor() {
    effect(() => {
      this.numberText.set(this.number() ?? '');
      this.atText.set(this.at() ?? '');
    });
  }

  protected offChainLabel(state: OffChainState): string {
    return this.i18n.t(`milestone.offChain.${state}`);
  }

  protected lookUpCertificate(): void {
    const number = this.numberText().trim();
    if (!number) return;
    void this.#router.navigate([], { queryParams: { number, at: this.atText() || undefined } });
  }
}
