// Cross-region mutual recognition (京津冀互认) and the registry of officials who sign its decisions.
import {
  EthAddressSchema,
  RecognitionDecisionSchema,
  RecognitionRequestSchema,
  RecognitionStatusSchema,
  RecordIdSchema,
  REGION_CODES,
  RegionSchema,
  SignerRegistrationSchema,
  canonicalize,
  type RegionCode,
} from '@approval-ledger/protocol';
import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import type { RecognitionView, SignerEntry } from '../ledger/entries';
import { check, parseArg } from '../ledger/input';
import { KEY } from '../ledger/keys';
import { LedgerState } from '../ledger/ledger-state';
import { regionState } from '../ledger/namespace-state';
import { recognitionView } from '../rules/recognition-status';
import { decideRecognition, readRecognition, requestRecognition } from '../services/recognition-service';
import { readSigner, registerSigner, revokeSigner, rotateSigner } from '../services/signer-registry';

const optionalRegion = (arg: string, value: string): RegionCode[] =>
  value === '' ? [...REGION_CODES] : [check(RegionSchema, arg, value)];

@Info({
  title: 'recognition',
  description:
    'Cross-region recognition: request, EIP-712 signed decision, board by source/target/status; signer registry',
})
export class RecognitionContract extends Contract {
  constructor() {
    super('recognition');
  }

  /** Asks to recognise another region's certificate or milestone (authority of the target region). */
  @Transaction()
  @Returns('string')
  async Request(ctx: Context, request: string): Promise<string> {
    return canonicalize(
      await requestRecognition(ctx, parseArg(RecognitionRequestSchema, 'request', request)),
    );
  }

  /** Recognises or rejects, with the EIP-712 signature of a registered official of the target region. */
  @Transaction()
  @Returns('string')
  async Decide(ctx: Context, decision: string): Promise<string> {
    return canonicalize(
      await decideRecognition(ctx, parseArg(RecognitionDecisionSchema, 'decision', decision)),
    );
  }

  /** A recognition with its status (SOURCE_REVOKED once the recognised certificate is revoked). */
  @Transaction(false)
  @Returns('string')
  async Get(ctx: Context, id: string): Promise<string> {
    const state = new LedgerState(ctx);
    const entry = await readRecognition(state, check(RecordIdSchema, 'id', id));
    return canonicalize(await recognitionView(regionState(ctx, state, entry.sourceRegion), entry));
  }

  /** The recognition board, by id: filter by source region, target region and status ('' for any). */
  @Transaction(false)
  @Returns('string')
  async List(ctx: Context, source: string, target: string, status: string): Promise<string> {
    const sources = optionalRegion('source', source);
    const targets = optionalRegion('target', target);
    const wanted = status === '' ? undefined : check(RecognitionStatusSchema, 'status', status);
    const state = new LedgerState(ctx);
    const out: RecognitionView[] = [];
    for (const s of sources) {
      for (const t of targets) {
        if (s === t) continue;
        for (const { value: id } of await state.list<string>(KEY.recognitionByRoute, [s, t])) {
          const entry = await readRecognition(state, id);
          const view = await recognitionView(regionState(ctx, state, entry.sourceRegion), entry);
          if (!wanted || view.status === wanted) out.push(view);
        }
      }
    }
    return canonicalize(out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)));
  }

  /** Registers an official's address as a signer of recognition decisions (admin of that region). */
  @Transaction()
  @Returns('string')
  async RegisterSigner(ctx: Context, registration: string): Promise<string> {
    return canonicalize(
      await registerSigner(ctx, parseArg(SignerRegistrationSchema, 'registration', registration)),
    );
  }

  /** Replaces a signer's key: the old address is revoked and the new one registered, in one transaction. */
  @Transaction()
  @Returns('string')
  async RotateSigner(ctx: Context, oldAddress: string, registration: string): Promise<string> {
    const old = check(EthAddressSchema, 'oldAddress', oldAddress);
    return canonicalize(
      await rotateSigner(ctx, old, parseArg(SignerRegistrationSchema, 'registration', registration)),
    );
  }

  /** Revokes a signer (admin of that region): its signatures are refused from now on. */
  @Transaction()
  @Returns('string')
  async RevokeSigner(ctx: Context, region: string, address: string): Promise<string> {
    return canonicalize(
      await revokeSigner(
        ctx,
        check(RegionSchema, 'region', region),
        check(EthAddressSchema, 'address', address),
      ),
    );
  }

  @Transaction(false)
  @Returns('string')
  async GetSigner(ctx: Context, region: string, address: string): Promise<string> {
    const r = check(RegionSchema, 'region', region);
    return canonicalize(
      await readSigner(new LedgerState(ctx), r, check(EthAddressSchema, 'address', address)),
    );
  }

  /** A region's signers, revoked ones included. */
  @Transaction(false)
  @Returns('string')
  async ListSigners(ctx: Context, region: string): Promise<string> {
    const listed = await new LedgerState(ctx).list<SignerEntry>(KEY.signer, [
      check(RegionSchema, 'region', region),
    ]);
    return canonicalize(listed.map((l) => l.value));
  }
}
