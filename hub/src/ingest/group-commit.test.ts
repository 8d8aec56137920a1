/**
 * Group commit over the real off-chain store (SQLite in a temp dir, and MariaDB): the store work of concurrent callers
 * shares commits, each caller gets its own result only once its work is committed, and a work that fails
 * fails alone (its companions are committed, its own writes are not).
 */
import { expect } from 'chai';
import { type Store, type StoreRepositories } from '../store';
import { BACKENDS, useStoreBackend } from '../../test/store-fixtures';
import { GroupCommitter } from './group-commit';

/** The store, counting the transactions that committed. */
function counting(store: Store): { store: Pick<Store, 'transaction'>; commits: () => number } {
  let commits = 0;
  return {
    store: {
      transaction: async <T>(work: (tx: StoreRepositories) => Promise<T>): Promise<T> => {
        const result = await store.transaction(work);
        commits++;
        return result;
      },
    },
    commits: () => commits,
  };
}

const seen = (key: string, seq: number): Parameters<StoreRepositories['reconciliation']['recordSeen']>[0] => [
  {
    source: { system: 'group-commit-test', recordId: key, version: 1 },
    kind: 'milestone',
    region: 'BJ',
    dept: 'DRC',
    streamSeq: seq,
    at: new Date(),
  },
];

for (const backend of BACKENDS)
  describe(`GroupCommitter on ${backend}`, function () {
    this.timeout(60_000);
    const harness = useStoreBackend(backend);
    let base: Store;

    beforeEach(async () => {
      base = await harness.open();
    });

    it('commits the work of concurrent callers together and answers each with its own result', async () => {
      const { store, commits } = counting(base);
      const committer = new GroupCommitter(store);
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          committer.run(async (tx) => {
            await tx.reconciliation.recordSeen(seen(`R${i}`, i));
            return i * 10;
          }),
        ),
      );
      expect(results).to.deep.equal(Array.from({ length: 20 }, (_, i) => i * 10));
      // the first commits alone (nothing was under way); the 19 that came meanwhile share the next
      expect(commits()).to.equal(2);
      expect(committer.stats).to.deep.equal({ works: 20, commits: 2 });
      expect(await sourceKeys(base)).to.have.length(20);
    });

    it('answers a caller only after the commit that holds its work', async () => {
      const committer = new GroupCommitter(base);
      let committedBeforeAnswer = false;
      const first = committer.run((tx) => tx.reconciliation.recordSeen(seen('A', 1)));
      const second = committer.run((tx) => tx.reconciliation.recordSeen(seen('B', 2)));
      await second.then(async () => {
        // read outside any transaction, on the store's own connection: the write is there
        committedBeforeAnswer = (await sourceKeys(base)).includes('group-commit-test:B:1');
      });
      await first;
      expect(committedBeforeAnswer).to.equal(true);
    });

    it('keeps a failing work to itself: its companions commit, its own writes do not', async () => {
      const { store } = counting(base);
      const committer = new GroupCommitter(store);
      const outcomes = await Promise.allSettled([
        committer.run((tx) => tx.reconciliation.recordSeen(seen('ok-0', 10))),
        committer.run((tx) => tx.reconciliation.recordSeen(seen('ok-1', 11))),
        committer.run(async (tx) => {
          await tx.reconciliation.recordSeen(seen('failing', 12));
          throw new Error('this batch fails');
        }),
        committer.run((tx) => tx.reconciliation.recordSeen(seen('ok-2', 13))),
      ]);
      expect(outcomes.map((o) => o.status)).to.deep.equal([
        'fulfilled',
        'fulfilled',
        'rejected',
        'fulfilled',
      ]);
      expect(((outcomes[2] as PromiseRejectedResult).reason as Error).message).to.equal('this batch fails');
      const keys = await sourceKeys(base);
      expect(keys).to.include.members([
        'group-commit-test:ok-0:1',
        'group-commit-test:ok-1:1',
        'group-commit-test:ok-2:1',
      ]);
      expect(keys).not.to.include('group-commit-test:failing:1');
    });
  });

/** The source keys of the sightings written (none has a record, so each is a mismatch). */
async function sourceKeys(store: Store): Promise<string[]> {
  const { items } = await store.reconciliation.mismatches('group-commit-test', { limit: 1000 });
  return items.map((item) => item.sourceKey);
}
