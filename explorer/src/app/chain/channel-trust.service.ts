import { Injectable, inject } from '@angular/core';
import { ApiClient } from '../core/api-client';
import { type ChannelTrust } from '../core/chain-verifier';
import { CHAIN_VERIFIER } from '../core/chain-verifier.token';

/** The channel's trust anchors from block 0, fetched once per page load. */
@Injectable({ providedIn: 'root' })
export class ChannelTrustService {
  readonly #api = inject(ApiClient);
  readonly #verifier = inject(CHAIN_VERIFIER);
  #trust: Promise<ChannelTrust | undefined> | undefined;

  trust(): Promise<ChannelTrust | undefined> {
    this.#trust ??= this.#api.block(0).then(
      (genesis) => this.#verifier.channelTrust(genesis),
      () => {
        this.#trust = undefined;
        return undefined;
      },
    );
    return this.#trust;
  }
}
