import { expect } from 'chai';
import fc from 'fast-check';
import { bytesToHex } from '../bytes.js';
import { merkleRoot } from '../merkle.js';
import vectors from './fixtures/status-tree-vectors.json';
import {
  formatStatusExtension,
  parseStatusExtension,
  StatusEntryError,
  type StatusEntry,
  type StatusKind,
  type StatusProof,
  StatusTree,
  verifyStatusProof,
} from './status-tree.js';

const entries = vectors.entries as StatusEntry[];

function against(tree: StatusTree, kind: string, id: string) {
  return { kind, id, size: tree.size, root: tree.root() };
}

describe('status tree (sorted-leaf RFC 6962 tree of revocations)', () => {
  const tree = new StatusTree(entries);

  it('reproduces the fixture leaves, root and extension line, the root recomputed by the plain RFC 6962 merkleRoot', () => {
    expect(tree.entries.map((e) => JSON.stringify(e))).to.have.length(vectors.size);
    expect(new StatusTree(entries).root()).to.deep.equal(merkleRoot(vectors.leaves));
    expect(bytesToHex(tree.root())).to.equal(vectors.root);
    expect(formatStatusExtension(tree.size, tree.root())).to.equal(vectors.extension);
    expect(bytesToHex(new StatusTree([]).root())).to.equal(vectors.emptyRoot);
  });

  it('sorts leaves by the UTF-8 bytes of kind/id (京 after every ASCII id)', () => {
    expect(tree.entries.map((e) => `${e.kind}/${e.id}`)).to.deep.equal([
      'certificate/BJ-2026-000123',
      'certificate/HE-2026-000007',
      'certificate/京-2026-许可-01',
      'milestone/BJ-2026-0001-M03',
      'recognition/TJ-REC-0042',
    ]);
  });

  it('reproduces every fixture proof and each verifies with the stated answer', () => {
    for (const fixture of vectors.proofs as StatusProof[]) {
      expect(tree.prove(fixture.kind, fixture.id)).to.deep.equal(fixture);
      const result = verifyStatusProof(fixture, against(tree, fixture.kind, fixture.id));
      expect(result.ok, `${fixture.kind}/${fixture.id}`).to.equal(true);
      expect(result.ok && result.revoked).to.equal(fixture.member !== undefined);
    }
  });

  it('refuses to strip a revocation: a non-membership proof of a revoked key cannot be assembled from real leaves', () => {
    const revoked = tree.prove('certificate', 'BJ-2026-000123');
    const honestAbsent = tree.prove('certificate', 'BJ-2026-000124'); // neighbours 000123 and HE-…
    const forged: StatusProof = {
      kind: 'certificate',
      id: 'BJ-2026-000123',
      size: tree.size,
      ...pick(honestAbsent),
    };
    const result = verifyStatusProof(forged, against(tree, 'certificate', 'BJ-2026-000123'));
    expect(result).to.deep.include({ ok: false });
    // skipping the member leaf: neighbours 0 and 2 are not adjacent
    const skip = tree.prove('certificate', 'HE-2026-000008');
    const forged2: StatusProof = {
      kind: 'certificate',
      id: 'BJ-2026-000123',
      size: tree.size,
      left: undefined,
      right: skip.right,
    };
    expect(verifyStatusProof(forged2, against(tree, 'certificate', 'BJ-2026-000123')).ok).to.equal(false);
    expect(verifyStatusProof(revoked, against(tree, 'certificate', 'BJ-2026-000123'))).to.deep.include({
      ok: true,
      revoked: true,
    });
  });

  it('refuses a proof against another size or root, or about another key', () => {
    const proof = tree.prove('certificate', 'BJ-2026-000124');
    expect(
      verifyStatusProof(proof, { ...against(tree, 'certificate', 'BJ-2026-000124'), size: 4 }).ok,
    ).to.equal(false);
    const other = new StatusTree(entries.slice(1));
    expect(
      verifyStatusProof(proof, { ...against(tree, 'certificate', 'BJ-2026-000124'), root: other.root() }).ok,
    ).to.equal(false);
    expect(verifyStatusProof(proof, against(tree, 'certificate', 'BJ-2026-000125')).ok).to.equal(false);
  });

  it('answers, never throws, for garbage proofs', () => {
    const garbage = { kind: 'certificate', id: 'x', size: 5, left: { index: 'a', entry: null, path: 3 } };
    const result = verifyStatusProof(garbage as unknown as StatusProof, against(tree, 'certificate', 'x'));
    expect(result.ok).to.equal(false);
  });

  it('keeps the earliest revocation of a key revoked twice', () => {
    const twice = new StatusTree([
      { kind: 'certificate', id: 'A', status: 'REVOKED', txId: 'late', block: 9 },
      { kind: 'certificate', id: 'A', status: 'REVOKED', txId: 'early', block: 3 },
    ]);
    expect(twice.size).to.equal(1);
    expect(twice.get('certificate', 'A')?.txId).to.equal('early');
  });

  it('refuses a malformed entry naming the field', () => {
    expect(() => new StatusTree([{ ...entries[0]!, kind: 'permit' as StatusKind }]))
      .to.throw(StatusEntryError)
      .with.property('field', 'kind');
    expect(() => new StatusTree([{ ...entries[0]!, block: -1 }]))
      .to.throw(StatusEntryError)
      .with.property('field', 'block');
  });

  it("keeps a superseded version under its own key, apart from the record's revocation whatever the id", () => {
    const supersession: StatusEntry = {
      kind: 'certificate',
      id: 'BJ-2026-000123',
      status: 'SUPERSEDED',
      version: 1,
      supersededBy: 2,
      txId: 'tx-v2',
      block: 30,
    };
    // an id that spells the supersession key after `certificate/` cannot collide: `@1` sits in the kind part
    const lookalike: StatusEntry = { ...entries[0]!, id: '@1/BJ-2026-000123' };
    const versioned = new StatusTree([...entries, supersession, lookalike]);
    expect(versioned.get('certificate', 'BJ-2026-000123', 1)).to.deep.equal(supersession);
    expect(versioned.get('certificate', 'BJ-2026-000123')?.status).to.equal('REVOKED');
    expect(versioned.get('certificate', 'BJ-2026-000123', 2)).to.equal(undefined);
    const member = verifyStatusProof(versioned.prove('certificate', 'BJ-2026-000123', 1), {
      ...against(versioned, 'certificate', 'BJ-2026-000123'),
      version: 1,
    });
    expect(member).to.deep.equal({ ok: true, revoked: true, entry: supersession });
    const latest = verifyStatusProof(versioned.prove('certificate', 'BJ-2026-000123', 2), {
      ...against(versioned, 'certificate', 'BJ-2026-000123'),
      version: 2,
    });
    expect(latest).to.deep.equal({ ok: true, revoked: false });
    // the revocation proof is not a supersession proof, and the other way round
    const revocation = versioned.prove('certificate', 'BJ-2026-000123');
    expect(
      verifyStatusProof(revocation, { ...against(versioned, 'certificate', 'BJ-2026-000123'), version: 1 }),
    ).to.include({ ok: false });
  });

  it('refuses a SUPERSEDED entry without its versions, and versions on any other entry', () => {
    const base = { kind: 'milestone', id: 'm', txId: 't', block: 1 } as const;
    expect(() => new StatusTree([{ ...base, status: 'SUPERSEDED', version: 2, supersededBy: 2 }])).to.throw(
      StatusEntryError,
      /supersededBy/,
    );
    expect(() => new StatusTree([{ ...base, status: 'SUPERSEDED' }])).to.throw(StatusEntryError, /^version/);
    expect(() => new StatusTree([{ ...base, status: 'REVOKED', version: 1 }])).to.throw(
      StatusEntryError,
      /^version/,
    );
  });

  it('parses only a well-formed single status extension line', () => {
    expect(parseStatusExtension([vectors.extension])?.size).to.equal(vectors.size);
    expect(parseStatusExtension([])).to.equal(undefined);
    expect(parseStatusExtension([vectors.extension, vectors.extension])).to.equal(undefined);
    expect(parseStatusExtension(['status 05 ' + vectors.extension.split(' ')[2]])).to.equal(undefined);
  });

  describe('property: random trees', () => {
    const kind = fc.constantFrom<StatusKind>('certificate', 'milestone', 'recognition');
    const id = fc.string({
      minLength: 1,
      maxLength: 6,
      unit: fc.constantFrom('A', 'B', 'c', '0', '-', '京', '😀'),
    });
    const entry = fc.record({
      kind,
      id,
      status: fc.constantFrom('REVOKED' as const, 'SOURCE_REVOKED' as const),
      txId: fc.string({ minLength: 4, maxLength: 8, unit: fc.constantFrom('a', 'b', '1', '2') }),
      block: fc.nat(1000),
    });

    it('every proof verifies with the right answer, for members and non-members alike', () => {
      fc.assert(
        fc.property(fc.array(entry, { maxLength: 40 }), kind, id, (list, k, i) => {
          const t = new StatusTree(list);
          const proof = t.prove(k, i);
          const result = verifyStatusProof(proof, against(t, k, i));
          return result.ok && result.revoked === (t.get(k, i) !== undefined);
        }),
        { numRuns: 300 },
      );
    });

    it('every mutated proof fails', () => {
      fc.assert(
        fc.property(
          fc.array(entry, { minLength: 1, maxLength: 30 }),
          kind,
          id,
          fc.nat(),
          (list, k, i, seed) => {
            const t = new StatusTree(list);
            const mutated = mutate(t.prove(k, i), seed);
            return !verifyStatusProof(mutated, against(t, k, i)).ok;
          },
        ),
        { numRuns: 500 },
      );
    });

    it('a member leaf always proves membership only of its own key', () => {
      fc.assert(
        fc.property(fc.array(entry, { minLength: 1, maxLength: 30 }), kind, id, (list, k, i) => {
          const t = new StatusTree(list);
          const first = t.entries[0]!;
          const proof = { ...t.prove(first.kind, first.id), kind: k, id: i };
          const result = verifyStatusProof(proof, against(t, k, i));
          return !result.ok || (k === first.kind && i === first.id);
        }),
      );
    });
  });
});

function pick(proof: StatusProof): Pick<StatusProof, 'left' | 'right'> {
  return { left: proof.left, right: proof.right };
}

/** One of several mutations: a flipped path byte, a moved index, a changed entry field, a dropped leaf. */
function mutate(proof: StatusProof, seed: number): StatusProof {
  const slots = (['member', 'left', 'right'] as const).filter((s) => proof[s]);
  const slot = slots[seed % slots.length]!;
  const leaf = proof[slot]!;
  const kinds = ['path', 'index', 'block', 'txId', 'drop', 'size', 'status'];
  switch (kinds[Math.floor(seed / 3) % kinds.length]) {
    case 'path': {
      if (leaf.path.length === 0) return { ...proof, [slot]: { ...leaf, path: ['00'.repeat(32)] } };
      const path = [...leaf.path];
      const p = path[seed % path.length]!;
      path[seed % path.length] = (p[0] === '0' ? '1' : '0') + p.slice(1);
      return { ...proof, [slot]: { ...leaf, path } };
    }
    case 'index':
      return { ...proof, [slot]: { ...leaf, index: leaf.index + 1 } };
    case 'block':
      return { ...proof, [slot]: { ...leaf, entry: { ...leaf.entry, block: leaf.entry.block + 1 } } };
    case 'txId':
      return { ...proof, [slot]: { ...leaf, entry: { ...leaf.entry, txId: `${leaf.entry.txId}0` } } };
    case 'status':
      return {
        ...proof,
        [slot]: {
          ...leaf,
          entry: { ...leaf.entry, status: leaf.entry.status === 'REVOKED' ? 'SOURCE_REVOKED' : 'REVOKED' },
        },
      };
    case 'size':
      return { ...proof, size: proof.size + 1 };
    default:
      return { ...proof, [slot]: undefined };
  }
}
