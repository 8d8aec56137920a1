import { type AnchorPage, type TlogStatus } from '@approval-ledger/protocol/api';
import { describe, expect, it } from 'vitest';
import { trustWarnings, witnessRows } from './trust-state';

const now = Date.parse('2026-12-05T12:00:00Z');
const status: TlogStatus = {
  origin: 'bj.approval-ledger.example/log/0badc0de',
  logKey: 'bj.approval-ledger.example/log/0badc0de+12345678+AAAA',
  treeSize: 120,
  checkpoint: {
    size: 120,
    root: 'a'.repeat(64),
    publishedAt: '2026-12-05T11:58:00Z',
    cosignedBy: ['tj.approval-ledger.example/witness'],
    recordedInTx: null,
  },
  witnesses: [
    {
      region: 'TJ',
      name: 'tj.approval-ledger.example/witness',
      url: 'http://127.0.0.1:7402',
      vkey: 'tj+1+A',
    },
    {
      region: 'HE',
      name: 'he.approval-ledger.example/witness',
      url: 'http://127.0.0.1:7403',
      vkey: 'he+2+B',
    },
  ],
};
const anchorOf = (size: number): AnchorPage => ({
  chainId: 31337,
  contract: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
  anchors: [
    {
      anchor: {
        chainId: 31337,
        contract: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
        txHash: `0x${'ab'.repeat(32)}`,
        blockNumber: 3,
        blockHash: `0x${'cd'.repeat(32)}`,
        logIndex: 0,
        checkpoint: { origin: status.origin, size, rootHash: 'qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqo=' },
      },
      noteHash: `0x${'ef'.repeat(32)}`,
      cosignedBy: [],
      from: '0x0000000000000000000000000000000000000001',
      gasUsed: 50_000,
      anchoredAt: '2026-12-05T11:58:05Z',
    },
  ],
});

describe('trust warnings', () => {
  it('names the witness that did not cosign the latest checkpoint', () => {
    expect(witnessRows(status).map((r) => [r.region, r.size, r.lags])).toEqual([
      ['TJ', 120, false],
      ['HE', null, true],
    ]);
    expect(trustWarnings(status, anchorOf(120), true, now)).toEqual([
      { kind: 'witness-lags', witness: 'he.approval-ledger.example/witness', size: null },
    ]);
  });

  it('warns when anchoring lags behind the latest checkpoint, and when nothing is pinned', () => {
    const kinds = trustWarnings(status, anchorOf(100), false, now).map((w) => w.kind);
    expect(kinds).toEqual(['nothing-pinned', 'witness-lags', 'anchor-lags']);
  });

  it('warns of a checkpoint that lags the tree by more than five minutes', () => {
    const old = {
      ...status,
      treeSize: 150,
      checkpoint: { ...status.checkpoint!, publishedAt: '2026-12-05T11:50:00Z' },
    };
    expect(trustWarnings(old, anchorOf(120), true, now)[0]).toEqual({
      kind: 'checkpoint-lags',
      size: 120,
      treeSize: 150,
    });
  });
});
