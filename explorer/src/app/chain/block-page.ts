import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  input,
  numberAttribute,
  resource,
} from '@angular/core';
import { RouterLink } from '@angular/router';
import { ApiClient } from '../core/api-client';
import { type BlockHeaderJson } from '@approval-ledger/protocol/api';
import { CheckBadge } from '../core/check-badge';
import { CHAIN_VERIFIER } from '../core/chain-verifier.token';
import { ResourceStatus } from '../core/resource-status';
import { TranslationService } from '../core/translation.service';
import { transactionVerdict } from './chain-check';
import { ChannelTrustService } from './channel-trust.service';
import { ScrollRegion } from '../core/scroll-region';

/** One block: its header re-hashed, its data hash re-computed, its link and orderer signature re-checked here. */
@Component({
  selector: 'al-block-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, CheckBadge, ResourceStatus, ScrollRegion],
  templateUrl: './block-page.html',
  styleUrl: './block-page.scss',
})
export class BlockPage {
  readonly blockNumber = input.required({ transform: numberAttribute });
  protected readonly i18n = inject(TranslationService);
  readonly #api = inject(ApiClient);
  readonly #verifier = inject(CHAIN_VERIFIER);
  readonly #trust = inject(ChannelTrustService);
  protected readonly block = this.#api.blockResource(() =>
    Number.isInteger(this.blockNumber()) ? this.blockNumber() : undefined,
  );
  readonly #previous = this.#api.blockResource(() =>
    this.blockNumber() > 0 ? this.blockNumber() - 1 : undefined,
  );
  protected readonly previousHeader = computed<BlockHeaderJson | undefined>(() => {
    if (!this.#previous.hasValue()) return undefined;
    const { number, previousHash, dataHash } = this.#previous.value();
    return { number, previousHash, dataHash };
  });
  protected readonly check = resource({
    params: () => {
      const previousSettled = this.blockNumber() === 0 || !this.#previous.isLoading();
      return this.block.hasValue() && previousSettled
        ? { block: this.block.value(), previous: this.previousHeader() }
        : undefined;
    },
    loader: async ({ params }) =>
      this.#verifier.verifyBlock(params.block, {
        trust: await this.#trust.trust(),
        previous: params.previous,
      }),
  });
  protected readonly verdict = computed(() => (this.check.hasValue() ? this.check.value() : undefined));
  protected readonly txVerdicts = computed(
    () => new Map(this.verdict()?.transactions.map((t) => [t.txId, transactionVerdict(t)]) ?? []),
  );
}
