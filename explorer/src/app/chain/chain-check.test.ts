import { sha256Hex } from '@approval-ledger/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { type BlockJson } from '@approval-ledger/protocol/api';
import { TestLedger } from '../core/testing/ledger-builder';
import { WebCryptoChainVerifier } from '../core/web-crypto-chain-verifier';
import { checkChain } from './chain-check';

let ledger: TestLedger;
const verifier = new WebCryptoChainVerifier();

beforeAll(async () => {
  ledger = await TestLedger.create();
  for (let i = 0; i < 5; i++) {
    await ledger.addBlock([
      {
        creator: 'BeijingMSP',
        fn: 'MilestoneContract:RecordMilestones',
        args: [],
        writes: [{ key: `m${i}`, value: i }],
      },
      {
        creator: 'HebeiMSP',
        fn: 'MilestoneContract:RecordMilestones',
        args: [],
        writes: [{ key: `h${i}`, value: i }],
      },
    ]);
  }
});

function fetcher(blocks: readonly BlockJson[]) {
  const fetched: number[] = [];
  return {
    fetched,
    fetchBlock: (n: number) => {
      fetched.push(n);
      const block = blocks[n];
      return block ? Promise.resolve(block) : Promise.reject(new Error(`no block ${n}`));
    },
  };
}

describe('checkChain', () => {
  it('finds an intact chain intact, reporting progress block by block', async () => {
    const progress: number[] = [];
    const { fetchBlock } = fetcher(ledger.blocks);
    const result = await checkChain({
      height: ledger.blocks.length,
      fetchBlock,
      verifier,
      onProgress: (p) => progress.push(p.done),
    });
    expect(result).toEqual({ status: 'intact', checked: 6, total: 6, suite: 'intl' });
    expect(progress).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('stops at the first block whose predecessor was rewritten, naming it', async () => {
    const blocks = ledger.blocks.map((b) => ({ ...b }));
    const third = blocks[3];
    if (!third) throw new Error('missing block');
    blocks[3] = { ...third, dataHash: sha256Hex('rewritten'), hash: sha256Hex('rewritten header') };
    const result = await checkChain({
      height: blocks.length,
      fetchBlock: fetcher(blocks).fetchBlock,
      verifier,
    });
    expect(result.status).toBe('broken');
    expect(result.block).toBe(3);
    expect(result.detail).toMatch(/header hash/);
  });

  it('catches a block whose header was re-hashed consistently: the next block’s link fails', async () => {
    const blocks = [...ledger.blocks];
    const second = blocks[2];
    if (!second) throw new Error('missing block');
    const changed = { ...second, transactions: second.transactions.slice(0, 1) };
    blocks[2] = changed;
    const result = await checkChain({
      height: blocks.length,
      fetchBlock: fetcher(blocks).fetchBlock,
      verifier,
    });
    expect(result).toMatchObject({ status: 'broken', block: 2 });
    expect(result.detail).toMatch(/data hash/);
  });

  it('stops when asked', async () => {
    const abort = new AbortController();
    const result = await checkChain({
      height: ledger.blocks.length,
      fetchBlock: fetcher(ledger.blocks).fetchBlock,
      verifier,
      signal: abort.signal,
      onProgress: (p) => {
        if (p.done === 2) abort.abort();
      },
    });
    expect(result).toEqual({ status: 'stopped', checked: 2, total: 6, suite: 'intl' });
  });

  it('fetches a few blocks ahead, each once', async () => {
    const { fetchBlock, fetched } = fetcher(ledger.blocks);
    await checkChain({ height: ledger.blocks.length, fetchBlock, verifier, prefetch: 2 });
    expect([...fetched].sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
