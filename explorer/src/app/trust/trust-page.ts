import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { ApiClient } from '../core/api-client';
import { ResourceStatus } from '../core/resource-status';
import { TranslationService } from '../core/translation.service';
import { type TrustWarning, trustWarnings, witnessRows } from './trust-state';

/**
 * What a verifier trusts and whether it is current: the log's latest checkpoint, each witness's last cosigned
 * size and age, the checkpoints anchored on the EVM chain, and the trust anchors in use, with a warning when
 * any of them lags. Public, like the routes it reads (`/checkpoints/status`, `/anchors`).
 */
@Component({
  selector: 'al-trust-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ResourceStatus],
  template: `
    <h1>{{ i18n.t('trust.heading') }}</h1>
    <p>{{ i18n.t('trust.intro') }}</p>
    <al-resource-status [loading]="status.isLoading()" [error]="status.error()" (retry)="status.reload()" />
    @if (warnings().length > 0) {
      <div class="warning" role="alert" data-testid="trust-warnings">
        <h2>{{ i18n.t('trust.warnings') }}</h2>
        <ul>
          @for (w of warnings(); track $index) {
            <li>{{ warningText(w) }}</li>
          }
        </ul>
      </div>
    }
    @if (status.hasValue()) {
      <section>
        <h2>{{ i18n.t('trust.checkpoint') }}</h2>
        @if (status.value().checkpoint; as cp) {
          <dl class="facts" data-testid="trust-checkpoint">
            <dt>{{ i18n.t('trust.origin') }}</dt>
            <dd class="mono" translate="no">{{ status.value().origin }}</dd>
            <dt>{{ i18n.t('trust.size') }}</dt>
            <dd>{{ cp.size }} / {{ status.value().treeSize }}</dd>
            <dt>{{ i18n.t('trust.root') }}</dt>
            <dd class="mono" translate="no">{{ cp.root }}</dd>
            <dt>{{ i18n.t('trust.publishedAt') }}</dt>
            <dd>{{ i18n.time(cp.publishedAt) }}</dd>
          </dl>
        } @else {
          <p>{{ i18n.t('trust.noCheckpoint') }}</p>
        }
      </section>
      <section>
        <h2>{{ i18n.t('trust.witnesses') }}</h2>
        <div class="table-wrap">
          <table class="data" data-testid="trust-witnesses">
            <thead>
              <tr>
                <th scope="col">{{ i18n.t('trust.region') }}</th>
                <th scope="col">{{ i18n.t('trust.witness') }}</th>
                <th scope="col" class="num">{{ i18n.t('trust.cosignedSize') }}</th>
                <th scope="col">{{ i18n.t('trust.cosignedAt') }}</th>
              </tr>
            </thead>
            <tbody>
              @for (w of witnesses(); track w.name) {
                <tr [class.lags]="w.lags">
                  <td>{{ w.region }}</td>
                  <td class="mono" translate="no">{{ w.name }}</td>
                  <td class="num">{{ w.size ?? i18n.t('trust.notCosigned') }}</td>
                  <td>{{ w.at ? i18n.time(w.at) : i18n.t('app.none') }}</td>
                </tr>
              } @empty {
                <tr>
                  <td colspan="4">{{ i18n.t('trust.noWitnesses') }}</td>
                </tr>
              }
            </tbody>
          </table>
        </div>
      </section>
    }
    <section>
      <h2>{{ i18n.t('trust.anchors') }}</h2>
      @if (anchors.hasValue() && anchors.value().chainId !== null) {
        <p>
          {{
            i18n.t('trust.chain', {
              chainId: anchors.value().chainId ?? '',
              contract: anchors.value().contract ?? '',
            })
          }}
        </p>
        <div class="table-wrap">
          <table class="data" data-testid="trust-anchors">
            <thead>
              <tr>
                <th scope="col" class="num">{{ i18n.t('trust.size') }}</th>
                <th scope="col" class="num">{{ i18n.t('trust.block') }}</th>
                <th scope="col">{{ i18n.t('trust.tx') }}</th>
                <th scope="col">{{ i18n.t('trust.anchoredAt') }}</th>
              </tr>
            </thead>
            <tbody>
              @for (a of anchors.value().anchors; track a.anchor.txHash) {
                <tr>
                  <td class="num">{{ a.anchor.checkpoint.size }}</td>
                  <td class="num">{{ a.anchor.blockNumber }}</td>
                  <td class="mono" translate="no">{{ a.anchor.txHash }}</td>
                  <td>{{ i18n.time(a.anchoredAt) }}</td>
                </tr>
              } @empty {
                <tr>
                  <td colspan="4">{{ i18n.t('trust.noAnchors') }}</td>
                </tr>
              }
            </tbody>
          </table>
        </div>
      } @else {
        <p>{{ i18n.t('trust.anchoringOff') }}</p>
      }
    </section>
    @if (status.hasValue()) {
      <section>
        <h2>{{ i18n.t('trust.anchorsInUse') }}</h2>
        <p>{{ i18n.t('trust.notPinned') }}</p>
        <dl class="facts" data-testid="trust-keys">
          <dt>{{ i18n.t('trust.logKey') }}</dt>
          <dd class="mono" translate="no">{{ status.value().logKey }}</dd>
          @for (w of status.value().witnesses; track w.name) {
            <dt>{{ i18n.t('trust.witnessKey', { region: w.region }) }}</dt>
            <dd class="mono" translate="no">{{ w.vkey }}</dd>
          }
        </dl>
      </section>
    }
  `,
  styles: `
    .warning {
      border-left: 4px solid #b3261e;
      padding: 0.25rem 1rem;
      margin: 1rem 0;
      background: #fdecea;
    }
    .mono {
      font-family: monospace;
      overflow-wrap: anywhere;
    }
    tr.lags td {
      color: #8c1d18;
    }
  `,
})
export class TrustPage {
  protected readonly i18n = inject(TranslationService);
  readonly #api = inject(ApiClient);
  protected readonly status = this.#api.tlogStatusResource();
  protected readonly anchors = this.#api.anchorsResource();
  protected readonly witnesses = computed(() =>
    this.status.hasValue() ? witnessRows(this.status.value()) : [],
  );
  protected readonly warnings = computed(() =>
    trustWarnings(
      this.status.hasValue() ? this.status.value() : undefined,
      this.anchors.hasValue() ? this.anchors.value() : undefined,
      false, // the explorer pins no trust anchors yet: it shows what the hub reports
      Date.now(),
    ),
  );

  protected warningText(w: TrustWarning): string {
    switch (w.kind) {
      case 'witness-lags':
        return this.i18n.t('trust.warn.witness', { witness: w.witness });
      case 'checkpoint-lags':
        return this.i18n.t('trust.warn.checkpoint', { size: w.size, treeSize: w.treeSize });
      case 'anchor-lags':
        return this.i18n.t('trust.warn.anchor', { anchored: w.anchored, size: w.size });
      case 'no-anchor':
        return this.i18n.t('trust.warn.noAnchor');
      case 'no-checkpoint':
        return this.i18n.t('trust.noCheckpoint');
      case 'nothing-pinned':
        return this.i18n.t('trust.warn.nothingPinned');
    }
  }
}
