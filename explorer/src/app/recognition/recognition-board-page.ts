import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  type ElementRef,
  Injector,
  afterNextRender,
  computed,
  inject,
  signal,
  viewChild,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { MatRadioButton, MatRadioGroup } from '@angular/material/radio';
import { REGION_CODES, type RecognitionOutcome, type RecognitionStatus } from '@approval-ledger/protocol';
import { filter } from 'rxjs';
import { ApiClient, problemMessage } from '../core/api-client';
import { type RecognitionBoardEntry } from '@approval-ledger/protocol/api';
import { AuthService } from '../core/auth.service';
import { LiveEventsService } from '../core/live-events.service';
import { ResourceStatus } from '../core/resource-status';
import { TranslationService } from '../core/translation.service';
import { DecisionSigningError, addressOf, signRecognitionDecision } from './decision-signer';
import {
  type CellSelection,
  RECOGNITION_STATUSES,
  recognitionMatrix,
  recognitionsOf,
} from './recognition-matrix';
import { ScrollRegion } from '../core/scroll-region';

/** The Beijing-Tianjin-Hebei recognition board; an authority of the target region decides from here. */
@Component({
  selector: 'al-recognition-board-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    FormsModule,
    MatButton,
    MatFormField,
    MatLabel,
    MatHint,
    MatInput,
    MatRadioGroup,
    MatRadioButton,
    ResourceStatus,
    ScrollRegion,
  ],
  templateUrl: './recognition-board-page.html',
  styleUrl: './recognition-board-page.scss',
})
export class RecognitionBoardPage {
  protected readonly i18n = inject(TranslationService);
  readonly #api = inject(ApiClient);
  readonly #auth = inject(AuthService);
  protected readonly regions = REGION_CODES;
  protected readonly statuses = RECOGNITION_STATUSES;
  protected readonly recognitions = this.#api.recognitionsResource(() => ({}));
  protected readonly all = computed(() =>
    this.recognitions.hasValue() ? this.recognitions.value().recognitions : [],
  );
  protected readonly matrix = computed(() => recognitionMatrix(this.all()));
  protected readonly selection = signal<CellSelection | undefined>(undefined);
  protected readonly selectedList = computed(() => {
    const selection = this.selection();
    return selection ? recognitionsOf(this.all(), selection) : [];
  });

  protected readonly deciding = signal<RecognitionBoardEntry | undefined>(undefined);
  /** The signing key: in this signal only, cleared on submit, cancel and leaving the page. */
  protected readonly privateKey = signal('');
  protected readonly signerAddress = computed(() => addressOf(this.privateKey()));
  protected readonly outcome = signal<RecognitionOutcome>('RECOGNISED');
  protected readonly reason = signal('');
  protected readonly submitting = signal(false);
  protected readonly message = signal<{ kind: 'ok' | 'error'; text: string } | undefined>(undefined);
  readonly #injector = inject(Injector);
  private readonly keyInput = viewChild<ElementRef<HTMLInputElement>>('keyInput');
  private readonly decisionMessage = viewChild<ElementRef<HTMLElement>>('decisionMessage');

  constructor() {
    inject(LiveEventsService)
      .events.pipe(
        filter((event) => event.type === 'recognition'),
        takeUntilDestroyed(),
      )
      .subscribe(() => this.recognitions.reload());
    inject(DestroyRef).onDestroy(() => this.privateKey.set(''));
  }

  protected selectCell(selection: CellSelection): void {
    this.selection.set(selection);
  }

  protected isSelected(source: string, target: string, status: RecognitionStatus): boolean {
    const s = this.selection();
    return s?.source === source && s.target === target && s.status === status;
  }

  /** Only the target region's authority may decide a pending request (the hub and chaincode check again). */
  protected mayDecide(r: RecognitionBoardEntry): boolean {
    const { role, region } = this.#auth.claims();
    return (
      r.status === 'PENDING' &&
      (role === undefined || role === 'authority') &&
      (region ?? r.targetRegion) === r.targetRegion
    );
  }

  protected startDecision(r: RecognitionBoardEntry): void {
    this.deciding.set(r);
    this.outcome.set('RECOGNISED');
    this.reason.set('');
    this.message.set(undefined);
    // the form opens below the lists: keyboard and screen-reader users land on its first field
    afterNextRender(() => this.keyInput()?.nativeElement.focus(), { injector: this.#injector });
  }

  protected cancelDecision(): void {
    this.deciding.set(undefined);
    this.privateKey.set('');
  }

  /** Signs the decision with EIP-712 here and submits the signature (never the key). */
  protected async submitDecision(): Promise<void> {
    const request = this.deciding();
    if (!request) return;
    this.submitting.set(true);
    this.message.set(undefined);
    try {
      const decision = await signRecognitionDecision(
        this.privateKey(),
        request,
        this.outcome(),
        this.reason(),
      );
      const result = await this.#api.decideRecognition(decision);
      this.message.set({
        kind: 'ok',
        text: this.i18n.t('recognition.submitted', { txId: result.txId }),
      });
      this.deciding.set(undefined);
      this.privateKey.set('');
      this.recognitions.reload();
    } catch (error) {
      this.message.set({ kind: 'error', text: this.#failureText(error) });
    } finally {
      this.submitting.set(false);
    }
    this.#focusMessage();
  }

  /**
   * After submitting, focus moves to the outcome: on success the form (and the focused button) is gone, and a
   * failure should be read before the form is tried again.
   */
  #focusMessage(): void {
    afterNextRender(() => this.decisionMessage()?.nativeElement.focus(), { injector: this.#injector });
  }

  #failureText(error: unknown): string {
    if (error instanceof DecisionSigningError) {
      if (error.code === 'KEY_INVALID') return this.i18n.t('recognition.keyInvalid');
      if (error.code === 'REASON_REQUIRED') return this.i18n.t('recognition.reasonRequired');
    }
    return this.i18n.t('recognition.signFailed', { detail: problemMessage(error) });
  }

  /** 证照 / 审批事项 for the subject type a recognition names. */
  protected subjectLabel(type: string): string {
    return type === 'certificate' || type === 'milestone'
      ? this.i18n.t(`recognition.subjectType.${type}`)
      : type;
  }

  protected outcomeLabel(outcome: string | undefined): string {
    return outcome === 'RECOGNISED' || outcome === 'REJECTED'
      ? this.i18n.recognitionStatus(outcome)
      : (outcome ?? '');
  }

  /** The reason of a rejection, from the decision record as anchored. */
  protected reasonOf(r: RecognitionBoardEntry): string {
    return r.decision?.reason ?? '';
  }

  protected cellLabel(source: string, target: string, status: RecognitionStatus, count: number): string {
    return `${this.i18n.t('recognition.list', {
      source: this.i18n.region(source),
      target: this.i18n.region(target),
      status: this.i18n.recognitionStatus(status),
    })} ${count}`;
  }
}
