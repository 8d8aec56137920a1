import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  input,
  signal,
  untracked,
} from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MatError, MatFormField, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { MatProgressBar } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import {
  type Assurance,
  type AssuranceLevel,
  type ProofVerdict,
  type VerifiableProofBundle,
  type VerifyProofOptions,
} from '@approval-ledger/protocol';
import { ApiClient, problemMessage } from '../core/api-client';
import { type VerifyMatch, type VerifyResponse } from '@approval-ledger/protocol/api';
import { CheckBadge } from '../core/check-badge';
import { passed } from '../core/chain-verifier';
import { CHAIN_VERIFIER } from '../core/chain-verifier.token';
import { PinnedTrustService } from '../core/pinned-trust.service';
import { TranslationService } from '../core/translation.service';
import { hashDocument } from './document-hash';
import {
  type VerificationState,
  browserVerified,
  checkMark,
  normaliseSha256,
  verificationState,
} from './verification-state';

interface CheckedMatch {
  readonly match: VerifyMatch;
  /** The proof bundle's verdict, checked in this browser; undefined when no bundle could be had. */
  readonly verdict?: ProofVerdict;
  readonly bundleError?: string;
  /** Why the v2 bundle could not be had (the v1 bundle was checked instead). */
  readonly v2Error?: string;
}

interface Outcome {
  readonly sha256: string;
  readonly response: VerifyResponse;
  readonly matches: readonly CheckedMatch[];
  readonly state: VerificationState;
  readonly verified: boolean;
  /** Whether trust anchors were pinned (explorer side) when the bundles were checked. */
  readonly pinned: boolean;
}

/** Drop a file or paste a hash: hashed here, looked up by the hub, each proof bundle re-checked here. */
@Component({
  selector: 'al-verify-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    FormsModule,
    RouterLink,
    MatButton,
    MatFormField,
    MatLabel,
    MatError,
    MatInput,
    MatProgressBar,
    CheckBadge,
  ],
  templateUrl: './verify-page.html',
  styleUrl: './verify-page.scss',
})
export class VerifyPage {
  /** A hash to verify at once (query parameter `sha256`, e.g. from a milestone's document). */
  readonly sha256 = input<string>();
  protected readonly i18n = inject(TranslationService);
  readonly #api = inject(ApiClient);
  readonly #verifier = inject(CHAIN_VERIFIER);
  readonly #pinned = inject(PinnedTrustService);

  protected readonly hashText = signal('');
  protected readonly hashTouched = signal(false);
  protected readonly hashValid = computed(() => normaliseSha256(this.hashText()) !== undefined);
  protected readonly file = signal<File | undefined>(undefined);
  protected readonly fileHash = signal<string | undefined>(undefined);
  protected readonly hashing = signal(false);
  protected readonly dragging = signal(false);
  protected readonly verifying = signal(false);
  protected readonly outcome = signal<Outcome | undefined>(undefined);
  protected readonly error = signal<string | undefined>(undefined);
  #request = 0;

  constructor() {
    effect(() => {
      const value = normaliseSha256(this.sha256() ?? '');
      if (value) {
        untracked(() => {
          this.hashText.set(value);
          void this.#verify(value, () => this.#api.verifyHash(value));
        });
      }
    });
  }

  protected chooseFile(event: Event): void {
    const files = (event.target as HTMLInputElement).files;
    if (files?.[0]) void this.hashAndVerifyFile(files[0]);
  }

  protected dragOver(event: DragEvent): void {
    event.preventDefault();
    this.dragging.set(true);
  }

  protected dragLeave(): void {
    this.dragging.set(false);
  }

  protected dropFile(event: DragEvent): void {
    event.preventDefault();
    this.dragging.set(false);
    const file = event.dataTransfer?.files[0];
    if (file) void this.hashAndVerifyFile(file);
  }

  /** Hashes the file locally and verifies its hash; the file itself stays here. */
  protected async hashAndVerifyFile(file: File): Promise<void> {
    this.file.set(file);
    this.fileHash.set(undefined);
    this.outcome.set(undefined);
    this.hashing.set(true);
    try {
      const sha256 = await hashDocument(file);
      this.fileHash.set(sha256);
      this.hashText.set(sha256);
      await this.#verify(sha256, () => this.#api.verifyHash(sha256));
    } catch (error) {
      this.error.set(problemMessage(error));
    } finally {
      this.hashing.set(false);
    }
  }

  protected verifyPastedHash(): void {
    this.hashTouched.set(true);
    const sha256 = normaliseSha256(this.hashText());
    if (!sha256) return;
    this.file.set(undefined);
    this.fileHash.set(undefined);
    void this.#verify(sha256, () => this.#api.verifyHash(sha256));
  }

  /** Sends the document itself to the hub: only when the user presses the upload button. */
  protected uploadDocument(): void {
    const file = this.file();
    const sha256 = this.fileHash();
    if (file && sha256) void this.#verify(sha256, () => this.#api.verifyDocument(file));
  }

  async #verify(sha256: string, call: () => Promise<VerifyResponse>): Promise<void> {
    const request = ++this.#request;
    this.verifying.set(true);
    this.error.set(undefined);
    this.outcome.set(undefined);
    try {
      const response = await call();
      // the pinned anchors (the deployment's file is read once) only matter when there are bundles to check
      const options = response.matches.length > 0 ? await this.#pinned.options() : {};
      const pinned = this.#pinned.pinned() !== undefined;
      const matches = await Promise.all(response.matches.map((m) => this.#checkBundle(m, sha256, options)));
      const verdicts = matches.map((m) => m.verdict);
      const state = verificationState(
        response,
        verdicts.filter((v) => v !== undefined),
      );
      const verified = browserVerified(state, matches.length, verdicts);
      if (request === this.#request) this.outcome.set({ sha256, response, matches, state, verified, pinned });
    } catch (error) {
      if (request === this.#request) this.error.set(problemMessage(error));
    } finally {
      if (request === this.#request) this.verifying.set(false);
    }
  }

  /**
   * The match's proof bundle v2 (checkpoint, witnesses, status proof, public anchor), else its v1 bundle
   * (embedded, or fetched by its link), verified here with the protocol package against the pinned anchors.
   */
  async #checkBundle(match: VerifyMatch, sha256: string, pinned: VerifyProofOptions): Promise<CheckedMatch> {
    let bundle: VerifiableProofBundle;
    let v2Error: string | undefined;
    try {
      bundle = await this.#v2BundleOf(match);
    } catch (error) {
      v2Error = problemMessage(error);
      try {
        bundle = match.bundle ?? (await this.#api.proofBundle(match.proof.href));
      } catch (v1Error) {
        return { match, bundleError: problemMessage(v1Error), v2Error };
      }
    }
    try {
      const verdict = await this.#verifier.verifyProofBundle(bundle, sha256, pinned);
      return { match, verdict, ...(v2Error === undefined ? {} : { v2Error }) };
    } catch (error) {
      return { match, bundleError: problemMessage(error) };
    }
  }

  /**
   * The match's proof bundle v2. Not asked for when the hub says that no checkpoint covers the record's block
   * yet (`proof.checkpointed: false`, e.g. a record anchored seconds ago): the hub would refuse it (422).
   */
  #v2BundleOf(match: VerifyMatch): Promise<VerifiableProofBundle> {
    if (match.proof.checkpointed === false) {
      return Promise.reject(
        new Error(
          `no checkpoint of the hub covers block ${match.anchored.blockNumber} yet (it publishes one every few seconds)`,
        ),
      );
    }
    return this.#api.proofBundleV2(match.proof.href);
  }

  protected mark(result: Outcome): string {
    return checkMark(result.state, result.verified, result.pinned);
  }

  /** The public anchor's state, in words (v2). */
  protected anchorNote(assurance: Assurance): string {
    const anchor = assurance.anchor;
    if (!anchor) return '';
    return this.i18n.t(`verify.anchor.${anchor.state}`, {
      size: anchor.checkpoint?.size ?? '',
      chainId: anchor.reference?.chainId ?? '',
      block: anchor.reference?.blockNumber ?? '',
    });
  }

  protected stateLabel(state: VerificationState): string {
    return this.i18n.t(`verify.state.${state}`);
  }

  /** Which bundle version, and whether its status (revoked or not) is proven. */
  protected assuranceNote(assurance: Assurance): string {
    return `${this.i18n.t(`verify.assurance.bundle.${assurance.bundle}`)} ${this.i18n.t(
      `verify.assurance.status.${assurance.statusProof}`,
    )}`;
  }

  /** The version a match is (corrections, 更正): superseded by which, or the latest; '' when never corrected. */
  protected versionLine(match: VerifyMatch): string {
    const version = match.version;
    if (!version) return '';
    const by = version.supersededBy;
    return by
      ? this.i18n.t('verify.version.superseded', {
          n: version.number,
          by: by.version,
          tx: by.txId,
          block: by.blockNumber,
        })
      : this.i18n.t('verify.version.latest', { n: version.number });
  }

  /** What the bundle proved about its version being the latest, in the page's language. */
  protected versionAssurance(verdict: ProofVerdict): string {
    const version = verdict.version;
    if (!version) return '';
    const n = version.number;
    if (version.basis === 'checkpoint' && version.latest === false)
      return this.i18n.t('verify.assurance.version.checkpoint-superseded', {
        k: version.asOfCheckpoint ?? '?',
        n,
        by: version.supersededBy?.version ?? n + 1,
      });
    if (version.basis === 'checkpoint')
      return this.i18n.t('verify.assurance.version.checkpoint-latest', {
        k: version.asOfCheckpoint ?? '?',
        n,
      });
    if (version.latest === false) return this.i18n.t('verify.assurance.version.statement-superseded', { n });
    return this.i18n.t('verify.assurance.version.unproven', { n });
  }

  protected levelLabel(level: AssuranceLevel): string {
    return this.i18n.t(`verify.assurance.level.${level.level}`);
  }

  protected levelStatus(level: AssuranceLevel): string {
    return this.i18n.t(`verify.assurance.${level.status}`);
  }

  protected firstFailure(verdict: ProofVerdict): string {
    const failure = verdict.checks.find((c) => !passed(c));
    return failure ? `${failure.name}: ${failure.detail ?? ''}` : '';
  }
}
