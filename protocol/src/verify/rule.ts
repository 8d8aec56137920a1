/**
 * Rules as generators: a rule yields the signatures it needs checked (a batch at a time, so an async suite
 * checks them in parallel) and gets back one boolean per request. The same rule then runs synchronously in
 * the committer and `verify-chain` (Node's crypto) and asynchronously in the browser (WebCrypto), so there is
 * one copy of each rule, whatever the crypto.
 */
import {
  type AsyncCryptoSuite,
  type CryptoSuite,
  type SignatureRequest,
  type SyncCryptoSuite,
} from './crypto-suite.js';

/**
 * The answer to a signature request: whether it verifies, or (a string) why it could not be checked here (a
 * suite that is `unavailable`, e.g. no WebCrypto outside a secure context).
 */
export type SignatureAnswer = boolean | string;

export type Rule<T> = Generator<readonly SignatureRequest[], T, readonly SignatureAnswer[]>;

/** Runs a rule with a sync suite. */
export function runSync<T>(rule: Rule<T>, suite: SyncCryptoSuite): T {
  let step = rule.next([]);
  while (!step.done) {
    const requests = step.value;
    const reason = suite.unavailable;
    step = rule.next(
      reason === undefined ? requests.map((request) => suite.verify(request)) : requests.map(() => reason),
    );
  }
  return step.value;
}

/** Runs a rule with any suite; each yielded batch is checked in parallel. */
export async function runAsync<T>(rule: Rule<T>, suite: CryptoSuite | AsyncCryptoSuite): Promise<T> {
  let step = rule.next([]);
  while (!step.done) {
    const requests = step.value;
    const reason = suite.unavailable;
    const answers =
      reason === undefined
        ? await Promise.all(requests.map((request) => Promise.resolve(suite.verify(request))))
        : requests.map(() => reason);
    step = rule.next(answers);
  }
  return step.value;
}

/** Checks one signature inside a rule: true, false, or why it could not be checked. */
export function* signatureValid(request: SignatureRequest): Rule<SignatureAnswer> {
  const [answer] = yield [request];
  return answer ?? false;
}

/** Runs several rules as one, their signature requests batched together; the results in order. */
export function* allOf<T>(rules: readonly Rule<T>[]): Rule<T[]> {
  const results = new Array<T>(rules.length);
  let pending = rules.map((rule, index) => ({ rule, index, step: rule.next([]) }));
  for (;;) {
    for (const p of pending) if (p.step.done) results[p.index] = p.step.value;
    pending = pending.filter((p) => !p.step.done);
    if (pending.length === 0) return results;
    const batches = pending.map((p) => p.step.value as readonly SignatureRequest[]);
    const answers = yield batches.flat();
    let at = 0;
    for (const [i, p] of pending.entries()) {
      const size = (batches[i] ?? []).length;
      p.step = p.rule.next(answers.slice(at, at + size));
      at += size;
    }
  }
}
