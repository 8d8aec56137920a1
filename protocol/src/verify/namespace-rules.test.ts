import { expect } from 'chai';
import {
  CHAINCODE_DEFINITIONS,
  chaincodeDefinition,
  recognitionNamespace,
  regionNamespace,
} from '../registries/namespaces.js';
import { definitionPolicy, recordNamespaceChecks } from './namespace-rules.js';

const peer = (mspId: string) => ({ mspId, role: 'peer' as const });
const statuses = (checks: readonly { status: string }[]) => checks.map((c) => c.status);

describe('chaincode namespaces', () => {
  it('declares one definition per region guarded by that region alone, and one per pair needing both', () => {
    expect(CHAINCODE_DEFINITIONS.map((d) => [d.namespace, d.signaturePolicy])).to.deep.equal([
      ['approval-beijing', "OR('BeijingMSP.peer')"],
      ['approval-tianjin', "OR('TianjinMSP.peer')"],
      ['approval-hebei', "OR('HebeiMSP.peer')"],
      ['approval-bj-tj', "AND('BeijingMSP.peer','TianjinMSP.peer')"],
      ['approval-bj-he', "AND('BeijingMSP.peer','HebeiMSP.peer')"],
      ['approval-tj-he', "AND('TianjinMSP.peer','HebeiMSP.peer')"],
    ]);
  });

  it('names a pair the same whichever region is the source', () => {
    expect(recognitionNamespace('HE', 'BJ')).to.equal(recognitionNamespace('BJ', 'HE'));
    expect(() => recognitionNamespace('TJ', 'TJ')).to.throw(/two different regions/);
    expect(chaincodeDefinition('approval')).to.equal(undefined);
  });
});

describe('definitionPolicy', () => {
  const beijing = definitionPolicy(regionNamespace('BJ'));
  const pair = definitionPolicy(recognitionNamespace('BJ', 'TJ'));

  it("refuses a Beijing-namespace write endorsed by Tianjin's peer, or by Tianjin's and Hebei's together", () => {
    expect(beijing?.([peer('TianjinMSP')])).to.equal(false);
    expect(beijing?.([peer('TianjinMSP'), peer('HebeiMSP')])).to.equal(false);
    expect(beijing?.([peer('BeijingMSP')])).to.equal(true);
  });

  it("refuses a Beijing member that is not a peer (a client's signature is not a peer's endorsement)", () => {
    expect(beijing?.([{ mspId: 'BeijingMSP', role: 'client' }])).to.equal(false);
  });

  it('needs both regions of a recognition pair, and no third region makes up for one', () => {
    expect(pair?.([peer('TianjinMSP')])).to.equal(false);
    expect(pair?.([peer('TianjinMSP'), peer('HebeiMSP')])).to.equal(false);
    expect(pair?.([peer('BeijingMSP'), peer('TianjinMSP')])).to.equal(true);
  });

  it('has no opinion on a namespace outside the plan', () => {
    expect(definitionPolicy('approval')).to.equal(undefined);
  });
});

describe('recordNamespaceChecks', () => {
  const milestone = { region: 'BJ' as const, kind: 'milestone' };

  it("accepts a Beijing milestone in Beijing's namespace endorsed by Beijing's peer", () => {
    const checks = recordNamespaceChecks(milestone, {
      namespace: 'approval-beijing',
      endorsers: [peer('BeijingMSP')],
    });
    expect(statuses(checks)).to.deep.equal(['verified', 'verified']);
  });

  it("refuses a Beijing milestone that a malicious Tianjin peer wrote into Tianjin's namespace", () => {
    const [namespace, endorsement] = recordNamespaceChecks(milestone, {
      namespace: 'approval-tianjin',
      endorsers: [peer('TianjinMSP')],
    });
    expect(namespace?.status).to.equal('failed');
    expect(namespace?.detail).to.contain('must be written in namespace approval-beijing');
    expect(endorsement?.status).to.equal('failed');
    expect(endorsement?.detail).to.contain('missing BeijingMSP.peer');
  });

  it("refuses a recognition between Beijing and Tianjin endorsed by Tianjin's peer alone", () => {
    const checks = recordNamespaceChecks(
      { region: 'BJ', otherRegion: 'TJ', kind: 'recognition' },
      { namespace: 'approval-bj-tj', endorsers: [peer('TianjinMSP'), peer('HebeiMSP')] },
    );
    expect(statuses(checks)).to.deep.equal(['verified', 'failed']);
  });

  it('says it could not check the namespace when the transaction does not name one', () => {
    const [namespace] = recordNamespaceChecks(milestone, {
      namespace: undefined,
      endorsers: [peer('BeijingMSP')],
    });
    expect(namespace?.status).to.equal('unchecked');
  });
});
