import { InjectionToken } from '@angular/core';
import { type ChainVerifier } from './chain-verifier';
import { WebCryptoChainVerifier } from './web-crypto-chain-verifier';

/** The chain verifier pages inject; swap the factory to move to the protocol package's verifiers. */
export const CHAIN_VERIFIER = new InjectionToken<ChainVerifier>('ChainVerifier', {
  providedIn: 'root',
  factory: () => new WebCryptoChainVerifier(),
});
