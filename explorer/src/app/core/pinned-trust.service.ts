import { HttpClient } from '@angular/common/http';
import { computed, inject, Injectable, InjectionToken, signal } from '@angular/core';
import {
  parseTrustAnchors,
  pinnedTrustOf,
  type TrustAnchors,
  type VerifyProofOptions,
} from '@approval-ledger/protocol';
import { firstValueFrom } from 'rxjs';

/**
 * Where the deployment's pinned trust anchors are served from, with the app (not from the hub's API): the text
 * `ledger trust export` prints for the region(s) this explorer's auditors trust. Replace the file (or provide
 * another URL) when deploying; absent, nothing is pinned unless the user pastes anchors on the trust page.
 */
export const TRUST_ANCHORS_URL = new InjectionToken<string>('TrustAnchorsUrl', {
  providedIn: 'root',
  factory: () => 'trust-anchors.txt',
});

/** The localStorage key of anchors the user pasted on the trust page (they win over the deployment's). */
export const PINNED_TRUST_KEY = 'al.pinnedTrustAnchors';

export type PinnedSource = 'browser' | 'deployment';

export interface Pinned {
  readonly source: PinnedSource;
  readonly text: string;
  readonly anchors: TrustAnchors;
}

/**
 * The trust anchors this explorer verifies proof bundles against. They come only from the explorer's side: the
 * deployment's `trust-anchors.txt` or what the user pasted (kept in localStorage); NEVER from the hub being
 * verified, since anchors a hub reports about itself would let a foreign or rewritten ledger vouch for itself.
 */
@Injectable({ providedIn: 'root' })
export class PinnedTrustService {
  readonly #http = inject(HttpClient);
  readonly #url = inject(TRUST_ANCHORS_URL);
  readonly #browser = signal<Pinned | undefined>(storedPin());
  readonly #deployment = signal<Pinned | undefined>(undefined);
  /** Why the deployment's file could not be used (undefined: fine, or there is none). */
  readonly deploymentError = signal<string | undefined>(undefined);
  #loading: Promise<void> | undefined;

  /** The anchors in use: the user's, else the deployment's; undefined when nothing is pinned. */
  readonly pinned = computed(() => this.#browser() ?? this.#deployment());

  /** Loads the deployment's file once (later calls wait for the same load). */
  load(): Promise<void> {
    this.#loading ??= this.#loadDeployment();
    return this.#loading;
  }

  /** The verifier's options for the anchors in use (empty: nothing pinned). */
  async options(): Promise<VerifyProofOptions> {
    await this.load();
    const pinned = this.pinned();
    return pinned ? pinnedTrustOf(pinned.anchors) : {};
  }

  /** Pins pasted anchors in this browser; throws the parser's error (line and rule) when they do not parse. */
  pin(text: string): Pinned {
    const pinned: Pinned = { source: 'browser', text: text.trim() + '\n', anchors: parseTrustAnchors(text) };
    localStorage.setItem(PINNED_TRUST_KEY, pinned.text);
    this.#browser.set(pinned);
    return pinned;
  }

  /** Forgets the pasted anchors (the deployment's, if any, are in use again). */
  unpin(): void {
    localStorage.removeItem(PINNED_TRUST_KEY);
    this.#browser.set(undefined);
  }

  async #loadDeployment(): Promise<void> {
    let text: string;
    try {
      text = await firstValueFrom(this.#http.get(this.#url, { responseType: 'text' }));
    } catch {
      return; // no file deployed: nothing pinned by the deployment
    }
    // a server that answers every path with the app (index.html) has no anchors file either
    if (text.trim() === '' || text.trimStart().startsWith('<')) return;
    try {
      this.#deployment.set({ source: 'deployment', text, anchors: parseTrustAnchors(text) });
    } catch (error) {
      this.deploymentError.set(error instanceof Error ? error.message : String(error));
    }
  }
}

function storedPin(): Pinned | undefined {
  const text = globalThis.localStorage?.getItem(PINNED_TRUST_KEY);
  if (!text) return undefined;
  try {
    return { source: 'browser', text, anchors: parseTrustAnchors(text) };
  } catch {
    return undefined; // stored by another version: the trust page shows nothing pinned and lets the user paste again
  }
}
