import {
  EIP712_DOMAIN,
  RECOGNITION_DECISION_TYPES,
  type RecognitionDecision,
  type RecognitionOutcome,
  type RecognitionRequest,
  recognitionDecisionMessage,
  recoverRecognitionSigner,
} from '@approval-ledger/protocol';
import { SigningKey } from 'ethers/crypto';
import { BaseWallet } from 'ethers/wallet';
import { shanghaiIso } from '../core/shanghai-time';

const PRIVATE_KEY = /^(0x)?[0-9a-fA-F]{64}$/;

export class DecisionSigningError extends Error {
  constructor(
    readonly code: 'KEY_INVALID' | 'REASON_REQUIRED' | 'SIGNATURE_MISMATCH',
    message: string,
  ) {
    super(message);
    this.name = 'DecisionSigningError';
  }
}

export function isPrivateKey(text: string): boolean {
  return PRIVATE_KEY.test(text.trim());
}

/** The Ethereum address of a private key, or undefined when it is not one. */
export function addressOf(privateKey: string): string | undefined {
  if (!isPrivateKey(privateKey)) return undefined;
  try {
    return walletOf(privateKey).address;
  } catch {
    return undefined;
  }
}

/**
 * An ethers wallet over the key: `BaseWallet` is `Wallet` without the JSON keystore, whose AES code the
 * explorer does not need; signing is the same.
 */
function walletOf(privateKey: string): BaseWallet {
  const key = privateKey.trim();
  return new BaseWallet(new SigningKey(key.startsWith('0x') ? key : `0x${key}`));
}

/**
 * Signs a recognition decision with EIP-712 (the protocol's domain and types) in the browser. The key is used
 * here and dropped; only the signature and the signer's address leave. The signature is recovered once more
 * before it is returned, so a bad signature never reaches the hub.
 */
export async function signRecognitionDecision(
  privateKey: string,
  request: RecognitionRequest,
  outcome: RecognitionOutcome,
  reason?: string,
  decidedAt: string = shanghaiIso(Date.now()),
): Promise<RecognitionDecision> {
  if (!isPrivateKey(privateKey))
    throw new DecisionSigningError('KEY_INVALID', 'not a 32-byte hex private key');
  const why = reason?.trim();
  if (outcome === 'REJECTED' && !why)
    throw new DecisionSigningError('REASON_REQUIRED', 'a rejection needs a reason');
  const wallet = walletOf(privateKey);
  const message = recognitionDecisionMessage(request, { outcome, decidedAt });
  const signature = await wallet.signTypedData(EIP712_DOMAIN, RECOGNITION_DECISION_TYPES, { ...message });
  if (recoverRecognitionSigner(message, signature) !== wallet.address) {
    throw new DecisionSigningError('SIGNATURE_MISMATCH', 'the signature does not recover to the signer');
  }
  return {
    recognitionId: request.id,
    outcome,
    decidedAt,
    ...(why ? { reason: why } : {}),
    signer: wallet.address,
    signature,
  };
}
