// Every refusal is a LedgerError: its message is `CODE: detail`, the code from the protocol package,
// which fabric-contract-api passes through as the response message.
import { LedgerError, type LedgerErrorCode } from '@approval-ledger/protocol';

export function fail(code: LedgerErrorCode, detail: string): never {
  throw new LedgerError(code, detail);
}
