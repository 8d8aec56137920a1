import { DOCUMENT } from '@angular/common';
import { Injectable, computed, effect, inject, signal } from '@angular/core';
import { type RecognitionStatus, type Role } from '@approval-ledger/protocol';
import { type CertificateStatus } from '@approval-ledger/protocol/api';
import { MESSAGES_EN } from './messages-en';
import { MESSAGES_ZH, type MessageKey } from './messages-zh';
import { type RegistryLabels } from './registry-labels';
import { checkLabel } from './check-labels';
import { formatShanghaiDate, formatShanghaiTime, type Language } from './shanghai-time';

export type { Language } from './shanghai-time';
export type { MessageKey } from './messages-zh';

/** A registry of codes with Chinese and English labels, as the protocol package defines them. */
type LabelledRegistry = Readonly<Record<string, { readonly zh: string; readonly en: string }>>;

const DICTIONARIES: Record<Language, Record<MessageKey, string>> = { zh: MESSAGES_ZH, en: MESSAGES_EN };
const STORAGE_KEY = 'approval-ledger.language';

/** Fills `{name}` placeholders; unknown placeholders stay as written. */
export function interpolate(template: string, params?: Readonly<Record<string, string | number>>): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

/**
 * The explorer's words and labels in the chosen language (Chinese by default). Templates call `t()` and the
 * label methods directly: they read the `language` signal, so a switch re-renders what depends on it.
 * Registry labels (regions, departments, stages, decisions, …) are the protocol package's, loaded once at
 * start-up by `loadRegistryLabels()` (an app initialiser); until then a code stands for itself.
 */
@Injectable({ providedIn: 'root' })
export class TranslationService {
  readonly #document = inject(DOCUMENT);
  readonly #language = signal<Language>(readStoredLanguage());
  readonly #registries = signal<RegistryLabels | undefined>(undefined);
  readonly language = this.#language.asReadonly();
  readonly locale = computed(() => (this.#language() === 'zh' ? 'zh-CN' : 'en'));

  constructor() {
    effect(() => {
      const lang = this.#language();
      this.#document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    });
  }

  async loadRegistryLabels(): Promise<void> {
    const { REGISTRY_LABELS } = await import('./registry-labels');
    this.#registries.set(REGISTRY_LABELS);
  }

  use(lang: Language): void {
    this.#language.set(lang);
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, lang);
    } catch {
      // storage may be disabled; the choice then lasts for this page only
    }
  }

  toggle(): void {
    this.use(this.#language() === 'zh' ? 'en' : 'zh');
  }

  t(key: MessageKey, params?: Readonly<Record<string, string | number>>): string {
    return interpolate(DICTIONARIES[this.#language()][key], params);
  }

  region(code: string | undefined): string {
    return this.#label('regions', code);
  }

  /** The region of an organisation's MSP ID (`BeijingMSP` -> 北京市), or the MSP ID itself. */
  organisation(mspId: string): string {
    const region = this.#registries()?.regionByMspId(mspId);
    return region ? `${this.region(region)} (${mspId})` : mspId;
  }

  department(code: string | undefined): string {
    return this.#label('departments', code);
  }

  stage(code: string | undefined): string {
    return this.#label('stages', code);
  }

  decision(code: string | undefined): string {
    return this.#label('decisions', code);
  }

  projectType(code: string | undefined): string {
    return this.#label('projectTypes', code);
  }

  certificateType(code: string | undefined): string {
    return this.#label('certificateTypes', code);
  }

  recognitionStatus(status: RecognitionStatus): string {
    return this.t(`recognition.status.${status}`);
  }

  certificateStatus(status: CertificateStatus): string {
    return this.t(`certificates.status.${status}`);
  }

  certificateAction(action: 'ISSUED' | 'REVOKED' | 'UPDATED'): string {
    return this.t(`certificates.action.${action}`);
  }

  /** What a check of the verification core establishes (`genesis.signature` -> 创世区块由配置的排序节点签名). */
  check(name: string): string {
    return checkLabel(name, this.#language());
  }

  /**
   * What a dead letter's code means (`VALIDATION_FAILED` -> 校验失败…), for the codes of protocol's DLQ_CODES;
   * undefined for the others (a ledger error code or a validation rule), which are shown as they are.
   */
  deadLetterCode(code: string): string | undefined {
    const key = `dlq.code.${code}`;
    return key in DICTIONARIES.zh ? this.t(key as MessageKey) : undefined;
  }

  role(role: Role): string {
    return this.t(`role.${role}`);
  }

  /** Date and time in Asia/Shanghai in the current language. */
  time(iso: string | null | undefined): string {
    return formatShanghaiTime(iso, this.#language());
  }

  date(iso: string | null | undefined): string {
    return formatShanghaiDate(iso, this.#language());
  }

  #label(name: Exclude<keyof RegistryLabels, 'regionByMspId'>, code: string | undefined): string {
    if (code === undefined) return '';
    const registry: LabelledRegistry | undefined = this.#registries()?.[name];
    const entry = registry && Object.hasOwn(registry, code) ? registry[code] : undefined;
    return entry ? entry[this.#language()] : code;
  }
}

function readStoredLanguage(): Language {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}
