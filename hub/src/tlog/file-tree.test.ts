import { appendFileSync, mkdtempSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesToHex, consistencyProof, inclusionPath, MemoryTree, sha256 } from '@approval-ledger/protocol';
import { expect } from 'chai';
import { FileTree } from './file-tree';

const leaf = (i: number): Uint8Array => sha256(new Uint8Array([i & 0xff, i >> 8]));
const hex = (hashes: readonly Uint8Array[]): string[] => hashes.map(bytesToHex);

describe('FileTree: the log tree on disk', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'file-tree-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the same roots and proofs as an in-memory tree at every size, across reopening', () => {
    const memory = new MemoryTree();
    let tree = FileTree.open(dir);
    for (let i = 0; i < 70; i++) {
      tree.append([leaf(i)]);
      memory.append(leaf(i));
      if (i % 17 === 16) {
        tree.close();
        tree = FileTree.open(dir);
      }
      const n = tree.size;
      expect(bytesToHex(tree.rangeHash(0, n))).to.equal(bytesToHex(memory.root(n)));
      for (let k = 0; k < n; k += 5)
        expect(hex(inclusionPath(tree, k, n))).to.deep.equal(hex(inclusionPath(memory, k, n)));
      for (let m = 1; m <= n; m += 7)
        expect(hex(consistencyProof(tree, m, n))).to.deep.equal(hex(consistencyProof(memory, m, n)));
    }
    tree.close();
  });

  it('reopens a tree torn by a crash to a consistent prefix (a cut leaf, lost upper levels)', () => {
    const memory = new MemoryTree();
    const tree = FileTree.open(dir);
    for (let i = 0; i < 37; i++) {
      tree.append([leaf(i)]);
      memory.append(leaf(i));
    }
    tree.close();
    appendFileSync(join(dir, 'level-00.bin'), Buffer.alloc(13, 7)); // half a leaf written
    truncateSync(join(dir, 'level-01.bin'), 32 * 5); // upper levels lost
    truncateSync(join(dir, 'level-03.bin'), 0);
    const reopened = FileTree.open(dir);
    expect(reopened.size).to.equal(37);
    expect(bytesToHex(reopened.rangeHash(0, 37))).to.equal(bytesToHex(memory.root(37)));
    reopened.append([leaf(37)]);
    memory.append(leaf(37));
    expect(bytesToHex(reopened.rangeHash(0, 38))).to.equal(bytesToHex(memory.root(38)));
    reopened.close();
  });
});
