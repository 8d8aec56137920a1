// Typings for the iterator classes fabric-shim exports at runtime but leaves out of its .d.ts;
// the in-process peer handler hands them to the stub exactly as the shim's own handler does.
import type { Iterators } from 'fabric-shim-api';

declare module 'fabric-shim' {
  export class StateQueryIterator implements Iterators.StateQueryIterator {
    constructor(handler: object, channelId: string, txId: string, response: object);
    close(): Promise<void>;
    next(): Promise<Iterators.NextResult<Iterators.KV>>;
  }
  export class HistoryQueryIterator implements Iterators.HistoryQueryIterator {
    constructor(handler: object, channelId: string, txId: string, response: object);
    close(): Promise<void>;
    next(): Promise<Iterators.NextResult<Iterators.KeyModification>>;
  }
}

export {};
