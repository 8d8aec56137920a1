import * as grpc from '@grpc/grpc-js';
import { Metadata, status as grpcStatus, type ServiceError } from '@grpc/grpc-js';
import { EndorseError, GatewayError } from '@hyperledger/fabric-gateway';
import { expect } from 'chai';
import {
  ChaincodeError,
  ChaincodeForbiddenError,
  LedgerUnavailableError,
  RecordConflictError,
  TransactionInvalidError,
} from '../errors';
import { fabricManifestEntry, readFabricFixture } from '../../../test/support/fabric-fixtures';
import { envelopeOfPreparedTransaction } from './fabric-decoding';
import { type LedgerBlock, type LedgerTransaction } from '../ledger-port';
import { chaincodeNamesOf } from '../namespace-mode';
import {
  chaincodeEventsOfBlock,
  commitOutcome,
  committedTransaction,
  FABRIC_MAX_MESSAGE_BYTES,
  gatewayChannelOptions,
  gatewayCheckpoint,
  mapGatewayError,
  toLedgerChaincodeEvent,
} from './fabric-ledger';

function serviceError(code: number, details: string): ServiceError {
  return Object.assign(new Error(`${code} ${details}`), { code, details, metadata: new Metadata() });
}

describe('Fabric engine mapping', () => {
  describe('gateway errors', () => {
    it("turns the chaincode's coded refusal in the endorsement details into its typed error", () => {
      const error = new EndorseError({
        code: grpcStatus.ABORTED,
        details: [
          {
            address: 'peer0.beijing.ledger.gov.cn:7051',
            mspId: 'BeijingMSP',
            message:
              'chaincode response 500, RECORD_CONFLICT: milestone m1 is already anchored with commitment aa; refused commitment bb',
          },
        ],
        cause: serviceError(grpcStatus.ABORTED, 'failed to endorse transaction'),
        transactionId: 'tx1',
        message: '10 ABORTED: failed to endorse transaction, see attached details for more info',
      });
      const mapped = mapGatewayError(error);
      expect(mapped).to.be.instanceOf(RecordConflictError);
      expect(mapped).to.include({ code: 'RECORD_CONFLICT', txId: 'tx1' });
      expect((mapped as RecordConflictError).detail).to.include('refused commitment bb');
    });

    it('finds the code in an evaluate error message too', () => {
      const error = new GatewayError({
        code: grpcStatus.UNKNOWN,
        details: [],
        cause: serviceError(grpcStatus.UNKNOWN, 'x'),
        message:
          '2 UNKNOWN: evaluate call to endorser returned error: chaincode response 500, FORBIDDEN_ROLE: auditors write nothing',
      });
      expect(mapGatewayError(error)).to.be.instanceOf(ChaincodeForbiddenError);
    });

    it('reports an unreachable or timed-out network as LedgerUnavailableError', () => {
      for (const code of [grpcStatus.UNAVAILABLE, grpcStatus.DEADLINE_EXCEEDED]) {
        const error = new GatewayError({
          code,
          details: [],
          cause: serviceError(code, 'no connection'),
          message: 'no connection',
        });
        expect(mapGatewayError(error)).to.be.instanceOf(LedgerUnavailableError);
      }
    });

    it('keeps an uncoded endorsement failure as ChaincodeError UNKNOWN, and passes other errors through', () => {
      const error = new EndorseError({
        code: grpcStatus.ABORTED,
        details: [
          { address: 'a', mspId: 'BeijingMSP', message: 'chaincode response 500, TypeError: x is undefined' },
        ],
        cause: serviceError(grpcStatus.ABORTED, 'x'),
        transactionId: 'tx2',
      });
      const mapped = mapGatewayError(error) as ChaincodeError;
      expect(mapped.constructor).to.equal(ChaincodeError);
      expect(mapped.code).to.equal('UNKNOWN');
      const plain = new Error('plain');
      expect(mapGatewayError(plain)).to.equal(plain);
    });
  });

  describe('commit status', () => {
    it('returns the position of a successful transaction', () => {
      expect(
        commitOutcome({ blockNumber: 12n, code: 0, successful: true, transactionId: 't' }),
      ).to.deep.equal({ txId: 't', blockNumber: 12 });
    });

    it('throws TransactionInvalidError with the code name of an invalid one', () => {
      try {
        commitOutcome({ blockNumber: 13n, code: 11, successful: false, transactionId: 't' });
        expect.fail('should throw');
      } catch (error) {
        expect(error).to.be.instanceOf(TransactionInvalidError);
        expect(error).to.include({ txId: 't', blockNumber: 13, validationCode: 'MVCC_READ_CONFLICT' });
      }
    });
  });

  describe('a submitted transaction, from the bytes a real Fabric network produced', () => {
    const TX_ID = '471c113dd63ff001a9261172e91d42bc9928c4e81ef692d7c2252bb6a7221cd5';
    const committed = { blockNumber: 236n, code: 0, successful: true, transactionId: TX_ID } as const;
    const result = (): Uint8Array => readFabricFixture('result-valid.bin');

    it('takes the signed envelope out of the PreparedTransaction: the block data entry byte for byte', () => {
      const { txId, envelope } = envelopeOfPreparedTransaction(readFabricFixture('prepared-transaction.bin'));
      expect(txId).to.equal(TX_ID);
      expect(Buffer.from(envelope).equals(Buffer.from(readFabricFixture('envelope.bin')))).to.equal(true);
      const { expected } = fabricManifestEntry<{ expected: { envelopeBytes: number } }>(
        'prepared-transaction.bin',
      );
      expect(envelope.length).to.equal(expected.envelopeBytes);
    });

    it('reports a VALID transaction as committed, with the chaincode event its envelope carries', () => {
      const tx = committedTransaction(
        readFabricFixture('prepared-transaction.bin'),
        result(),
        committed,
        'approval-ledger',
      );
      expect(tx).to.include({ txId: TX_ID, blockNumber: 236, validationCode: 'VALID' });
      expect(tx.event).to.include({
        txId: TX_ID,
        blockNumber: 236,
        chaincodeName: 'approval-ledger',
        eventName: 'MilestonesRecorded',
      });
      expect(
        Buffer.from(tx.event?.payload ?? []).equals(
          Buffer.from(readFabricFixture('event-payload-valid.bin')),
        ),
      ).to.equal(true);
    });

    it('refuses the bytes read before submit(): fabric-gateway signs the envelope only then', () => {
      expect(() =>
        envelopeOfPreparedTransaction(readFabricFixture('prepared-transaction-unsigned.bin')),
      ).to.throw(/PreparedTransaction\.envelope\.signature .*must be signed/);
    });

    it('still throws TransactionInvalidError for an invalid commit status', () => {
      expect(() =>
        committedTransaction(
          readFabricFixture('prepared-transaction.bin'),
          result(),
          { ...committed, code: 10, successful: false },
          'approval-ledger',
        ),
      ).to.throw(TransactionInvalidError);
    });
  });

  describe('events and checkpoints', () => {
    it("presents a port checkpoint as Fabric Gateway's Checkpoint", () => {
      expect(gatewayCheckpoint({ blockNumber: 5, transactionId: 'x' }).getBlockNumber()).to.equal(5n);
      expect(
        gatewayCheckpoint({ blockNumber: undefined, transactionId: undefined }).getBlockNumber(),
      ).to.equal(undefined);
      expect(gatewayCheckpoint({ blockNumber: 5, transactionId: 'x' }).getTransactionId()).to.equal('x');
    });

    it('maps a gateway chaincode event to the port event', () => {
      const payload = new Uint8Array([1]);
      const event = toLedgerChaincodeEvent({
        blockNumber: 9n,
        transactionId: 't',
        chaincodeName: 'approval-ledger',
        eventName: 'E',
        payload,
      });
      expect(event).to.deep.equal({
        blockNumber: 9,
        txId: 't',
        chaincodeName: 'approval-ledger',
        eventName: 'E',
        payload,
      });
    });

    it("reads the chaincode events of every namespace of the plan out of a block's valid transactions, in order, after the checkpoint", () => {
      const tx = (txId: string, chaincodeName: string, validationCode = 'VALID', event = true) =>
        ({
          txId,
          chaincodeName,
          validationCode,
          ...(event ? { event: { eventName: `E-${txId}`, payload: new Uint8Array([1]) } } : {}),
        }) as unknown as LedgerTransaction;
      const block = {
        number: 12,
        transactions: [
          tx('a', 'approval-beijing'),
          tx('b', 'approval-bj-tj'),
          tx('c', 'approval-tianjin', 'MVCC_READ_CONFLICT'),
          tx('d', 'approval-ledger'),
          tx('e', 'approval-hebei', 'VALID', false),
          tx('f', 'approval-tj-he'),
        ],
      } as unknown as LedgerBlock;
      const plan = new Set(chaincodeNamesOf('plan'));
      const all = chaincodeEventsOfBlock(block, plan);
      expect(all.map((e) => [e.txId, e.chaincodeName, e.blockNumber])).to.deep.equal([
        ['a', 'approval-beijing', 12],
        ['b', 'approval-bj-tj', 12],
        ['f', 'approval-tj-he', 12],
      ]);
      const resumed = chaincodeEventsOfBlock(block, plan, { blockNumber: 12, transactionId: 'b' });
      expect(resumed.map((e) => e.txId)).to.deep.equal(['f']);
      const laterBlock = chaincodeEventsOfBlock(block, plan, { blockNumber: 11, transactionId: 'b' });
      expect(laterBlock.map((e) => e.txId)).to.deep.equal(['a', 'b', 'f']);
    });
  });
});

describe('Fabric engine gRPC channel', () => {
  // A block of a real Fabric network was 5,153,195 bytes: the gateway client must accept it, as a peer does.
  const BLOCK_BYTES = 5_153_195;
  const method = {
    path: '/test.Blocks/Get',
    requestStream: false,
    responseStream: false,
    requestSerialize: (b: Buffer) => b,
    requestDeserialize: (b: Buffer) => b,
    responseSerialize: (b: Buffer) => b,
    responseDeserialize: (b: Buffer) => b,
  } as const;
  let server: grpc.Server;
  let address: string;

  before(async () => {
    server = new grpc.Server({ 'grpc.max_send_message_length': -1 });
    server.addService(
      { get: method },
      {
        get: (_call: unknown, callback: grpc.sendUnaryData<Buffer>) =>
          callback(null, Buffer.alloc(BLOCK_BYTES, 7)),
      },
    );
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) =>
        e ? reject(e) : resolve(p),
      ),
    );
    address = `127.0.0.1:${port}`;
  });

  after(() => server.forceShutdown());

  function fetch(options: grpc.ChannelOptions): Promise<Buffer> {
    const client = new grpc.Client(address, grpc.credentials.createInsecure(), options);
    return new Promise<Buffer>((resolve, reject) =>
      client.makeUnaryRequest(
        method.path,
        method.requestSerialize,
        method.responseDeserialize,
        Buffer.alloc(0),
        (error: ServiceError | null, value?: Buffer) => {
          client.close();
          if (error) reject(error);
          else resolve(value ?? Buffer.alloc(0));
        },
      ),
    );
  }

  it("accepts messages up to Fabric's 100 MiB, not grpc-js's 4 MiB (a 5 MB block)", async () => {
    expect(FABRIC_MAX_MESSAGE_BYTES).to.equal(100 * 1024 * 1024);
    expect((await fetch(gatewayChannelOptions('peer0.beijing.ledger.gov.cn'))).length).to.equal(BLOCK_BYTES);
    const refused = await fetch({}).then(
      () => undefined,
      (error: ServiceError) => error,
    );
    expect(refused?.code).to.equal(grpcStatus.RESOURCE_EXHAUSTED);
  });

  it('keeps the TLS host name override of the profile', () => {
    expect(gatewayChannelOptions('peer0.beijing.ledger.gov.cn')).to.include({
      'grpc.ssl_target_name_override': 'peer0.beijing.ledger.gov.cn',
    });
    expect(gatewayChannelOptions()).not.to.have.property('grpc.ssl_target_name_override');
  });
});
