import { ed25519 } from '@noble/curves/ed25519';
import { expect } from 'chai';
import { readVectors } from '../../test/shared-vectors.js';
import { bytesToHex, hexToBytes, utf8Encode } from '../bytes.js';
import { leafHash, merkleRoot } from '../merkle.js';
import { base64ToBytes, bytesToBase64 } from '../proof/base64.js';
import vectors from './fixtures/transparency-dev-merkle.json';
import {
  consistencyProof,
  cosignatureSigner,
  ed25519NoteSigner,
  formatAddCheckpoint,
  formatCheckpoint,
  formatTrustAnchors,
  formatVerifierKey,
  inclusionPath,
  MemoryTree,
  NoteFormatError,
  parseAddCheckpoint,
  parseCheckpoint,
  parseNote,
  parseTrustAnchors,
  parseVerifierKey,
  signNote,
  SIGNATURE_TYPE,
  TrustAnchorsError,
  useEd25519,
  verifyCheckpoint,
  verifyConsistencyProof,
  verifyCosignedCheckpoint,
  verifyInclusionProof,
  verifyNote,
} from './index.js';

interface InclusionVector {
  leafIdx: number;
  treeSize: number;
  root: string;
  leafHash: string;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
}
interface ConsistencyVector {
  size1: number;
  size2: number;
  root1: string;
  root2: string;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
}

const b64 = (s: string): Uint8Array => base64ToBytes(s);
const inclusion = vectors.inclusion as Record<string, InclusionVector>;
const consistency = vectors.consistency as Record<string, ConsistencyVector>;
const RFC6962_LEAVES = readVectors<{ leaves: string[] }>('merkle-rfc6962.json').leaves.map(hexToBytes);

function keyPair(seed: number): { secret: Uint8Array; publicKey: Uint8Array } {
  const secret = new Uint8Array(32).fill(seed);
  return { secret, publicKey: ed25519.getPublicKey(secret) };
}

describe('tlog: RFC 6962 proofs against the transparency-dev/merkle vectors', () => {
  const tree = new MemoryTree(RFC6962_LEAVES.map((leaf) => leafHash(leaf)));

  it('holds all 98 inclusion and 98 consistency vectors', () => {
    expect(Object.keys(inclusion)).to.have.length(98);
    expect(Object.keys(consistency)).to.have.length(98);
  });

  for (const [file, v] of Object.entries(inclusion)) {
    it(`inclusion ${file}: ${v.wantErr ? 'refuses' : 'accepts'} (${v.desc})`, () => {
      const ok = verifyInclusionProof(
        b64(v.leafHash),
        v.leafIdx,
        v.treeSize,
        (v.proof ?? []).map(b64),
        b64(v.root),
      );
      expect(ok).to.equal(!v.wantErr);
      if (!v.wantErr && v.treeSize <= 8 && v.treeSize > 1 && file.endsWith('happy-path.json')) {
        const built = inclusionPath(tree, v.leafIdx, v.treeSize).map(bytesToBase64);
        expect(built).to.deep.equal(v.proof);
      }
    });
  }

  for (const [file, v] of Object.entries(consistency)) {
    it(`consistency ${file}: ${v.wantErr ? 'refuses' : 'accepts'} (${v.desc})`, () => {
      const ok = verifyConsistencyProof(
        v.size1,
        v.size2,
        (v.proof ?? []).map(b64),
        b64(v.root1),
        b64(v.root2),
      );
      expect(ok).to.equal(!v.wantErr);
      if (file.endsWith('happy-path.json') && v.size1 > 0) {
        expect(consistencyProof(tree, v.size1, v.size2).map(bytesToBase64)).to.deep.equal(v.proof ?? []);
      }
    });
  }

  it('generates proofs that verify for every pair of sizes up to 40, and refuses each off by one', () => {
    const big = new MemoryTree(Array.from({ length: 40 }, (_, i) => leafHash(utf8Encode(`leaf ${i}`))));
    for (let n = 1; n <= 40; n++) {
      const root = big.root(n);
      expect(bytesToHex(root)).to.equal(
        bytesToHex(merkleRoot(Array.from({ length: n }, (_, i) => utf8Encode(`leaf ${i}`)))),
      );
      for (let i = 0; i < n; i++) {
        const path = inclusionPath(big, i, n);
        expect(verifyInclusionProof(big.rangeHash(i, i + 1), i, n, path, root)).to.equal(true);
        if (n > 1)
          expect(verifyInclusionProof(big.rangeHash(i, i + 1), (i + 1) % n, n, path, root)).to.equal(false);
      }
      for (let m = 1; m <= n; m++) {
        const proof = consistencyProof(big, m, n);
        expect(verifyConsistencyProof(m, n, proof, big.root(m), root), `${m}->${n}`).to.equal(true);
        if (m < n) {
          // the same proof claimed from one leaf fewer or more: never a proof
          expect(verifyConsistencyProof(m - 1, n, proof, big.root(m - 1), root)).to.equal(false);
          if (m + 1 < n)
            expect(verifyConsistencyProof(m + 1, n, proof, big.root(m + 1), root)).to.equal(false);
        }
      }
    }
  });
});

describe('tlog: C2SP signed notes', () => {
  // c2sp.org/signed-note, "Verifier keys", Example
  const SPEC_VKEY = 'example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k';
  const SPEC_NOTE =
    'This is an example message.\n\n— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n';

  it("verifies the spec's example note with the spec's example verifier key", () => {
    const key = parseVerifierKey(SPEC_VKEY);
    expect(key.type).to.equal(SIGNATURE_TYPE.ed25519);
    expect(key.keyId).to.equal(0x530d903a);
    const result = verifyNote(SPEC_NOTE, [key]);
    expect(result.ok).to.equal(true);
    expect(result.ok && result.text).to.equal('This is an example message.\n');
  });

  it('recomputes the spec key id from name, type and key, and re-encodes the vkey identically', () => {
    const key = parseVerifierKey(SPEC_VKEY);
    expect(formatVerifierKey(key.name, SIGNATURE_TYPE.ed25519, key.publicKey)).to.equal(SPEC_VKEY);
  });

  it('refuses the spec note when its text is changed by one character', () => {
    const result = verifyNote(SPEC_NOTE.replace('example message', 'example massage'), [
      parseVerifierKey(SPEC_VKEY),
    ]);
    expect(result).to.include({ ok: false, rule: 'note.bad-signature' });
  });

  it('ignores signatures of unknown keys and refuses a note with no trusted signature', () => {
    const other = keyPair(7);
    const vkey = parseVerifierKey(
      formatVerifierKey('example.com/foo', SIGNATURE_TYPE.ed25519, other.publicKey),
    );
    // same name, different key (and so a different key id): the spec's signature is ignored, not failed
    expect(verifyNote(SPEC_NOTE, [vkey])).to.include({ ok: false, rule: 'note.no-trusted-signature' });
  });

  it('round-trips verifier keys whose base64 holds plus signs', () => {
    const vkeys = Array.from({ length: 40 }, (_, i) =>
      formatVerifierKey('example.com/k', SIGNATURE_TYPE.ed25519, keyPair(i + 1).publicKey),
    );
    expect(vkeys.some((v) => v.split('+').length > 3)).to.equal(true);
    for (const vkey of vkeys) expect(parseVerifierKey(vkey).vkey).to.equal(vkey);
  });

  it('refuses a vkey whose key id does not match, naming the rule', () => {
    expect(() => parseVerifierKey(SPEC_VKEY.replace('530d903a', '530d903b')))
      .to.throw(NoteFormatError)
      .with.property('rule', 'vkey.key-id');
  });

  it('refuses malformed notes with the rule broken', () => {
    expect(() => parseNote('no blank line\n— a b\n'))
      .to.throw(NoteFormatError)
      .with.property('rule', 'note.form');
    expect(() => parseNote('text\n\n— a AAAA\n'))
      .to.throw(NoteFormatError)
      .with.property('rule', 'note.signature');
    expect(() => parseNote('te\u0007xt\n\n— a AAAAAAAA\n'))
      .to.throw(NoteFormatError)
      .with.property('rule', 'note.control');
  });

  it('verifies with a registered Ed25519 and refuses to register a broken one', () => {
    expect(() => useEd25519(() => true)).to.throw(TypeError, /RFC 8032/);
    useEd25519((publicKey, message, signature) => ed25519.verify(signature, message, publicKey));
    try {
      expect(verifyNote(SPEC_NOTE, [parseVerifierKey(SPEC_VKEY)]).ok).to.equal(true);
    } finally {
      useEd25519(undefined);
    }
  });
});

describe('tlog: checkpoints and cosignatures', () => {
  const ORIGIN = 'bj.approval-ledger.example/log/test';
  const log = keyPair(1);
  const tj = keyPair(2);
  const he = keyPair(3);
  const logSigner = ed25519NoteSigner(ORIGIN, log.publicKey, (m) => ed25519.sign(m, log.secret));
  const logKey = parseVerifierKey(formatVerifierKey(ORIGIN, SIGNATURE_TYPE.ed25519, log.publicKey));
  const tjName = 'tj.approval-ledger.example/witness';
  const heName = 'he.approval-ledger.example/witness';
  const tjKey = parseVerifierKey(formatVerifierKey(tjName, SIGNATURE_TYPE.cosignatureV1, tj.publicKey));
  const heKey = parseVerifierKey(formatVerifierKey(heName, SIGNATURE_TYPE.cosignatureV1, he.publicKey));
  const tjCosigner = cosignatureSigner(
    tjName,
    tj.publicKey,
    (m) => ed25519.sign(m, tj.secret),
    () => 1_700_000_000,
  );
  const heCosigner = cosignatureSigner(
    heName,
    he.publicKey,
    (m) => ed25519.sign(m, he.secret),
    () => 1_700_000_001,
  );
  const tree = new MemoryTree(RFC6962_LEAVES.map((l) => leafHash(l)));

  const checkpointAt = (size: number): string =>
    formatCheckpoint({ origin: ORIGIN, size, root: tree.root(size) });
  const trust = { logKeys: [logKey], witnessKeys: [tjKey, heKey], quorum: 2 };

  it("formats and parses the spec's checkpoint body", () => {
    const text = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';
    const head = parseCheckpoint(text);
    expect(head).to.include({ origin: 'example.com/behind-the-sofa', size: 20852163 });
    expect(formatCheckpoint(head)).to.equal(text);
    expect(() => parseCheckpoint('o\n012\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n'))
      .to.throw(NoteFormatError)
      .with.property('rule', 'checkpoint.size');
  });

  it('verifies a checkpoint cosigned by both witnesses, with their timestamps', () => {
    const note = signNote(checkpointAt(5), [logSigner, tjCosigner, heCosigner]);
    const result = verifyCosignedCheckpoint(note, trust);
    expect(result.ok, JSON.stringify(result)).to.equal(true);
    if (result.ok) {
      expect(result.head.size).to.equal(5);
      expect(result.cosignatures).to.deep.equal([
        { witness: tjName, time: 1_700_000_000 },
        { witness: heName, time: 1_700_000_001 },
      ]);
    }
  });

  it('does not accept an old cosignature replayed onto a newer checkpoint', () => {
    const old = parseNote(signNote(checkpointAt(5), [logSigner, tjCosigner, heCosigner]));
    const fresh = signNote(checkpointAt(8), [logSigner]);
    const replayed =
      fresh +
      old.signatures
        .slice(1)
        .map((s) => `— ${s.name} ${bytesToBase64(Uint8Array.from([...idBytes(s.keyId), ...s.signature]))}\n`)
        .join('');
    const result = verifyCosignedCheckpoint(replayed, trust);
    expect(result).to.include({ ok: false, rule: 'note.bad-signature' });
  });

  it('refuses a checkpoint signed by a key that is not the trusted log key', () => {
    const rogue = keyPair(9);
    const signer = ed25519NoteSigner(ORIGIN, rogue.publicKey, (m) => ed25519.sign(m, rogue.secret));
    const note = signNote(checkpointAt(3), [signer]);
    expect(verifyCheckpoint(note, [logKey])).to.include({ ok: false, rule: 'note.no-trusted-signature' });
  });

  it('refuses a checkpoint short of the witness quorum', () => {
    const note = signNote(checkpointAt(5), [logSigner, tjCosigner]);
    expect(verifyCosignedCheckpoint(note, trust)).to.include({ ok: false, rule: 'checkpoint.quorum' });
  });

  it('round-trips an add-checkpoint request body as tlog-witness lays it out', () => {
    const note = signNote(checkpointAt(8), [logSigner]);
    const body = formatAddCheckpoint({ oldSize: 6, proof: consistencyProof(tree, 6, 8), checkpoint: note });
    expect(body.startsWith('old 6\n')).to.equal(true);
    const parsed = parseAddCheckpoint(body);
    expect(parsed.oldSize).to.equal(6);
    expect(parsed.checkpoint).to.equal(note);
    expect(parsed.proof.map(bytesToHex)).to.deep.equal(consistencyProof(tree, 6, 8).map(bytesToHex));
    expect(() => parseAddCheckpoint(`old 06\n\n${note}`))
      .to.throw(NoteFormatError)
      .with.property('rule', 'add-checkpoint.old');
  });
});

describe('tlog: trust anchors', () => {
  const log = parseVerifierKey(
    formatVerifierKey('bj.example/log', SIGNATURE_TYPE.ed25519, keyPair(1).publicKey),
  );
  const tj = parseVerifierKey(
    formatVerifierKey('tj.example/w', SIGNATURE_TYPE.cosignatureV1, keyPair(2).publicKey),
  );
  const anchors = {
    crypto: 'intl' as const,
    genesis: { engine: 'embedded' as const, blockHash: 'ab'.repeat(32) },
    logs: [log],
    witnesses: [{ region: 'TJ' as const, key: tj }],
    quorum: 1,
  };

  it('round-trips through the text form', () => {
    const text = formatTrustAnchors(anchors);
    const parsed = parseTrustAnchors(`# published by BJ\n${text}`);
    expect(parsed.genesis).to.deep.equal(anchors.genesis);
    expect(parsed.logs.map((k) => k.vkey)).to.deep.equal([log.vkey]);
    expect(parsed.witnesses.map((w) => [w.region, w.key.vkey])).to.deep.equal([['TJ', tj.vkey]]);
    expect(parsed.quorum).to.equal(1);
  });

  it('refuses a witness key given as a log key, naming the line and rule', () => {
    const text = formatTrustAnchors({ ...anchors, logs: [tj] });
    expect(() => parseTrustAnchors(text))
      .to.throw(TrustAnchorsError)
      .with.property('rule', 'trust.log');
  });

  it('refuses a quorum larger than the witnesses listed', () => {
    expect(() => parseTrustAnchors(formatTrustAnchors({ ...anchors, quorum: 2 })))
      .to.throw(TrustAnchorsError)
      .with.property('rule', 'trust.quorum');
  });
});

function idBytes(id: number): number[] {
  return [id >>> 24, (id >>> 16) & 0xff, (id >>> 8) & 0xff, id & 0xff];
}
