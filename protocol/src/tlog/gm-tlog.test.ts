/**
 * The transparency log in the 国密 suite: SM3 trees, SM2 note signatures and timestamped SM2 cosignatures
 * (the 0xff types of `signed-note.ts`), checkpoints naming their suite, and the refusals that keep the two suites
 * from mixing. The vectors (`fixtures/gm-note-vectors.json`) are checked with the pure-JavaScript SM3 (the
 * browser's path) and with node:crypto's SM3 registered (the hub's path), and the signatures with an independent
 * SM2 implementation (sm-crypto-v2).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ed25519 } from '@noble/curves/ed25519';
import { expect } from 'chai';
import { sm2 as independent } from 'sm-crypto-v2';
import { bytesToHex, hexToBytes, utf8Encode } from '../bytes.js';
import { commitment, verifyCommitment } from '../commitment.js';
import { canonicalize } from '../canonical-json.js';
import { sm2PublicKey, sm2RandomPrivateKey, sm2Signer } from '../gm/sm2.js';
import { sm3Hex, useSm3 } from '../gm/sm3.js';
import { merkleRoot } from '../merkle.js';
import { base64ToBytes } from '../proof/base64.js';
import { sha256Hex } from '../sha256.js';
import { SUITES } from '../verify/crypto-suite.js';
import {
  checkpointSuite,
  formatCheckpoint,
  parseCheckpoint,
  suiteExtensions,
  verifyCheckpoint,
} from './checkpoint.js';
import { noteSignerOf, verifyCosignedCheckpoint } from './cosignature.js';
import {
  consistencyProof,
  emptyRoot,
  EMPTY_ROOT,
  inclusionPath,
  MemoryTree,
  verifyConsistencyProof,
  verifyInclusionProof,
} from './merkle-proofs.js';
import {
  cosignedMessage,
  formatNoteVerifierKey,
  formatSignatureLine,
  type NoteKeyKind,
  NoteFormatError,
  parseNote,
  parseVerifierKey,
  readUint64,
  signNote,
  SM2_COSIGNATURE_TYPE_ID,
  SM2_NOTE_TYPE_ID,
} from './signed-note.js';
import { StatusTree, verifyStatusProof } from './status-tree.js';
import { parseTrustAnchors } from './trust-anchors.js';

interface Vectors {
  logVkey: string;
  witVkey: string;
  logKeyId: string;
  witKeyId: string;
  rootHex: string;
  checkpoint: string;
  note: string;
  cosigned: string;
}
const vectors = JSON.parse(
  readFileSync(join(__dirname, 'fixtures', 'gm-note-vectors.json'), 'utf8'),
) as Vectors;

const nodeSm3 = (parts: readonly (Uint8Array | string)[]): Uint8Array => {
  const hash = createHash('sm3');
  for (const part of parts) hash.update(part);
  return new Uint8Array(hash.digest());
};
const SM3 = SUITES.gm.digest;
const leaves = (n: number): Uint8Array[] => Array.from({ length: n }, (_, i) => utf8Encode(`block ${i}`));

/** The two SM3 paths: pure JavaScript (the browser's) and node:crypto (the hub's). */
const PATHS = [
  { name: 'pure-JavaScript SM3', use: () => useSm3(undefined) },
  { name: 'node:crypto SM3', use: () => useSm3(nodeSm3) },
] as const;

interface Key {
  readonly kind: NoteKeyKind;
  readonly name: string;
  readonly publicKey: Uint8Array;
  readonly sign: (m: Uint8Array) => Uint8Array;
}
function sm2Key(kind: 'sm2' | 'sm2-cosignature/v1', name: string): Key {
  const d = sm2RandomPrivateKey();
  return { kind, name, publicKey: sm2PublicKey(d), sign: sm2Signer(d) };
}
function ed25519Key(kind: 'ed25519' | 'cosignature/v1', name: string): Key {
  const d = ed25519.utils.randomSecretKey();
  return { kind, name, publicKey: ed25519.getPublicKey(d), sign: (m) => ed25519.sign(m, d) };
}
const verifierOf = (key: Key) => parseVerifierKey(formatNoteVerifierKey(key.kind, key.name, key.publicKey));
const signerOf = (key: Key, clock?: () => number) =>
  noteSignerOf(key.kind, key.name, key.publicKey, key.sign, clock);

/** A checkpoint of `suite` signed by `log` and cosigned by `witnesses`. */
function cosignedNote(suite: 'intl' | 'gm', log: Key, witnesses: readonly Key[]): string {
  const digest = SUITES[suite].digest;
  const text = formatCheckpoint({
    origin: log.name,
    size: 5,
    root: merkleRoot(leaves(5), digest),
    extensions: suiteExtensions(suite),
  });
  const note = signNote(text, [signerOf(log)]);
  return (
    note +
    witnesses
      .map((w) => {
        const s = signerOf(w, () => 1767225600);
        return formatSignatureLine({ name: s.name, keyId: s.keyId, signature: s.sign(utf8Encode(text)) });
      })
      .join('')
  );
}

describe('tlog in the gm suite: SM3 trees', () => {
  afterEach(() => useSm3(undefined));

  it('hashes leaves and nodes with SM3, and its proofs verify under SM3 only', () => {
    const tree = new MemoryTree(
      leaves(13).map((l) => SM3([new Uint8Array([0]), l])),
      SM3,
    );
    expect(bytesToHex(tree.root())).to.equal(bytesToHex(merkleRoot(leaves(13), SM3)));
    expect(bytesToHex(tree.root())).to.not.equal(bytesToHex(merkleRoot(leaves(13))));
    const path = inclusionPath(tree, 6);
    const leaf6 = SM3([new Uint8Array([0]), utf8Encode('block 6')]);
    expect(verifyInclusionProof(leaf6, 6, 13, path, tree.root(), SM3)).to.equal(true);
    expect(verifyInclusionProof(leaf6, 6, 13, path, tree.root())).to.equal(false);
    const proof = consistencyProof(tree, 5, 13);
    expect(verifyConsistencyProof(5, 13, proof, tree.root(5), tree.root(), SM3)).to.equal(true);
    expect(verifyConsistencyProof(5, 13, proof, tree.root(5), tree.root())).to.equal(false);
    expect(bytesToHex(emptyRoot(SM3))).to.equal(sm3Hex(''));
    expect(emptyRoot()).to.equal(EMPTY_ROOT);
  });

  it('builds the status tree with SM3, and a status proof verifies only with the tree’s hash', () => {
    const entries = ['A', 'C', 'E'].map((n, i) => ({
      kind: 'certificate' as const,
      id: `CERT-${n}`,
      status: 'REVOKED' as const,
      txId: `tx${i}`,
      block: i + 1,
    }));
    const gm = new StatusTree(entries, SM3);
    const intl = new StatusTree(entries);
    expect(bytesToHex(gm.root())).to.not.equal(bytesToHex(intl.root()));
    const proof = gm.prove('certificate', 'CERT-B');
    const expected = { kind: 'certificate', id: 'CERT-B', size: 3, root: gm.root() };
    expect(verifyStatusProof(proof, { ...expected, digest: SM3 })).to.deep.equal({
      ok: true,
      revoked: false,
    });
    expect(verifyStatusProof(proof, expected).ok).to.equal(false);
    expect(bytesToHex(new StatusTree([], SM3).root())).to.equal(sm3Hex(''));
  });

  for (const path of PATHS) {
    it(`gives the vector's root with the ${path.name}`, () => {
      path.use();
      expect(bytesToHex(merkleRoot(leaves(3), SM3))).to.equal(vectors.rootHex);
    });
  }
});

describe('tlog in the gm suite: SM2 note signatures and cosignatures', () => {
  afterEach(() => useSm3(undefined));

  for (const path of PATHS) {
    it(`verifies the vectors' key IDs, note signature and cosignature with the ${path.name}`, () => {
      path.use();
      const log = parseVerifierKey(vectors.logVkey);
      const witness = parseVerifierKey(vectors.witVkey);
      expect(log).to.include({ kind: 'sm2', suite: 'gm', type: 0xff });
      expect(witness).to.include({ kind: 'sm2-cosignature/v1', suite: 'gm', type: 0xff });
      expect(log.keyId.toString(16).padStart(8, '0')).to.equal(vectors.logKeyId);
      expect(witness.keyId.toString(16).padStart(8, '0')).to.equal(vectors.witKeyId);
      const checked = verifyCosignedCheckpoint(vectors.cosigned, {
        logKeys: [log],
        witnessKeys: [witness],
        quorum: 1,
        accepted: ['gm'],
      });
      expect(checked).to.deep.include({
        ok: true,
        suite: 'gm',
        cosignatures: [{ witness: witness.name, time: 1767225600 }],
      });
    });
  }

  it('writes the type identifiers and key IDs as protocol/README.md specifies', () => {
    const log = parseVerifierKey(vectors.logVkey);
    const material = base64ToBytes(vectors.logVkey.split('+').slice(2).join('+'));
    expect(material[0]).to.equal(0xff);
    expect(new TextDecoder().decode(material.subarray(1, 1 + SM2_NOTE_TYPE_ID.length))).to.equal(
      'approval-ledger/sm2-sm3/v1',
    );
    expect(bytesToHex(material.subarray(1 + SM2_NOTE_TYPE_ID.length))).to.equal(bytesToHex(log.publicKey));
    // key ID = SM3(name || 0x0A || 0xff || identifier || 65-byte point)[:4]
    const id = sm3Hex(
      new Uint8Array([
        ...utf8Encode(`${log.name}\n`),
        0xff,
        ...utf8Encode(SM2_NOTE_TYPE_ID),
        ...log.publicKey,
      ]),
    );
    expect(id.slice(0, 8)).to.equal(vectors.logKeyId);
    const witness = parseVerifierKey(vectors.witVkey);
    const wid = sm3Hex(
      new Uint8Array([
        ...utf8Encode(`${witness.name}\n`),
        0xff,
        ...utf8Encode(SM2_COSIGNATURE_TYPE_ID),
        ...witness.publicKey,
      ]),
    );
    expect(wid.slice(0, 8)).to.equal(vectors.witKeyId);
  });

  it('signs with SM2-SM3 and the default user ID: an independent implementation verifies the vectors', () => {
    const note = parseNote(vectors.cosigned);
    const log = parseVerifierKey(vectors.logVkey);
    const witness = parseVerifierKey(vectors.witVkey);
    const [logLine, witnessLine] = note.signatures;
    const text = utf8Encode(vectors.checkpoint);
    const options = { der: true, hash: true, userId: '1234567812345678' };
    expect(
      independent.doVerifySignature(text, bytesToHex(logLine!.signature), bytesToHex(log.publicKey), options),
    ).to.equal(true);
    const time = readUint64(witnessLine!.signature)!;
    expect(time).to.equal(1767225600);
    const signed = cosignedMessage(time, text);
    expect(new TextDecoder().decode(signed.subarray(0, 31))).to.equal('cosignature/v1\ntime 1767225600\n');
    expect(
      independent.doVerifySignature(
        signed,
        bytesToHex(witnessLine!.signature.subarray(8)),
        bytesToHex(witness.publicKey),
        options,
      ),
    ).to.equal(true);
  });

  it('verifies in pure JavaScript what was signed with node:crypto’s SM3, and the other way round', () => {
    const log = sm2Key('sm2', 'bj.example/log');
    const witness = sm2Key('sm2-cosignature/v1', 'tj.example/witness');
    const trust = {
      logKeys: [verifierOf(log)],
      witnessKeys: [verifierOf(witness)],
      quorum: 1,
      accepted: ['gm'] as const,
    };
    useSm3(nodeSm3);
    const nodeSigned = cosignedNote('gm', log, [witness]);
    useSm3(undefined);
    expect(verifyCosignedCheckpoint(nodeSigned, trust).ok).to.equal(true);
    const jsSigned = cosignedNote('gm', log, [witness]);
    useSm3(nodeSm3);
    expect(verifyCosignedCheckpoint(jsSigned, trust).ok).to.equal(true);
  });

  it('refuses a malformed SM2 verifier key and an unknown 0xff identifier, naming the rule', () => {
    const key = sm2Key('sm2', 'bj.example/log');
    const good = formatNoteVerifierKey('sm2', key.name, key.publicKey);
    const [name, id, b64] = [good.split('+')[0], good.split('+')[1], good.split('+').slice(2).join('+')];
    const material = base64ToBytes(b64);
    material[material.length - 1]! ^= 1; // off the curve
    const offCurve = `${name}+${id}+${Buffer.from(material).toString('base64')}`;
    expect(() => parseVerifierKey(offCurve)).to.throw(NoteFormatError, /vkey.key: an SM2 key/);
    const unknown = `${name}+${id}+${Buffer.from([0xff, ...utf8Encode('other/v1'), ...key.publicKey]).toString('base64')}`;
    expect(() => parseVerifierKey(unknown)).to.throw(NoteFormatError, /vkey.type/);
  });
});

describe('tlog: the suites do not mix', () => {
  const gmLog = sm2Key('sm2', 'bj.example/log');
  const gmWitness = sm2Key('sm2-cosignature/v1', 'tj.example/witness');
  const intlLog = ed25519Key('ed25519', 'bj.example/log');
  const intlWitness = ed25519Key('cosignature/v1', 'tj.example/witness');

  it('refuses an intl-signed checkpoint offered as gm, and a gm one offered as intl, naming the suites', () => {
    const intlNote = cosignedNote('intl', intlLog, []);
    const refused = verifyCheckpoint(intlNote, [verifierOf(intlLog), verifierOf(gmLog)], ['gm']);
    expect(refused).to.deep.equal({
      ok: false,
      rule: 'checkpoint.suite',
      reason: 'the checkpoint is of the intl crypto suite, not accepted here (accepted: gm)',
    });
    const gmNote = cosignedNote('gm', gmLog, []);
    expect(verifyCheckpoint(gmNote, [verifierOf(gmLog)], ['intl'])).to.include({
      ok: false,
      rule: 'checkpoint.suite',
    });
    expect(verifyCheckpoint(gmNote, [verifierOf(gmLog)], ['gm'])).to.include({ ok: true, suite: 'gm' });
  });

  it('refuses a checkpoint that says `crypto gm` but is signed by an Ed25519 log key (a relabelled intl log)', () => {
    const text = formatCheckpoint({
      origin: intlLog.name,
      size: 1,
      root: new Uint8Array(32),
      extensions: ['crypto gm'],
    });
    const note = signNote(text, [signerOf(intlLog)]);
    const checked = verifyCheckpoint(note, [verifierOf(intlLog)], ['gm']);
    expect(checked).to.include({ ok: false, rule: 'checkpoint.suite' });
    expect((checked as { reason: string }).reason).to.match(
      /is of the gm suite but its log key bj.example\/log is a intl ed25519 key/,
    );
    const twice = formatCheckpoint({
      origin: gmLog.name,
      size: 1,
      root: new Uint8Array(32),
      extensions: ['crypto gm', 'crypto intl'],
    });
    expect(() => checkpointSuite(parseCheckpoint(twice))).to.throw(NoteFormatError, /checkpoint.crypto/);
  });

  it('refuses a gm cosignature under an intl witness key, and a gm checkpoint pinned with intl witness keys', () => {
    const gmNote = cosignedNote('gm', gmLog, [gmWitness]);
    // the SM2 cosignature line relabelled with the intl witness's key ID: that key's check fails the whole note
    const sm2Line = parseNote(gmNote).signatures[1]!;
    const forged =
      signNote(parseNote(gmNote).text, [signerOf(gmLog)]) +
      formatSignatureLine({
        name: intlWitness.name,
        keyId: verifierOf(intlWitness).keyId,
        signature: sm2Line.signature,
      });
    const asIntl = verifyCosignedCheckpoint(forged, {
      logKeys: [verifierOf(gmLog)],
      witnessKeys: [verifierOf(intlWitness)],
      quorum: 1,
    });
    expect(asIntl).to.include({ ok: false, rule: 'checkpoint.suite' });
    expect((asIntl as { reason: string }).reason).to.match(
      /witness key tj.example\/witness is a intl cosignature\/v1 key/,
    );
  });

  it('refuses trust anchors whose keys are of another suite than their crypto line', () => {
    const text = [
      'approval-ledger-trust/v1',
      'crypto gm',
      `genesis embedded ${'ab'.repeat(32)}`,
      `log ${formatNoteVerifierKey('sm2', gmLog.name, gmLog.publicKey)}`,
      `witness TJ ${formatNoteVerifierKey('cosignature/v1', intlWitness.name, intlWitness.publicKey)}`,
      'quorum 1',
      '',
    ].join('\n');
    expect(() => parseTrustAnchors(text)).to.throw(
      /trust.crypto: the anchors are of the gm suite but key tj.example\/witness is a intl cosignature\/v1 key/,
    );
    const good = text.replace(
      /witness TJ .*/,
      `witness TJ ${formatNoteVerifierKey('sm2-cosignature/v1', gmWitness.name, gmWitness.publicKey)}`,
    );
    expect(parseTrustAnchors(good)).to.include({ crypto: 'gm', quorum: 1 });
    expect(() => parseTrustAnchors(good.replace('crypto gm', 'crypto sm9'))).to.throw(
      /trust.crypto: crypto sm9 is not intl or gm/,
    );
  });
});

describe('commitments in the gm suite', () => {
  const record = { id: 'M-1', region: 'BJ', note: '项目立项' };
  const salt = 'a5'.repeat(32);

  it('is SM3 of the same canonical {record, salt} text; the intl commitment is unchanged SHA-256', () => {
    const text = `{"record":${canonicalize(record)},"salt":"${salt}"}`;
    expect(commitment(record, salt, 'gm')).to.equal(sm3Hex(text));
    expect(commitment(record, salt)).to.equal(sha256Hex(text));
    expect(commitment(record, salt, 'intl')).to.equal(sha256Hex(text));
  });

  it('verifies only in its own suite', () => {
    const gm = commitment(record, salt, 'gm');
    expect(verifyCommitment(record, salt, gm, 'gm')).to.equal(true);
    expect(verifyCommitment(record, salt, gm)).to.equal(false);
    expect(verifyCommitment(record, salt, commitment(record, salt), 'gm')).to.equal(false);
    expect(() => commitment(record, salt, 'sm9' as 'gm')).to.throw(
      /suite: crypto suite "sm9" is not intl or gm/,
    );
  });

  it('gives the same SM3 commitment on the node:crypto path', () => {
    const js = commitment(record, salt, 'gm');
    useSm3(nodeSm3);
    try {
      expect(commitment(record, salt, 'gm')).to.equal(js);
    } finally {
      useSm3(undefined);
    }
    expect(hexToBytes(js)).to.have.length(32);
  });
});
