import { type EventStream } from './ledger-port';

/**
 * An {@link EventStream} over an async generator that receives a `closed` promise: the generator must stop when
 * it settles. `close()` settles it and ends the generator; a pending `next()` then completes with `done`.
 */
export function eventStream<T>(
  run: (closed: Promise<void>, isClosed: () => boolean) => AsyncGenerator<T>,
): EventStream<T> {
  let close!: () => void;
  let isClosed = false;
  const closed = new Promise<void>((resolve) => {
    close = () => {
      isClosed = true;
      resolve();
    };
  });
  const generator = run(closed, () => isClosed);
  return {
    [Symbol.asyncIterator]: () => generator,
    close: () => {
      close();
    },
  };
}
