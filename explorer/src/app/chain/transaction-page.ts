import { ChangeDetectionStrategy, Component, computed, inject, input, resource } from '@angular/core';
import { RouterLink } from '@angular/router';
import { ApiClient } from '../core/api-client';
import { CheckBadge } from '../core/check-badge';
import { CHAIN_VERIFIER } from '../core/chain-verifier.token';
import { ResourceStatus } from '../core/resource-status';
import { TranslationService } from '../core/translation.service';
import { parseCertificate } from '@approval-ledger/protocol';
import { ChannelTrustService } from './channel-trust.service';
import { ScrollRegion } from '../core/scroll-region';

/** One transaction: creator, endorsements with their signatures checked here against the organisations' CAs. */
@Component({
  selector: 'al-transaction-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, CheckBadge, ResourceStatus, ScrollRegion],
  templateUrl: './transaction-page.html',
  styleUrl: './transaction-page.scss',
})
export class TransactionPage {
  readonly txId = input.required<string>();
  protected readonly i18n = inject(TranslationService);
  readonly #verifier = inject(CHAIN_VERIFIER);
  readonly #trust = inject(ChannelTrustService);
  protected readonly tx = inject(ApiClient).transactionResource(() => this.txId());
  protected readonly check = resource({
    params: () => (this.tx.hasValue() ? this.tx.value() : undefined),
    loader: async ({ params }) => this.#verifier.verifyTransaction(params, await this.#trust.trust()),
  });
  protected readonly verdict = computed(() => (this.check.hasValue() ? this.check.value() : undefined));

  protected subjectOf(certificate: string): string {
    try {
      return parseCertificate(certificate).subject;
    } catch {
      return '';
    }
  }
}
