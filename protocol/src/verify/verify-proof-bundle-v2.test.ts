/**
 * Proof bundle v2 against a transparency log built here with real keys: the real v1 bundles of an embedded
 * ledger (proof/fixtures) as evidence, their head block a leaf of an RFC 6962 tree of block hashes, a C2SP
 * checkpoint with a `status` line signed by a log key and cosigned by two witnesses (Ed25519, cosignature/v1),
 * and a status tree. Then the attacks: a stripped revocation, a forged non-membership proof, a stale status
 * proof, a wrong log key, a replayed cosignature, a split view cosigned by one witness, a wrong status root,
 * and the public anchor of an older checkpoint: another root, a consistency proof off by one, a wrong key, a
 * checkpoint not covering the record's block, a forked block.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ed25519 } from '@noble/curves/ed25519';
import { expect } from 'chai';
import { bytesToHex, hexToBytes } from '../bytes.js';
import { leafHash } from '../merkle.js';
import { sha256 } from '../sha256.js';
import { type ProofBundle, type ProofBundleV2, PROOF_BUNDLE_V2_FORMAT } from '../proof/proof-bundle.js';
import { OFFLINE_ANCHOR_LIMITS } from '../anchor/verify-anchor.js';
import { base64ToBytes, bytesToBase64 } from '../proof/base64.js';
import { formatCheckpoint, parseCheckpoint } from '../tlog/checkpoint.js';
import { cosignatureSigner, ed25519NoteSigner } from '../tlog/cosignature.js';
import { consistencyProof, inclusionPath, MemoryTree } from '../tlog/merkle-proofs.js';
import {
  formatVerifierKey,
  type NoteSigner,
  parseNote,
  parseVerifierKey,
  SIGNATURE_TYPE,
  signNote,
} from '../tlog/signed-note.js';
import {
  formatStatusExtension,
  type StatusEntry,
  type StatusProof,
  StatusTree,
} from '../tlog/status-tree.js';
import { verifyPublicAnchorOnline } from './anchor-layer.js';
import { passed } from './check.js';
import { type TlogTrust, verifyProofBundle } from './verify-proof-bundle.js';
import { anchoredVersion } from './version-rules.js';

function fixture(name: string): ProofBundle {
  return JSON.parse(
    readFileSync(join(__dirname, '..', 'proof', 'fixtures', `proof-bundle.${name}.json`), 'utf8'),
  ) as ProofBundle;
}

const LOG = 'bj.approval-ledger.example/log';
const NOW = Date.parse('2026-12-05T12:00:00Z') / 1000;

interface Key {
  readonly name: string;
  readonly secret: Uint8Array;
  readonly publicKey: Uint8Array;
}

function key(name: string, seed: number): Key {
  const secret = new Uint8Array(32).fill(seed);
  return { name, secret, publicKey: ed25519.getPublicKey(secret) };
}

const logKey = key(LOG, 7);
const tj = key('tj.approval-ledger.example/witness', 8);
const he = key('he.approval-ledger.example/witness', 9);

const logSigner = (k: Key = logKey): NoteSigner =>
  ed25519NoteSigner(LOG, k.publicKey, (m) => ed25519.sign(m, k.secret));
const witnessSigner = (k: Key, time = NOW - 60): NoteSigner =>
  cosignatureSigner(
    k.name,
    k.publicKey,
    (m) => ed25519.sign(m, k.secret),
    () => time,
  );

const trust: TlogTrust = {
  logKeys: [parseVerifierKey(formatVerifierKey(LOG, SIGNATURE_TYPE.ed25519, logKey.publicKey))],
  witnessKeys: [tj, he].map((w) =>
    parseVerifierKey(formatVerifierKey(w.name, SIGNATURE_TYPE.cosignatureV1, w.publicKey)),
  ),
  quorum: 2,
};
const pinned = { tlog: trust, now: new Date(NOW * 1000) };

interface Build {
  readonly size?: number;
  readonly entries?: readonly StatusEntry[];
  /** The status tree the checkpoint commits to (default: the one proven from). */
  readonly committed?: StatusTree;
  readonly signers?: readonly NoteSigner[];
  readonly status?: boolean;
  /** The supersession proof (default: the proof of the evidence's version in the tree proven from; false: none). */
  readonly supersession?: StatusProof | false;
}

/** The log's tree of `size` blocks: the evidence's record and head blocks where they are, made-up others. */
function treeOf(evidence: ProofBundle, size: number): MemoryTree {
  const verdict = verifyProofBundle(evidence);
  const known = new Map([
    [verdict.head!.number, verdict.head!.hash],
    [verdict.anchoredAt!.blockNumber, verdict.anchoredAt!.blockHash!],
  ]);
  return new MemoryTree(
    Array.from({ length: size }, (_, i) => {
      const hash = known.get(i);
      return leafHash(hash ? hexToBytes(hash) : sha256(`block ${i}`));
    }),
  );
}

/** A v2 bundle of `evidence` in a checkpoint of `size` blocks whose status tree holds `entries`. */
function v2(evidence: ProofBundle, build: Build = {}): ProofBundleV2 {
  const head = verifyProofBundle(evidence).head!;
  const size = build.size ?? head.number + 5;
  const tree = treeOf(evidence, size);
  const status = new StatusTree(build.entries ?? []);
  const committed = build.committed ?? status;
  const text = formatCheckpoint({
    origin: LOG,
    size,
    root: tree.root(),
    extensions: [formatStatusExtension(committed.size, committed.root())],
  });
  const note = signNote(text, [...(build.signers ?? [logSigner(), witnessSigner(tj), witnessSigner(he)])]);
  const kind = evidence.record.kind as 'milestone' | 'certificate';
  return {
    format: PROOF_BUNDLE_V2_FORMAT,
    createdAt: '2026-12-05T11:59:00Z',
    evidence,
    checkpoint: {
      note,
      inclusion: { block: head.number, path: inclusionPath(tree, head.number, size).map(bytesToHex) },
    },
    ...(build.status === false ? {} : { status: status.prove(kind, evidence.record.id) }),
    ...(build.supersession === false
      ? {}
      : {
          supersession:
            build.supersession ??
            status.prove(kind, evidence.record.id, anchoredVersion(evidence.record.anchor)),
        }),
  };
}

function failedChecks(bundle: unknown, options = pinned): string[] {
  return verifyProofBundle(bundle, options)
    .checks.filter((c) => c.status === 'failed')
    .map((c) => c.name);
}

const OTHERS: StatusEntry[] = [
  { kind: 'certificate', id: '110105202503100100', status: 'REVOKED', txId: 'tx-a', block: 5 },
  { kind: 'certificate', id: '110105202503100102', status: 'REVOKED', txId: 'tx-b', block: 9 },
  { kind: 'milestone', id: 'BJ-AA-t-1', status: 'REVOKED', txId: 'tx-c', block: 11, by: 'BJ-AA-t-9' },
];

function revokedCertificate(): { bundle: ProofBundle; entry: StatusEntry } {
  const bundle = fixture('revoked-certificate');
  const revocation = bundle.revocation!.transaction;
  const entry: StatusEntry = {
    kind: 'certificate',
    id: bundle.record.id,
    status: 'REVOKED',
    txId: revocation.txId,
    block: revocation.blockNumber,
  };
  return { bundle, entry };
}

/** The SUPERSEDED entry of the evidence's version 1: version 2 anchored by tx-v2 in block 21. */
function superseded(bundle: ProofBundle): StatusEntry {
  const kind = bundle.record.kind as 'milestone' | 'certificate';
  return {
    kind,
    id: bundle.record.id,
    status: 'SUPERSEDED',
    version: 1,
    supersededBy: 2,
    txId: 'tx-v2',
    block: 21,
  };
}

/** The evidence as a forger strips it: no revocation, the chain cut before the revocation's block. */
function stripped(bundle: ProofBundle): ProofBundle {
  const { revocation: _dropped, ...rest } = bundle;
  return { ...rest, chain: rest.chain.filter((h) => h.number <= rest.transaction.blockNumber) };
}

describe('verifyProofBundle: proof bundle v2 (checkpoint, witnesses, status, anchor)', () => {
  it('proves a milestone not revoked as of a checkpoint cosigned by both witnesses, level by level', () => {
    const verdict = verifyProofBundle(v2(fixture('milestone'), { entries: OTHERS }), pinned);
    expect(
      verdict.checks.filter((c) => c.status !== 'verified' && c.status !== 'not-applicable'),
    ).to.deep.equal([]);
    expect(verdict).to.include({ ok: true, status: 'valid' });
    const assurance = verdict.assurance!;
    expect(assurance.bundle).to.equal('v2');
    expect(assurance.statusProof).to.equal('current');
    expect(Object.fromEntries(assurance.levels.map((l) => [l.level, l.status]))).to.deep.equal({
      ledger: 'proven',
      'pinned-ledger': 'not-proven',
      checkpoint: 'proven',
      witnessed: 'proven',
      status: 'proven',
      'public-anchor': 'not-proven',
    });
    expect(assurance.checkpoint).to.include({ origin: LOG, size: 24 });
    expect(assurance.checkpoint?.cosignedBy).to.have.members([tj.name, he.name]);
    expect(assurance.summary.join('\n')).to.match(
      /recorded by BeijingMSP .*\nin checkpoint 24 of .*, cosigned by/,
    );
    expect(assurance.summary.join('\n')).to.contain('not revoked as of checkpoint 24');
  });

  it('says status-unknown, never valid, when the status proof is missing', () => {
    const verdict = verifyProofBundle(v2(fixture('milestone'), { status: false }), pinned);
    expect(verdict.status).to.equal('status-unknown');
    expect(verdict.assurance?.statusProof).to.equal('missing');
  });

  it('says status-unknown when no log key is pinned: the status line is not authenticated', () => {
    const verdict = verifyProofBundle(v2(fixture('milestone')), {});
    expect(verdict.status).to.equal('status-unknown');
    expect(verdict.assurance?.statusProof).to.equal('unauthenticated');
    expect(verdict.checks.find((c) => c.name === 'checkpoint.signature')?.status).to.equal('unchecked');
  });

  it('says status-unknown for a status proof older than the verifier’s limit', () => {
    const old = [logSigner(), witnessSigner(tj, NOW - 3 * 86400), witnessSigner(he, NOW - 2 * 86400)];
    const bundle = v2(fixture('milestone'), { signers: old });
    expect(verifyProofBundle(bundle, pinned).status).to.equal('valid');
    const verdict = verifyProofBundle(bundle, { ...pinned, maxStatusAgeSeconds: 86400 });
    expect(verdict.status).to.equal('status-unknown');
    expect(verdict.assurance?.statusProof).to.equal('stale');
    expect(verdict.assurance?.checkpoint?.cosignedAt).to.equal(
      new Date((NOW - 2 * 86400) * 1000).toISOString(),
    );
  });

  it('still says revoked when the revocation is stripped from the evidence: the status tree has it', () => {
    const { bundle, entry } = revokedCertificate();
    const verdict = verifyProofBundle(v2(stripped(bundle), { entries: [...OTHERS, entry] }), pinned);
    expect(failedChecks(v2(stripped(bundle), { entries: [...OTHERS, entry] }))).to.deep.equal([]);
    expect(verdict.status).to.equal('revoked');
    expect(verdict.revokedBy?.txId).to.equal(entry.txId);
  });

  it('refuses a forged non-membership proof of a revoked certificate (neighbours from a tree without it)', () => {
    const { bundle, entry } = revokedCertificate();
    const honest = new StatusTree([...OTHERS, entry]);
    const forged = v2(stripped(bundle), {
      entries: OTHERS,
      committed: honest,
      supersession: honest.prove('certificate', bundle.record.id, 1),
    });
    expect(failedChecks(forged)).to.deep.equal(['status.proof']);
    expect(verifyProofBundle(forged, pinned).status).to.equal('invalid');
  });

  it('refuses a status tree that omits a revocation the evidence shows inside the checkpoint', () => {
    const { bundle } = revokedCertificate();
    const verdict = verifyProofBundle(v2(bundle, { entries: OTHERS }), pinned);
    expect(failedChecks(v2(bundle, { entries: OTHERS }))).to.deep.equal(['status.proof']);
    expect(verdict.checks.find((c) => c.name === 'status.proof')?.detail).to.match(/omits the revocation/);
  });

  it('refuses a stripped bundle whose status proof predates the revocation once it is older than the limit', () => {
    const { bundle } = revokedCertificate();
    const evidence = stripped(bundle);
    // the checkpoint before the revocation's block: the proof says "not revoked", honestly, back then
    const old = [logSigner(), witnessSigner(tj, NOW - 7 * 86400), witnessSigner(he, NOW - 7 * 86400)];
    const early = v2(evidence, { size: bundle.revocation!.transaction.blockNumber, signers: old });
    const verdict = verifyProofBundle(early, { ...pinned, maxStatusAgeSeconds: 86400 });
    expect(verdict.status).to.equal('status-unknown');
    expect(verdict.assurance?.statusProof).to.equal('stale');
  });

  it('refuses a checkpoint signed by a wrong log key', () => {
    const bundle = v2(fixture('milestone'), {
      signers: [logSigner(key(LOG, 66)), witnessSigner(tj), witnessSigner(he)],
    });
    expect(failedChecks(bundle)).to.deep.equal(['checkpoint.signature']);
    expect(verifyProofBundle(bundle, pinned).status).to.equal('invalid');
  });

  it('refuses an old cosignature replayed onto a newer checkpoint', () => {
    const evidence = fixture('milestone');
    const older = v2(evidence, { size: 22 });
    const newer = v2(evidence, { size: 23, signers: [logSigner(), witnessSigner(he)] });
    const replayed = parseNote(older.checkpoint.note).signatures.find((s) => s.name === tj.name)!;
    const line = `— ${replayed.name} ${Buffer.from([...u32(replayed.keyId), ...replayed.signature]).toString('base64')}\n`;
    const bundle = { ...newer, checkpoint: { ...newer.checkpoint, note: newer.checkpoint.note + line } };
    expect(failedChecks(bundle)).to.deep.equal(['checkpoint.witnesses']);
  });

  it('refuses a split view cosigned by one witness only: the quorum is two', () => {
    const { bundle, entry } = revokedCertificate();
    // the log shows the view without the revocation to Tianjin's witness alone
    const split = v2(stripped(bundle), { entries: OTHERS, signers: [logSigner(), witnessSigner(tj)] });
    expect(failedChecks(split)).to.deep.equal(['checkpoint.witnesses']);
    expect(verifyProofBundle(split, pinned).status).to.equal('invalid');
    void entry;
  });

  it('refuses a wrong status root in the checkpoint', () => {
    const wrong = new StatusTree([...OTHERS, OTHERS[0]!].map((e, i) => ({ ...e, block: e.block + i + 1 })));
    const bundle = v2(fixture('milestone'), { entries: OTHERS, committed: wrong });
    // both proofs from the status tree fail against a root that is not that tree's
    expect(failedChecks(bundle)).to.deep.equal(['status.proof', 'status.version']);
  });

  it('refuses a head block that is not in the checkpoint (one path hash changed)', () => {
    const bundle = v2(fixture('milestone'));
    const path = [...bundle.checkpoint.inclusion.path];
    path[0] = `${path[0]!.startsWith('0') ? '1' : '0'}${path[0]!.slice(1)}`;
    const changed = { ...bundle, checkpoint: { ...bundle.checkpoint, inclusion: { block: 19, path } } };
    expect(failedChecks(changed)).to.deep.equal(['checkpoint.inclusion']);
  });

  it('proves version 1 superseded by version 2 as of the checkpoint: superseded, neither valid nor failed', () => {
    const bundle = fixture('milestone');
    const verdict = verifyProofBundle(v2(bundle, { entries: [...OTHERS, superseded(bundle)] }), pinned);
    expect(failedChecks(v2(bundle, { entries: [...OTHERS, superseded(bundle)] }))).to.deep.equal([]);
    expect(verdict).to.include({ ok: true, status: 'superseded' });
    expect(verdict.version).to.deep.equal({
      number: 1,
      latest: false,
      basis: 'checkpoint',
      supersededBy: { version: 2, txId: 'tx-v2', block: 21 },
      asOfCheckpoint: 24,
    });
    expect(verdict.assurance?.summary.join('\n')).to.contain(
      `version 1 of milestone ${bundle.record.id} was superseded by version 2 (transaction tx-v2 in block 21), as of checkpoint 24`,
    );
  });

  it('proves the latest version current: non-membership of its supersession', () => {
    const verdict = verifyProofBundle(v2(fixture('milestone'), { entries: OTHERS }), pinned);
    expect(verdict.status).to.equal('valid');
    expect(verdict.version).to.deep.equal({
      number: 1,
      latest: true,
      basis: 'checkpoint',
      asOfCheckpoint: 24,
    });
    expect(verdict.assurance?.summary.join('\n')).to.match(
      /version 1 of milestone .* is the latest as of checkpoint 24/,
    );
  });

  it('never reads a superseded version as current when its supersession is stripped: status-unknown', () => {
    const bundle = fixture('milestone');
    const verdict = verifyProofBundle(
      v2(bundle, { entries: [...OTHERS, superseded(bundle)], supersession: false }),
      pinned,
    );
    expect(verdict.status).to.equal('status-unknown');
    expect(verdict.version).to.deep.equal({ number: 1, basis: 'none' });
    expect(verdict.checks.find((c) => c.name === 'status.version')?.status).to.equal('unchecked');
  });

  it('refuses a forged "latest" proof of a superseded version (neighbours from a tree without it)', () => {
    const bundle = fixture('milestone');
    const forged = new StatusTree(OTHERS).prove('milestone', bundle.record.id, 1);
    const verdict = verifyProofBundle(
      v2(bundle, { entries: [...OTHERS, superseded(bundle)], supersession: forged }),
      pinned,
    );
    expect(verdict.checks.filter((c) => c.status === 'failed').map((c) => c.name)).to.deep.equal([
      'status.version',
    ]);
    expect(verdict.status).to.equal('invalid');
  });

  it('refuses the supersession proof of another version', () => {
    const bundle = fixture('milestone');
    const tree = new StatusTree([...OTHERS, superseded(bundle)]);
    const other = v2(bundle, {
      entries: [...OTHERS, superseded(bundle)],
      supersession: tree.prove('milestone', bundle.record.id, 2),
    });
    expect(failedChecks(other)).to.deep.equal(['status.version']);
    expect(verifyProofBundle(other, pinned).checks.find((c) => c.name === 'status.version')?.detail).to.match(
      /about milestone@2\/.*, not milestone@1\//,
    );
  });

  it('reports a v1 bundle the hub states superseded as superseded, and one stated latest as valid', () => {
    const bundle = fixture('milestone');
    const old = verifyProofBundle({ ...bundle, statement: { status: 'valid', version: 1, latest: false } });
    expect(old.status).to.equal('superseded');
    expect(old.version).to.deep.equal({ number: 1, latest: false, basis: 'statement' });
    const latest = verifyProofBundle({ ...bundle, statement: { status: 'valid', version: 1, latest: true } });
    expect(latest.status).to.equal('valid');
  });

  it('keeps verifying v1 bundles, stating their lower assurance', () => {
    const verdict = verifyProofBundle(fixture('milestone'));
    expect(verdict.status).to.equal('valid');
    expect(verdict.assurance?.bundle).to.equal('v1');
    expect(verdict.assurance?.statusProof).to.equal('missing');
    expect(verdict.assurance?.levels.find((l) => l.level === 'status')?.detail).to.match(
      /cannot be excluded/,
    );
  });

  it('refuses a malformed v2 bundle naming the field, and a v2 bundle nested in another', () => {
    const bundle = v2(fixture('milestone'));
    const broken = verifyProofBundle({ ...bundle, checkpoint: { note: 'x' } }, pinned);
    expect(broken.status).to.equal('invalid');
    expect(broken.checks[0]?.detail).to.match(/checkpoint/);
    const nested = verifyProofBundle({ ...bundle, evidence: bundle }, pinned);
    expect(nested.checks[0]?.detail).to.match(/cannot nest/);
  });
});

interface AnchorBuild {
  /** The anchored checkpoint's size (default 20: blocks 0..19, the record's block 19 the last). */
  readonly size?: number;
  readonly signer?: NoteSigner;
  /** The consistency proof from this size instead (a proof off by one). */
  readonly consistencyFrom?: number;
  /** The root the reference names instead of the anchored checkpoint's. */
  readonly referenceRoot?: Uint8Array;
}

/**
 * The bundle with a public anchor of an older checkpoint A of the same tree: A's note, the record's block in
 * A, A's consistency with the bundle's checkpoint, and a reference naming A on chain 1337.
 */
function anchored(bundle: ProofBundleV2, build: AnchorBuild = {}): ProofBundleV2 {
  const evidence = bundle.evidence as unknown as ProofBundle;
  const c = parseCheckpoint(parseNote(bundle.checkpoint.note).text);
  const tree = treeOf(evidence, c.size);
  const size = build.size ?? 20;
  const prefix = new MemoryTree(Array.from({ length: size }, (_, i) => tree.rangeHash(i, i + 1)));
  const root = prefix.root();
  const note = signNote(formatCheckpoint({ origin: LOG, size, root }), [
    build.signer ?? logSigner(),
    witnessSigner(tj),
  ]);
  const block = evidence.transaction.blockNumber;
  return {
    ...bundle,
    anchor: {
      reference: {
        chainId: 1337,
        contract: `0x${'12'.repeat(20)}`,
        txHash: `0x${'34'.repeat(32)}`,
        blockNumber: 42,
        blockHash: `0x${'56'.repeat(32)}`,
        logIndex: 0,
        checkpoint: { origin: LOG, size, rootHash: bytesToBase64(build.referenceRoot ?? root) },
      },
      note,
      inclusion: {
        block,
        path: block < size ? inclusionPath(prefix, block, size).map(bytesToHex) : [],
      },
      consistency: consistencyProof(tree, build.consistencyFrom ?? size, c.size).map(bytesToHex),
    },
  };
}

const anchorLevel = (bundle: ProofBundleV2) =>
  verifyProofBundle(bundle, pinned).assurance?.levels.find((l) => l.level === 'public-anchor');

describe('verifyProofBundle: the public anchor of a v2 bundle (an older anchored checkpoint)', () => {
  it('proves offline the record’s block is in the anchored checkpoint the reference names, and says what that does not prove', () => {
    const bundle = anchored(v2(fixture('milestone'), { entries: OTHERS }));
    const verdict = verifyProofBundle(bundle, pinned);
    expect(verdict.checks.filter((c) => !passed(c))).to.deep.equal([]);
    expect(verdict).to.include({ ok: true, status: 'valid' });
    expect(verdict.checks.filter((c) => c.name.startsWith('anchor.')).map((c) => c.name)).to.deep.equal([
      'anchor.note',
      'anchor.inclusion',
      'anchor.consistency',
      'anchor.checkpoint',
    ]);
    const level = anchorLevel(bundle)!;
    expect(level.status).to.equal('not-proven');
    expect(level.detail).to.contain('block 19 is in checkpoint 20').and.contain(OFFLINE_ANCHOR_LIMITS);
    expect(verdict.assurance?.anchor).to.deep.include({
      state: 'offline',
      checkpoint: {
        origin: LOG,
        size: 20,
        root: bytesToHex(base64ToBytes(bundle.anchor!.reference.checkpoint.rootHash)),
      },
      noteHash: bytesToHex(sha256(bundle.anchor!.note)),
    });
  });

  it('accepts an anchor of the bundle’s own checkpoint (an empty consistency proof)', () => {
    const bundle = anchored(v2(fixture('milestone')), { size: 24 });
    expect(bundle.anchor!.consistency).to.deep.equal([]);
    expect(failedChecks(bundle)).to.deep.equal([]);
  });

  it('says "not yet anchored", not failed, when the bundle carries no anchor', () => {
    const verdict = verifyProofBundle(v2(fixture('milestone')), pinned);
    expect(verdict).to.include({ ok: true, status: 'valid' });
    expect(verdict.assurance?.anchor).to.deep.equal({ state: 'not-anchored' });
    const level = verdict.assurance!.levels.find((l) => l.level === 'public-anchor')!;
    expect(level.status).to.equal('not-proven');
    expect(level.detail).to.match(/^not yet anchored: .* covering block 19/);
  });

  it('refuses an anchor reference naming a different root', () => {
    const bundle = anchored(v2(fixture('milestone')), { referenceRoot: sha256('another root') });
    expect(failedChecks(bundle)).to.deep.equal(['anchor.checkpoint']);
    const verdict = verifyProofBundle(bundle, pinned);
    expect(verdict.status).to.equal('invalid');
    expect(verdict.assurance?.anchor?.state).to.equal('failed');
    expect(anchorLevel(bundle)?.status).to.equal('failed');
  });

  for (const from of [19, 21]) {
    it(`refuses a consistency proof off by one (from ${from} for an anchored checkpoint of 20)`, () => {
      const bundle = anchored(v2(fixture('milestone')), { consistencyFrom: from });
      expect(failedChecks(bundle)).to.deep.equal(['anchor.consistency']);
    });
  }

  it('refuses an anchored checkpoint signed by a wrong log key', () => {
    const bundle = anchored(v2(fixture('milestone')), { signer: logSigner(key(LOG, 66)) });
    expect(failedChecks(bundle)).to.deep.equal(['anchor.note']);
    expect(verifyProofBundle(bundle, pinned).status).to.equal('invalid');
  });

  it('refuses an anchor of a checkpoint that does not cover the record’s block', () => {
    const bundle = anchored(v2(fixture('milestone')), { size: 19 });
    expect(failedChecks(bundle)).to.deep.equal(['anchor.inclusion']);
    expect(
      verifyProofBundle(bundle, pinned).checks.find((c) => c.name === 'anchor.inclusion')?.detail,
    ).to.equal('the anchored checkpoint of size 19 does not cover block 19');
  });

  it('refuses an anchored checkpoint that holds another block 19 (a forked history)', () => {
    const bundle = anchored(v2(fixture('milestone')));
    const path = [...bundle.anchor!.inclusion.path];
    path[0] = bytesToHex(sha256('forked sibling'));
    const forked = { ...bundle, anchor: { ...bundle.anchor!, inclusion: { block: 19, path } } };
    expect(failedChecks(forked)).to.deep.equal(['anchor.inclusion']);
  });

  it('leaves the anchored checkpoint unauthenticated when no log key is pinned', () => {
    const verdict = verifyProofBundle(anchored(v2(fixture('milestone'))), {});
    expect(verdict.checks.find((c) => c.name === 'anchor.note')?.status).to.equal('unchecked');
    expect(verdict.assurance?.levels.find((l) => l.level === 'public-anchor')?.detail).to.contain(
      'not authenticated',
    );
  });

  it('leaves the level not proven, naming the reason, when the RPC does not answer', async () => {
    const verdict = verifyProofBundle(anchored(v2(fixture('milestone'))), pinned);
    const online = await verifyPublicAnchorOnline(verdict, 'http://127.0.0.1:9');
    expect(online).to.include({ ok: true, status: 'valid' });
    expect(online.assurance?.anchor?.state).to.equal('offline');
    const level = online.assurance!.levels.find((l) => l.level === 'public-anchor')!;
    expect(level.status).to.equal('not-proven');
    expect(level.detail).to.match(/not proven on chain: the RPC at http:\/\/127\.0\.0\.1:9 did not answer/);
  });
});

function u32(n: number): number[] {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
}
