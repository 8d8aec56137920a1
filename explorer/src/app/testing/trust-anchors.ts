import {
  formatTrustAnchors,
  formatVerifierKey,
  parseVerifierKey,
  SIGNATURE_TYPE,
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
