import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { MatButton } from '@angular/material/button';
import { MatProgressBar } from '@angular/material/progress-bar';
import { ApiClient, problemMessage } from '../core/api-client';
import { CHAIN_VERIFIER } from '../core/chain-verifier.token';
import { ResourceStatus } from '../core/resource-status';
import { BlockSummaryTable } from './block-summary-table';
import { TranslationService } from '../core/translation.service';
import { type ChainCheckProgress, type ChainCheckResult, checkChain } from './chain-check';

const PAGE_SIZE = 20;

/** Blocks newest first, paged; and "check the chain", re-verified block by block in this browser. */
@Component({
  selector: 'al-blocks-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButton, MatProgressBar, ResourceStatus, BlockSummaryTable],
  templateUrl: './blocks-page.html',
  styleUrl: './blocks-page.scss',
})
export class BlocksPage {
  protected readonly i18n = inject(TranslationService);
  readonly #api = inject(ApiClient);
  readonly #verifier = inject(CHAIN_VERIFIER);
  /** Cursors of the pages seen, newest first: `undefined` is the newest page. */
  readonly #cursors = signal<(number | undefined)[]>([undefined]);
  protected readonly page = this.#api.blockPageResource(() => ({
    before: this.#cursors().at(-1),
    limit: PAGE_SIZE,
  }));
  protected readonly blocks = computed(() => (this.page.hasValue() ? this.page.value().blocks : []));
  protected readonly hasNewer = computed(() => this.#cursors().length > 1);
  protected readonly hasOlder = computed(() => {
    const last = this.blocks().at(-1);
    return last !== undefined && last.number > 0;
  });

  protected readonly progress = signal<ChainCheckProgress | undefined>(undefined);
  protected readonly result = signal<ChainCheckResult | undefined>(undefined);
  protected readonly checkError = signal<string | undefined>(undefined);
  protected readonly running = signal(false);
  protected readonly percent = computed(() => {
    const p = this.progress();
    return p && p.total > 0 ? Math.round((100 * p.done) / p.total) : 0;
  });
  #abort: AbortController | undefined;

  constructor() {
    inject(DestroyRef).onDestroy(() => this.#abort?.abort());
  }

  protected showOlder(): void {
    const last = this.blocks().at(-1);
    if (last) this.#cursors.update((c) => [...c, last.number]);
  }

  protected showNewer(): void {
    this.#cursors.update((c) => (c.length > 1 ? c.slice(0, -1) : c));
  }

  /** Walks the whole chain from block 0, checking everything in the browser, with a progress bar. */
  protected async checkTheChain(): Promise<void> {
    this.#abort = new AbortController();
    this.running.set(true);
    this.result.set(undefined);
    this.checkError.set(undefined);
    try {
      const { height } = await this.#api.blockPage({ limit: 1 });
      this.progress.set({ done: 0, total: height });
      const result = await checkChain({
        height,
        fetchBlock: (n) => this.#api.block(n),
        verifier: this.#verifier,
        onProgress: (p) => this.progress.set(p),
        signal: this.#abort.signal,
      });
      this.result.set(result);
    } catch (error) {
      this.checkError.set(problemMessage(error));
    } finally {
      this.running.set(false);
    }
  }

  protected stopChecking(): void {
    this.#abort?.abort();
  }
}
