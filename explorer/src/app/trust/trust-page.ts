import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { ApiClient } from '../core/api-client';
import { PinnedTrustService } from '../core/pinned-trust.service';
import { ResourceStatus } from '../core/resource-status';
import { TranslationService } from '../core/translation.service';
import { type TrustWarning, trustWarnings, witnessRows } from './trust-state';

/**
 * What a verifier trusts and whether it is current: the log's latest checkpoint, each witness's last cosigned
 * size and age, the checkpoints anchored on the EVM chain, and the trust anchors in use, with a warning when
 * any of them lags. Public, like the routes it reads (`/checkpoints/status`, `/anchors`). The pinned anchors are
 * the explorer's own (`PinnedTrustService`: the deployment's file, or pasted here and kept in this browser),
 * never the keys the hub reports, which are shown apart and compared with them.
 */
@Component({
  selector: 'al-trust-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ResourceStatus, FormsModule, MatButton],
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
    <section data-testid="trust-pinned" [attr.data-pinned]="pinned() ? pinned()!.source : 'none'">
      <h2>{{ i18n.t('trust.pinned.heading') }}</h2>
      @if (pinned(); as p) {
        <p>
          {{ i18n.t(p.source === 'browser' ? 'trust.pinned.fromBrowser' : 'trust.pinned.fromDeployment') }}
        </p>
        <dl class="facts" data-testid="trust-pinned-keys">
          <dt>{{ i18n.t('trust.pinned.suite') }}</dt>
          <dd data-testid="trust-pinned-suite" [attr.data-suite]="p.anchors.crypto">
            {{ i18n.t(p.anchors.crypto === 'gm' ? 'suite.gmLog' : 'suite.intlLog') }}
          </dd>
          <dt>{{ i18n.t('trust.pinned.genesis') }}</dt>
          <dd class="mono" translate="no">{{ p.anchors.genesis.blockHash }}</dd>
          @for (log of p.anchors.logs; track log.vkey) {
            <dt>{{ i18n.t('trust.logKey') }}</dt>
            <dd class="mono" translate="no">{{ log.vkey }}</dd>
          }
          @for (w of p.anchors.witnesses; track w.key.vkey) {
            <dt>{{ i18n.t('trust.witnessKey', { region: w.region }) }}</dt>
            <dd class="mono" translate="no">{{ w.key.vkey }}</dd>
          }
          <dt>{{ i18n.t('trust.pinned.quorum') }}</dt>
          <dd>{{ p.anchors.quorum }}</dd>
        </dl>
        @if (p.source === 'browser') {
          <button matButton="outlined" type="button" data-testid="trust-unpin" (click)="unpin()">
            {{ i18n.t('trust.pinned.clear') }}
          </button>
        }
      } @else {
        <p class="nothing-pinned" role="note" data-testid="trust-nothing-pinned">
          {{ i18n.t('trust.pinned.none') }}
        </p>
      }
      @if (pins.deploymentError(); as reason) {
        <p class="error" role="alert">{{ i18n.t('trust.pinned.deploymentInvalid', { reason }) }}</p>
      }
      <form class="pin-form" (ngSubmit)="pin()">
        <label for="trust-text">{{ i18n.t('trust.pinned.paste') }}</label>
        <textarea
          id="trust-text"
          name="trust"
          rows="7"
          spellcheck="false"
          translate="no"
          data-testid="trust-input"
          [ngModel]="text()"
          (ngModelChange)="text.set($event)"
        ></textarea>
        @if (pinError(); as reason) {
          <p class="error" role="alert" data-testid="trust-pin-error">
            {{ i18n.t('trust.pinned.invalid', { reason }) }}
          </p>
        }
        <button matButton="filled" type="submit" data-testid="trust-pin">
          {{ i18n.t('trust.pinned.save') }}
        </button>
      </form>
    </section>
    @if (status.hasValue()) {
      <section>
        <h2>{{ i18n.t('trust.anchorsInUse') }}</h2>
        @if (!pinned()) {
          <p>{{ i18n.t('trust.notPinned') }}</p>
        } @else if (logDiffers()) {
          <p class="error" role="alert" data-testid="trust-log-differs">
            {{ i18n.t('trust.pinned.differs') }}
          </p>
        }
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
    .nothing-pinned {
      font-weight: 600;
      border-left: 4px solid #8a5300;
      padding-left: 0.75rem;
    }
    .error {
      color: #b3261e;
    }
    .pin-form {
      margin-top: 1rem;
      display: flex;
      flex-direction: column;
      gap: 0.5rem;
      max-width: 48rem;
    }
    .pin-form textarea {
      font-family: monospace;
      width: 100%;
      box-sizing: border-box;
    }
    .pin-form button {
      align-self: flex-start;
    }
  `,
})
export class TrustPage {
  protected readonly i18n = inject(TranslationService);
  readonly #api = inject(ApiClient);
  protected readonly status = this.#api.tlogStatusResource();
  protected readonly anchors = this.#api.anchorsResource();
  protected readonly pins = inject(PinnedTrustService);
  protected readonly pinned = this.pins.pinned;
  protected readonly text = signal('');
  protected readonly pinError = signal<string | undefined>(undefined);
  /** The hub serves a log whose key is not among the pinned ones. */
  protected readonly logDiffers = computed(() => {
    const pinned = this.pinned();
    const status = this.status.hasValue() ? this.status.value() : undefined;
    if (!pinned || !status) return false;
    return !pinned.anchors.logs.some((l) => l.vkey === status.logKey);
  });

  constructor() {
    void this.pins.load();
  }

  protected pin(): void {
    try {
      this.pins.pin(this.text());
      this.pinError.set(undefined);
      this.text.set('');
    } catch (error) {
      this.pinError.set(error instanceof Error ? error.message : String(error));
    }
  }

  protected unpin(): void {
    this.pins.unpin();
  }
  protected readonly witnesses = computed(() =>
    this.status.hasValue() ? witnessRows(this.status.value()) : [],
  );
  protected readonly warnings = computed(() =>
    trustWarnings(
      this.status.hasValue() ? this.status.value() : undefined,
      this.anchors.hasValue() ? this.anchors.value() : undefined,
      this.pinned() !== undefined,
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
