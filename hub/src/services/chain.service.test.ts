import { expect } from 'chai';
import { BlockJsonSchema as BlockSchema } from '@approval-ledger/protocol/api';
import { type LedgerBlock, type LedgerPort } from '../ledger';
import { type ChainIndex } from '../verification/chain-index';
import { ChainService } from './chain.service';

const CERT = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

function serviceFor(block: LedgerBlock): ChainService {
  const ledger: Pick<LedgerPort, 'getBlock'> = { getBlock: () => Promise.resolve(block) };
  return new ChainService(ledger as LedgerPort, {} as ChainIndex);
}

function blockWith(signature: LedgerBlock['signatures'][number]): LedgerBlock {
  return {
    number: 4,
    hash: 'ab'.repeat(32),
    previousHash: 'cd'.repeat(32),
    dataHash: 'ef'.repeat(32),
    dataHashScheme: 'fabric',
    signatures: [signature],
    transactions: [],
  };
}

describe('ChainService: block signatures', () => {
  it('sends a Fabric orderer signature’s signedPrefix as base64, kept by the response schema', async () => {
    const view = await serviceFor(
      blockWith({
        mspId: 'OrdererMSP',
        certificate: CERT,
        signature: new Uint8Array([1, 2]),
        signedPrefix: new Uint8Array([0x0a, 0x00, 0xff]),
      }),
    ).block(4);
    expect(view.signatures).to.deep.equal([
      { mspId: 'OrdererMSP', certificate: CERT, signature: 'AQI=', signedPrefix: 'CgD/' },
    ]);
    expect(BlockSchema.parse(view).signatures[0]?.signedPrefix).to.equal('CgD/');
  });

  it('sends no signedPrefix for a signature without one (the embedded engine)', async () => {
    const view = await serviceFor(
      blockWith({ mspId: 'OrdererMSP', certificate: CERT, signature: new Uint8Array([1]) }),
    ).block(4);
    expect(view.signatures[0]).to.not.have.property('signedPrefix');
    expect(BlockSchema.parse(view).signatures[0]).to.not.have.property('signedPrefix');
  });
});
