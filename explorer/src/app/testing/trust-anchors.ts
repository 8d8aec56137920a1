import {
  formatNoteVerifierKey,
  formatTrustAnchors,
  formatVerifierKey,
  parseVerifierKey,
  SIGNATURE_TYPE,
  sm2PublicKey,
  sm3,
} from '@approval-ledger/protocol';

/** Trust anchors text (`ledger trust export`'s form) pinning `genesis` and a made-up log key, no witnesses. */
export function trustAnchorsText(genesis: string): string {
  const key = parseVerifierKey(
    formatVerifierKey(
      'bj.approval-ledger.example/log/test',
      SIGNATURE_TYPE.ed25519,
      new Uint8Array(32).fill(7),
    ),
  );
  return formatTrustAnchors({
    crypto: 'intl',
    genesis: { engine: 'embedded', blockHash: genesis },
    logs: [key],
    witnesses: [],
    quorum: 0,
  });
}

/** The same for a log of the 国密 suite: `crypto gm` and a made-up SM2 log key. */
export function gmTrustAnchorsText(genesis: string): string {
  const publicKey = sm2PublicKey(sm3('explorer test log key'));
  const key = parseVerifierKey(formatNoteVerifierKey('sm2', 'bj.approval-ledger.example/log/gm', publicKey));
  return formatTrustAnchors({
    crypto: 'gm',
    genesis: { engine: 'embedded', blockHash: genesis },
    logs: [key],
    witnesses: [],
    quorum: 0,
  });
}
