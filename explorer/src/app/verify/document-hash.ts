import { sha256Hex } from '@approval-ledger/protocol';

/** SHA-256 (hex) of a file's bytes, computed here in the browser with the protocol package: nothing is sent. */
export async function hashDocument(file: Blob): Promise<string> {
  return sha256Hex(new Uint8Array(await file.arrayBuffer()));
}
