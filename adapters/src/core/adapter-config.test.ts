import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreditWebhookConfigSchema, creditWebhookSettings } from '../credit-webhook/config';
import { HcMysqlConfigSchema, hcMysqlSettings } from '../hc-mysql/config';
import { ADAPTER_NAMES, loadAdapterConfig } from '../adapter-registry';
import { defaultConfigPath, loadConfigFile, parseConfig } from './adapter-config';
import { InvalidConfigError } from './invalid-config.error';

function problems(action: () => unknown): readonly string[] {
  try {
    action();
  } catch (error) {
    expect(error).to.be.instanceOf(InvalidConfigError);
    return (error as InvalidConfigError).problems;
  }
  throw new Error('expected the config to be refused');
}

const minimalHc = {
  region: 'BJ',
  sourceSystem: 'bj-hc-sgxk',
  health: { port: 0 },
  mysql: { host: '127.0.0.1', user: 'reader', database: 'sgxk' },
};

describe('adapter config files (zod, fail fast naming the field)', () => {
  for (const name of ADAPTER_NAMES) {
    it(`ships a valid config/${name}.json`, () =>
      expect(() => loadAdapterConfig(name, defaultConfigPath(name))).not.to.throw());
  }

  it('fills defaults', () => {
    const config = parseConfig(HcMysqlConfigSchema, minimalHc);
    expect(config).to.deep.include({ pollIntervalMs: 1_000, overlapSeconds: 2, dataClass: 'public' });
    expect(config.mysql).to.deep.include({ table: 'T_SGXK', timeZone: '+08:00', textEncoding: 'gb18030' });
    expect(config.retry).to.deep.equal({ initialMs: 200, maxMs: 15_000 });
  });

  const bad: [string, Record<string, unknown>, RegExp][] = [
    ['an unknown region', { region: 'SH' }, /^region: /],
    ['a source system with a colon', { sourceSystem: 'a:b' }, /^sourceSystem: /],
    ['a port as text', { mysql: { ...minimalHc.mysql, port: '3306' } }, /^mysql\.port: /],
    [
      'an SQL injection as table name',
      { mysql: { ...minimalHc.mysql, table: 'T; DROP' } },
      /^mysql\.table: a plain SQL identifier/,
    ],
    [
      'a password in the file',
      { mysql: { ...minimalHc.mysql, password: 'secret' } },
      /^mysql: Unrecognized key: "password"/,
    ],
  ];
  for (const [name, change, expected] of bad) {
    it(`refuses ${name}, naming the field`, () =>
      expect(
        problems(() => parseConfig(HcMysqlConfigSchema, { ...minimalHc, ...change }, 'hc.json'))[0],
      ).to.match(expected));
  }

  it('refuses a file that is not JSON, naming the file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cfg-')), 'x.json');
    writeFileSync(file, '{ nope');
    expect(() => loadConfigFile(HcMysqlConfigSchema, file)).to.throw(InvalidConfigError, file);
  });

  it('takes secrets only from the environment, and says which variable is missing', () => {
    const config = parseConfig(HcMysqlConfigSchema, minimalHc);
    expect(problems(() => hcMysqlSettings(config, {}))[0]).to.match(/^HC_MYSQL_PASSWORD is not set/);
    expect(hcMysqlSettings(config, { HC_MYSQL_PASSWORD: 'pw', NATS_URL: 'nats://x:1' })).to.deep.include({
      password: 'pw',
      natsUrl: 'nats://x:1',
    });
    const { mysql: _mysql, ...base } = minimalHc;
    const credit = parseConfig(CreditWebhookConfigSchema, { ...base, webhook: { port: 0 } });
    expect(problems(() => creditWebhookSettings(credit, {}))[0]).to.match(
      /^CREDIT_WEBHOOK_SECRET is not set/,
    );
  });
});
