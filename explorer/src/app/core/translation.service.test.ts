import { TestBed } from '@angular/core/testing';
import { DOCUMENT } from '@angular/common';
import { beforeEach, describe, expect, it } from 'vitest';
import { DLQ_CODES } from '@approval-ledger/protocol';
import { MESSAGES_EN } from './messages-en';
import { MESSAGES_ZH } from './messages-zh';
import { TranslationService, interpolate } from './translation.service';

describe('TranslationService', () => {
  let i18n: TranslationService;

  beforeEach(async () => {
    localStorage.clear();
    TestBed.configureTestingModule({});
    i18n = TestBed.inject(TranslationService);
    await i18n.loadRegistryLabels();
  });

  it('speaks Chinese by default and says so on <html lang>', () => {
    TestBed.tick();
    expect(i18n.language()).toBe('zh');
    expect(i18n.t('nav.verify')).toBe('核验');
    expect(TestBed.inject(DOCUMENT).documentElement.lang).toBe('zh-CN');
  });

  it('switches to English and back, remembering the choice', () => {
    i18n.toggle();
    TestBed.tick();
    expect(i18n.t('nav.verify')).toBe('Verify');
    expect(TestBed.inject(DOCUMENT).documentElement.lang).toBe('en');
    expect(localStorage.getItem('approval-ledger.language')).toBe('en');
    i18n.toggle();
    expect(i18n.t('nav.verify')).toBe('核验');
  });

  it('says what a dead letter code of DLQ_CODES means in either language, and nothing for other codes', () => {
    expect(i18n.deadLetterCode('VALIDATION_FAILED')).toBe('校验失败（违反协议规则）');
    expect(i18n.deadLetterCode('REGION_MISMATCH')).toBeUndefined();
    for (const code of Object.keys(DLQ_CODES)) expect(i18n.deadLetterCode(code), code).toBeDefined();
    i18n.toggle();
    expect(i18n.deadLetterCode('VALIDATION_FAILED')).toBe('validation failed (a protocol rule broken)');
  });

  it('labels regions, departments, stages and decisions with the protocol registries', () => {
    expect(i18n.region('BJ')).toBe('北京市');
    expect(i18n.department('EE')).toBe('生态环境局');
    expect(i18n.stage('FIRE_DESIGN')).toBe('消防设计审查');
    expect(i18n.decision('CONDITIONALLY_ACCEPTED')).toBe('容缺受理');
    expect(i18n.organisation('TianjinMSP')).toBe('天津市 (TianjinMSP)');
    i18n.use('en');
    expect(i18n.region('HE')).toBe('Hebei');
    expect(i18n.department('HC')).toBe('Housing and Urban-Rural Development');
    expect(i18n.stage('EIA')).toBe('Environmental impact assessment approval');
    expect(i18n.decision('RETURNED')).toBe('Returned for correction');
  });

  it('shows an unknown code as itself instead of failing', () => {
    expect(i18n.region('XX')).toBe('XX');
    expect(i18n.stage('toString')).toBe('toString');
    expect(i18n.organisation('OrdererMSP')).toBe('OrdererMSP');
  });

  it('fills placeholders and leaves unknown ones alone', () => {
    expect(i18n.t('chain.checkProgress', { done: 3, total: 10 })).toBe('已校验 3 / 10 个区块');
    expect(interpolate('{a} and {b}', { a: 1 })).toBe('1 and {b}');
  });

  it('formats times in Asia/Shanghai in the current language', () => {
    expect(i18n.time('2025-03-06T08:30:00Z')).toBe('2025/03/06 16:30:00');
    i18n.use('en');
    expect(i18n.time('2025-03-06T08:30:00Z')).toBe('06/03/2025, 16:30:00');
  });

  it('has every message in both languages, none empty', () => {
    expect(Object.keys(MESSAGES_EN).sort()).toEqual(Object.keys(MESSAGES_ZH).sort());
    expect(Object.values(MESSAGES_EN).filter((m) => m.trim() === '')).toEqual([]);
    expect(Object.values(MESSAGES_ZH).filter((m) => m.trim() === '')).toEqual([]);
  });
});
