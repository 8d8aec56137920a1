import {
  ChangeDetectionStrategy,
  Component,
  type ElementRef,
  afterNextRender,
  computed,
  inject,
  input,
  output,
  viewChild,
} from '@angular/core';
import { MatButton } from '@angular/material/button';
import { RouterLink } from '@angular/router';
import { type MilestoneProvenanceEntry, type OffChainState } from '@approval-ledger/protocol/api';
import { TranslationService } from '../core/translation.service';
import { VersionHistory } from '../core/version-history';

/** One milestone: its on-chain anchor, where it sits on the chain, and the full record when the role may see it. */
@Component({
  selector: 'al-milestone-detail',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, MatButton, VersionHistory],
  templateUrl: './milestone-detail.html',
  styleUrl: './milestone-detail.scss',
})
export class MilestoneDetail {
  readonly milestone = input.required<MilestoneProvenanceEntry>();
  readonly closed = output();
  protected readonly i18n = inject(TranslationService);
  protected readonly heading = viewChild.required<ElementRef<HTMLElement>>('heading');
  /** The full record, when the hub sent it (the caller's role may see it). */
  protected readonly milestoneRecord = computed(() => {
    const record = this.milestone().record;
    return record && 'stage' in record ? record : undefined;
  });

  constructor() {
    afterNextRender(() => this.heading().nativeElement.focus());
  }

  protected close(): void {
    this.closed.emit();
  }

  protected offChainLabel(state: OffChainState): string {
    return this.i18n.t(`milestone.offChain.${state}`);
  }

  protected detailEntries(details: Readonly<Record<string, unknown>> | undefined): [string, string][] {
    return Object.entries(details ?? {}).map(([key, value]) => [key, String(value)]);
  }
}
