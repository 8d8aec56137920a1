import { expect } from 'chai';
import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    const config = loadConfig({});
    expect(config).to.include({
      host: '127.0.0.1',
      port: 8080,
      ledgerBackend: 'embedded',
      natsUrl: undefined,
      databaseUrl: undefined,
    });
    expect(config.dataDir).to.match(/\/\.data$/);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      LEDGER_DATA_DIR: '/srv/ledger',
      HOST: '0.0.0.0',
      PORT: '9090',
      NATS_URL: 'nats://10.0.0.5:4222',
      DATABASE_URL: 'mysql://hub:secret@db:3306/hub',
      LEDGER_BACKEND: 'fabric',
      FABRIC_CONNECTION_PROFILE: 'network/profile.json',
      FABRIC_WALLET: 'network/wallet',
    });
    expect(config).to.include({
      dataDir: '/srv/ledger',
      host: '0.0.0.0',
      port: 9090,
      ledgerBackend: 'fabric',
    });
    expect(config.fabric?.connectionProfile).to.match(/network\/profile\.json$/);
  });

  it('reads the transparency log settings and the witnesses, and refuses a malformed witness list', () => {
    const vkey = 'tj.approval-ledger.example/witness+0a1b2c3d+BAbc+def=';
    const config = loadConfig({
      LEDGER_CHECKPOINT_BLOCKS: '5',
      LEDGER_CHECKPOINT_SECONDS: '2.5',
      LEDGER_WITNESSES: `TJ http://127.0.0.1:7402/ ${vkey}, HE http://127.0.0.1:7403 ${vkey}`,
    });
    expect(config.tlog).to.deep.include({ region: 'BJ', everyBlocks: 5, everyMs: 2500 });
    expect(config.tlog?.witnesses).to.deep.equal([
      { region: 'TJ', url: 'http://127.0.0.1:7402', vkey },
      { region: 'HE', url: 'http://127.0.0.1:7403', vkey },
    ]);
    expect(loadConfig({ LEDGER_TLOG: 'off' }).tlog).to.equal(undefined);
    expect(() => loadConfig({ LEDGER_WITNESSES: 'TJ 127.0.0.1:7402' })).to.throw(
      ConfigError,
      /LEDGER_WITNESSES/,
    );
  });

  it('names every bad variable, what it holds and what is expected', () => {
    try {
      loadConfig({
        PORT: 'eighty',
        NATS_URL: 'localhost:4222',
        LEDGER_BACKEND: 'hyperledger',
        DATABASE_URL: 'postgres://x',
      });
      expect.fail('no error');
    } catch (error) {
      expect(error).to.be.instanceOf(ConfigError);
      const variables = (error as ConfigError).problems.map((p) => p.variable);
      expect(variables).to.have.members(['PORT', 'NATS_URL', 'LEDGER_BACKEND', 'DATABASE_URL']);
      expect((error as ConfigError).message).to.match(/PORT: .*"eighty"/);
    }
  });

  it('refuses a sqlite:// DATABASE_URL at once (SQLite is the default: leave it unset), as the store would', () => {
    expect(() => loadConfig({ DATABASE_URL: 'sqlite:///var/lib/hub.db' })).to.throw(
      ConfigError,
      /DATABASE_URL: .*unset for SQLite in the data dir/,
    );
    expect(loadConfig({ DATABASE_URL: 'mariadb://root@127.0.0.1:3306/hub' }).databaseUrl).to.equal(
      'mariadb://root@127.0.0.1:3306/hub',
    );
  });

  it('needs a connection profile for the Fabric backend', () => {
    expect(() => loadConfig({ LEDGER_BACKEND: 'fabric' })).to.throw(ConfigError, /FABRIC_CONNECTION_PROFILE/);
  });
});
