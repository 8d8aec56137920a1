// The reads another namespace of the plan makes here by chaincode-to-chaincode calls (see
// `ledger/namespace-state.ts`): one entry or the entries under a partial key, as stored (canonical JSON).
// Read-only; what it returns is readable on the channel anyway.
import { canonicalize } from '@approval-ledger/protocol';
import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { fail } from '../ledger/fail';
import { parseJson } from '../ledger/input';
import { KEY, type KeyType } from '../ledger/keys';
import { LedgerState } from '../ledger/ledger-state';

const KEY_TYPES = new Set<string>(Object.values(KEY));
const MAX_ATTRIBUTES = 8;

function keyTypeOf(type: string): KeyType {
  return KEY_TYPES.has(type)
    ? (type as KeyType)
    : fail('VALIDATION_FAILED', `type: ${type} is not a key type`);
}

function attributesOf(arg: string, text: string): string[] {
  const parsed = parseJson(arg, text);
  if (!Array.isArray(parsed) || parsed.length > MAX_ATTRIBUTES || !parsed.every((a) => typeof a === 'string'))
    fail('VALIDATION_FAILED', `${arg}: must be an array of at most ${MAX_ATTRIBUTES} strings`);
  return parsed;
}

@Info({ title: 'state', description: 'Reads for chaincode-to-chaincode calls from the other namespaces' })
export class StateContract extends Contract {
  constructor() {
    super('state');
  }

  /** The entry under (type, attributes) as canonical JSON, or '' when there is none. */
  @Transaction(false)
  @Returns('string')
  async Get(ctx: Context, type: string, attributes: string): Promise<string> {
    const state = new LedgerState(ctx);
    const value = await state.get(keyTypeOf(type), attributesOf('attributes', attributes));
    return value === undefined ? '' : canonicalize(value);
  }

  /** Every entry under (type, partial) with its key attributes, in key order, as canonical JSON. */
  @Transaction(false)
  @Returns('string')
  async List(ctx: Context, type: string, partial: string): Promise<string> {
    const state = new LedgerState(ctx);
    return canonicalize(await state.list(keyTypeOf(type), attributesOf('partial', partial)));
  }
}
