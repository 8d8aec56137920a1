import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import { type BlockSummary } from '@approval-ledger/protocol/api';
import { TranslationService } from '../core/translation.service';
import { ScrollRegion } from '../core/scroll-region';

/** Blocks as the chain index summarises them, each linking to its block page (chain page and dashboard). */
@Component({
  selector: 'al-block-summary-table',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, ScrollRegion],
  template: `
    <div class="table-wrap">
      <table class="data">
        <thead>
          <tr>
            <th scope="col" class="num">{{ i18n.t('chain.number') }}</th>
            <th scope="col">{{ i18n.t('chain.hash') }}</th>
            <th scope="col" class="num">{{ i18n.t('chain.txCount') }}</th>
            <th scope="col" class="num">{{ i18n.t('chain.records') }}</th>
            <th scope="col">{{ i18n.t('chain.time') }}</th>
          </tr>
        </thead>
        <tbody>
          @for (b of blocks(); track b.number) {
            <tr>
              <td class="num">
                <a [routerLink]="['/chain/blocks', b.number]">#{{ b.number }}</a>
              </td>
              <td class="mono hash">{{ b.hash }}</td>
              <td class="num">{{ b.txCount }}</td>
              <td class="num">{{ b.records }}</td>
              <td>{{ i18n.time(b.time) }}</td>
            </tr>
          }
        </tbody>
      </table>
    </div>
  `,
  styles: `
    :host {
      display: block;
    }
    .hash {
      max-width: 32rem;
    }
  `,
})
export class BlockSummaryTable {
  readonly blocks = input.required<readonly BlockSummary[]>();
  protected readonly i18n = inject(TranslationService);
}
