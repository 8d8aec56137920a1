import { expect } from 'chai';
import fc from 'fast-check';
import { readVectors } from '../test/shared-vectors.js';
import { bytesToHex, hexToBytes, utf8Encode } from './bytes.js';
import { inclusionProof, leafHash, merkleRoot, nodeHash, verifyInclusion } from './merkle.js';

interface MerkleVectors {
  leaves: string[];
  roots: { size: number; root: string }[];
  inclusion: { index: number; size: number; leaf: string; path: string[]; root: string }[];
}

describe('Merkle trees (RFC 6962)', () => {
  const vectors = readVectors<MerkleVectors>('merkle-rfc6962.json');
  const leaves = vectors.leaves.map(hexToBytes);

  describe('shared vectors', () => {
    vectors.roots.forEach(({ size, root }) => {
      it(`hashes the first ${size} leaves to the vector root`, () => {
        expect(bytesToHex(merkleRoot(leaves.slice(0, size)))).to.equal(root);
      });
    });

    vectors.inclusion.forEach(({ index, size, leaf, path, root }) => {
      it(`builds and verifies the path of leaf ${index} in a tree of ${size}`, () => {
        const tree = leaves.slice(0, size);
        expect(inclusionProof(index, tree).map(bytesToHex)).to.deep.equal(path);
        expect(verifyInclusion(hexToBytes(leaf), index, size, path.map(hexToBytes), hexToBytes(root))).to.be
          .true;
      });
    });
  });

  it('hashes the empty tree to SHA-256 of nothing', () => {
    expect(bytesToHex(merkleRoot([]))).to.equal(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });

  it('separates leaves from nodes so a node cannot pass as a leaf', () => {
    const [a, b] = [utf8Encode('a'), utf8Encode('b')];
    expect(bytesToHex(merkleRoot([a, b]))).to.equal(bytesToHex(nodeHash(leafHash(a), leafHash(b))));
    const forged = new Uint8Array([...leafHash(a), ...leafHash(b)]);
    expect(bytesToHex(merkleRoot([forged]))).to.not.equal(bytesToHex(merkleRoot([a, b])));
  });

  it('lets the proof of one of two equal neighbouring leaves prove the other position too', () => {
    const tree = [utf8Encode('same'), utf8Encode('same'), utf8Encode('other')];
    const proof = inclusionProof(1, tree);
    expect(verifyInclusion(utf8Encode('same'), 0, 3, proof, merkleRoot(tree))).to.be.true;
    expect(verifyInclusion(utf8Encode('other'), 0, 3, proof, merkleRoot(tree))).to.be.false;
  });

  it('refuses to prove an index outside the tree', () => {
    expect(() => inclusionProof(3, leaves.slice(0, 3))).to.throw(
      RangeError,
      /index 3 is outside a tree of 3/,
    );
    expect(() => inclusionProof(-1, leaves)).to.throw(RangeError);
    expect(() => inclusionProof(0.5, leaves)).to.throw(RangeError);
  });

  it('rejects rather than throws on malformed proofs', () => {
    const tree = leaves.slice(0, 5);
    const root = merkleRoot(tree);
    const proof = inclusionProof(1, tree);
    expect(verifyInclusion(tree[1] as Uint8Array, 1, 0, proof, root)).to.be.false;
    expect(verifyInclusion(tree[1] as Uint8Array, 5, 5, proof, root)).to.be.false;
    expect(verifyInclusion(tree[1] as Uint8Array, 1, 5, [...proof, proof[0] as Uint8Array], root)).to.be
      .false;
    expect(verifyInclusion(tree[1] as Uint8Array, 1, 5, proof.slice(1), root)).to.be.false;
    expect(verifyInclusion(tree[1] as Uint8Array, 1, 5, [new Uint8Array(31), ...proof.slice(1)], root)).to.be
      .false;
    expect(verifyInclusion(tree[1] as Uint8Array, 1, 5, proof, root.slice(1))).to.be.false;
  });

  it('builds the root and a proof of 10 000 leaves without quadratic work', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => utf8Encode(`record-${i}`));
    const started = Date.now();
    const root = merkleRoot(many);
    const proof = inclusionProof(7_777, many);
    expect(verifyInclusion(many[7_777] as Uint8Array, 7_777, many.length, proof, root)).to.be.true;
    expect(proof).to.have.length(14);
    expect(Date.now() - started).to.be.below(5_000); // ~0.3 s on a 2-core CI machine; quadratic would take minutes
  });

  describe('properties', () => {
    // Distinct leaves: with two equal leaves, either index is a true statement about the tree.
    const tree = fc
      .uniqueArray(fc.uint8Array({ maxLength: 40 }), { minLength: 1, maxLength: 300, selector: bytesToHex })
      .chain((ls) => fc.record({ leaves: fc.constant(ls), index: fc.nat({ max: ls.length - 1 }) }));

    it('verifies the inclusion proof of every random leaf', () => {
      fc.assert(
        fc.property(tree, ({ leaves: ls, index }) => {
          const proof = inclusionProof(index, ls);
          expect(verifyInclusion(ls[index] as Uint8Array, index, ls.length, proof, merkleRoot(ls))).to.be
            .true;
        }),
        { numRuns: 200 },
      );
    });

    it('fails when any byte of the leaf, the proof or the root flips', () => {
      fc.assert(
        fc.property(tree, fc.nat(), fc.integer({ min: 1, max: 255 }), ({ leaves: ls, index }, pick, mask) => {
          const leaf = ls[index] as Uint8Array;
          const proof = inclusionProof(index, ls);
          const root = merkleRoot(ls);
          const targets = [leaf, ...proof, root].filter((t) => t.length > 0);
          const target = targets[pick % targets.length] as Uint8Array;
          const byte = pick % target.length;
          const flip = (t: Uint8Array): Uint8Array => {
            if (t !== target) return t;
            const copy = t.slice();
            copy[byte] = (copy[byte] as number) ^ mask;
            return copy;
          };
          expect(verifyInclusion(flip(leaf), index, ls.length, proof.map(flip), flip(root))).to.be.false;
        }),
        { numRuns: 300 },
      );
    });

    it('fails when the index changes', () => {
      fc.assert(
        fc.property(tree, fc.integer({ min: 1, max: 299 }), ({ leaves: ls, index }, shift) => {
          fc.pre(ls.length > 1);
          const other = (index + shift) % ls.length;
          fc.pre(other !== index);
          const proof = inclusionProof(index, ls);
          expect(verifyInclusion(ls[index] as Uint8Array, other, ls.length, proof, merkleRoot(ls))).to.be
            .false;
        }),
        { numRuns: 200 },
      );
    });
  });
});
