import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { NgTemplateOutlet } from '@angular/common';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { DEPARTMENT_CODES, REGION_CODES } from '@approval-ledger/protocol';
import { ApiClient } from '../core/api-client';
import { type BlockSummary, type LedgerEvent } from '@approval-ledger/protocol/api';
import { AuthService } from '../core/auth.service';
import { LiveEventsService } from '../core/live-events.service';
import { ResourceStatus } from '../core/resource-status';
import { BlockSummaryTable } from '../chain/block-summary-table';
import { TranslationService } from '../core/translation.service';
import { ThroughputMeter } from './throughput-meter';
import { ScrollRegion } from '../core/scroll-region';

const LATEST_BLOCKS = 8;
const RECENT_DEAD_LETTERS = 5;
const TICK_MS = 5000;

export interface Bar {
  readonly code: string;
  readonly label: string;
  readonly count: number;
  readonly percent: number;
}

/** Bars scaled to the largest count, one per code (zero when absent). */
export function bars(
  counts: Readonly<Partial<Record<string, number>>>,
  codes: readonly string[],
  label: (code: string) => string,
): Bar[] {
  const max = Math.max(1, ...codes.map((c) => counts[c] ?? 0));
  return codes.map((code) => {
    const count = counts[code] ?? 0;
    return { code, label: label(code), count, percent: (100 * count) / max };
  });
}

/** Business progress next to trust health, kept live by the event stream. */
@Component({
  selector: 'al-dashboard-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [NgTemplateOutlet, ResourceStatus, BlockSummaryTable, ScrollRegion],
  templateUrl: './dashboard-page.html',
  styleUrl: './dashboard-page.scss',
})
export class DashboardPage {
  protected readonly i18n = inject(TranslationService);
  readonly #api = inject(ApiClient);
  readonly #auth = inject(AuthService);
  protected readonly live = inject(LiveEventsService);
  protected readonly stats = this.#api.statsResource();
  /** Operators' figures (admin, auditor): each legacy source system, and the dead letters. */
  protected readonly mayOperate = computed(() => this.#auth.mayBe('admin', 'auditor'));
  protected readonly reconciliation = this.#api.reconciliationResource(() => this.mayOperate());
  protected readonly deadLetters = this.#api.deadLettersResource(() => this.mayOperate());
  readonly #txMeter = new ThroughputMeter();
  readonly #milestoneMeter = new ThroughputMeter();
  readonly #liveBlocks = signal<BlockSummary[]>([]);
  readonly #tick = signal(0);

  protected readonly height = computed(() => {
    const live = this.#liveBlocks()[0];
    const fromStats = this.stats.hasValue() ? this.stats.value().chain.height : 0;
    return Math.max(live ? live.number + 1 : 0, fromStats);
  });
  protected readonly txPerMinute = computed(() => {
    this.#tick();
    return this.#txMeter.perMinute();
  });
  protected readonly milestonesPerMinute = computed(() => {
    this.#tick();
    return this.#milestoneMeter.perMinute();
  });
  protected readonly blocks = computed(() => {
    const fromStats = this.stats.hasValue() ? this.stats.value().recentBlocks : [];
    const byNumber = new Map([...fromStats, ...this.#liveBlocks()].map((b) => [b.number, b]));
    return [...byNumber.values()].sort((a, b) => b.number - a.number).slice(0, LATEST_BLOCKS);
  });
  protected readonly regionBars = computed(() =>
    this.stats.hasValue()
      ? bars(this.stats.value().chain.byRegion, REGION_CODES, (c) => this.i18n.region(c))
      : [],
  );
  protected readonly departmentBars = computed(() => {
    const byDept = this.stats.hasValue() ? this.stats.value().chain.byDept : undefined;
    return byDept ? bars(byDept, DEPARTMENT_CODES, (c) => this.i18n.department(c)) : [];
  });
  protected readonly sources = computed(() =>
    (this.reconciliation.hasValue() ? this.reconciliation.value().sources : []).map((s) => ({
      ...s,
      anchored: s.byState['anchored'] ?? 0,
      backlog: Math.max(0, s.seen - (s.byState['anchored'] ?? 0)),
    })),
  );
  protected readonly drift = computed(() => {
    const pass = this.reconciliation.hasValue() ? this.reconciliation.value().chain : null;
    return pass ? { ...pass, total: Object.values(pass.drift).reduce((a, b) => a + b, 0) } : undefined;
  });
  protected readonly recentDeadLetters = computed(() =>
    (this.deadLetters.hasValue() ? this.deadLetters.value().deadLetters : [])
      .slice(-RECENT_DEAD_LETTERS)
      .reverse(),
  );

  constructor() {
    this.live.events.pipe(takeUntilDestroyed()).subscribe((event) => this.#recordEvent(event));
    const timer = setInterval(() => this.#tick.update((n) => n + 1), TICK_MS);
    inject(DestroyRef).onDestroy(() => clearInterval(timer));
  }

  #recordEvent(event: LedgerEvent): void {
    if (event.type === 'block') {
      this.#txMeter.record(event.data.txCount);
      this.#liveBlocks.update((blocks) => [event.data, ...blocks].slice(0, LATEST_BLOCKS));
    } else if (
      event.type === 'receipt' &&
      event.data.kind === 'milestone' &&
      event.data.status === 'ANCHORED'
    ) {
      this.#milestoneMeter.record(1);
    }
    this.#tick.update((n) => n + 1);
  }

  protected formatCount(value: number | null | undefined): string {
    return value === undefined || value === null ? '—' : value.toLocaleString(this.i18n.locale());
  }
}
