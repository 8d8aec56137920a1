import { expect } from 'chai';
import { join } from 'node:path';
import { ConfigError, ledgerConfigOf, loadConfig, storeOptionsOf } from './config';

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    const config = loadConfig({});
    expect(config).to.include({
      host: '127.0.0.1',
      port: 8080,
      ledgerBackend: 'embedded',
      natsUrl: 'nats://127.0.0.1:4222',
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

  it('reads LEDGER_CRYPTO (intl by default) into the embedded ledger config and the hub artefacts’ suite', () => {
    expect(loadConfig({}).ledgerCrypto).to.equal('intl');
    const gm = loadConfig({ LEDGER_CRYPTO: 'gm' });
    expect(gm.ledgerCrypto).to.equal('gm');
    expect(ledgerConfigOf(gm)).to.include({ backend: 'embedded', cryptoSuite: 'gm' });
    expect(() => loadConfig({ LEDGER_CRYPTO: 'sm2' })).to.throw(
      ConfigError,
      /LEDGER_CRYPTO: expected intl or gm/,
    );
  });

  it('accepts LEDGER_CRYPTO=gm with Fabric: the hub’s artefacts are gm, the Fabric ledger config names no suite', () => {
    const config = loadConfig({
      LEDGER_CRYPTO: 'gm',
      LEDGER_BACKEND: 'fabric',
      FABRIC_CONNECTION_PROFILE: 'network/profile.json',
    });
    expect(config.ledgerCrypto).to.equal('gm');
    const ledger = ledgerConfigOf(config);
    expect(ledger.backend).to.equal('fabric');
    expect(ledger).to.not.have.property('cryptoSuite');
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

  it('reads public anchoring: off without an RPC, LEDGER_ANCHOR=off or LEDGER_TLOG=off; bad values named', () => {
    expect(loadConfig({}).anchor).to.equal(undefined);
    const rpc = 'http://127.0.0.1:8545';
    expect(loadConfig({ LEDGER_ANCHOR_RPC: rpc }).anchor).to.deep.equal({
      rpcUrl: rpc,
      everyMs: 30_000,
      contract: undefined,
      keystore: undefined,
    });
    const contract = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
    expect(
      loadConfig({
        LEDGER_ANCHOR_RPC: rpc,
        LEDGER_ANCHOR_SECONDS: '2',
        LEDGER_ANCHOR_CONTRACT: contract,
        LEDGER_ANCHOR_KEYSTORE: '/keys/anchor.json',
        LEDGER_ANCHOR_KEYSTORE_PASSWORD: 'secret',
      }).anchor,
    ).to.deep.equal({
      rpcUrl: rpc,
      everyMs: 2000,
      contract,
      keystore: { path: '/keys/anchor.json', password: 'secret' },
    });
    expect(loadConfig({ LEDGER_ANCHOR_RPC: rpc, LEDGER_ANCHOR: 'off' }).anchor).to.equal(undefined);
    expect(loadConfig({ LEDGER_ANCHOR_RPC: rpc, LEDGER_TLOG: 'off' }).anchor).to.equal(undefined);
    expect(() => loadConfig({ LEDGER_ANCHOR_RPC: '127.0.0.1:8545' })).to.throw(
      ConfigError,
      /LEDGER_ANCHOR_RPC: expected the http\(s\) URL of an EVM JSON-RPC endpoint/,
    );
    expect(() => loadConfig({ LEDGER_ANCHOR_CONTRACT: '0x1234' })).to.throw(
      ConfigError,
      /LEDGER_ANCHOR_CONTRACT/,
    );
    expect(() => loadConfig({ LEDGER_ANCHOR_KEYSTORE: '/k.json' })).to.throw(
      ConfigError,
      /LEDGER_ANCHOR_KEYSTORE_PASSWORD: is required when LEDGER_ANCHOR_KEYSTORE is set/,
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

describe('the ledger and the store a configuration names', () => {
  it('defaults to the embedded engine and SQLite in the data directory', () => {
    const config = loadConfig({ LEDGER_DATA_DIR: '/d' });
    expect(ledgerConfigOf(config)).to.deep.equal({ backend: 'embedded', dataDir: '/d', cryptoSuite: 'intl' });
    expect(storeOptionsOf(config)).to.deep.equal({ dataDir: '/d' });
    expect(config.natsUrl).to.equal('nats://127.0.0.1:4222');
  });

  it('reads the Fabric profile and wallet, the wallet defaulting to <data dir>/wallet', () => {
    const fabric = loadConfig({
      LEDGER_DATA_DIR: '/d',
      LEDGER_BACKEND: 'fabric',
      FABRIC_CONNECTION_PROFILE: '/p.json',
    });
    expect(ledgerConfigOf(fabric)).to.deep.equal({
      backend: 'fabric',
      dataDir: '/d',
      connectionProfile: '/p.json',
      walletRoot: join('/d', 'wallet'),
    });
    const withWallet = loadConfig({
      LEDGER_DATA_DIR: '/d',
      LEDGER_BACKEND: 'fabric',
      FABRIC_CONNECTION_PROFILE: '/p',
      FABRIC_WALLET: '/w',
    });
    expect(ledgerConfigOf(withWallet)).to.include({ walletRoot: '/w' });
  });

  it('passes down the namespace mode the Fabric network was deployed with (FABRIC_NAMESPACE_MODE)', () => {
    const env = { LEDGER_DATA_DIR: '/d', LEDGER_BACKEND: 'fabric', FABRIC_CONNECTION_PROFILE: '/p' };
    expect(ledgerConfigOf(loadConfig(env))).to.not.have.property('namespaceMode');
    expect(ledgerConfigOf(loadConfig({ ...env, FABRIC_NAMESPACE_MODE: 'legacy' }))).to.include({
      namespaceMode: 'legacy',
    });
    expect(() => loadConfig({ ...env, FABRIC_NAMESPACE_MODE: 'single' })).to.throw(
      ConfigError,
      'FABRIC_NAMESPACE_MODE',
    );
  });

  it('passes the tuning knobs down: endorsement workers to the embedded engine, the rest to the hub', () => {
    const config = loadConfig({
      LEDGER_DATA_DIR: '/d',
      LEDGER_ENDORSEMENT_WORKERS: '0',
      HUB_INGEST_MAX_IN_FLIGHT: '64',
      HUB_REQUEST_LOG: 'false',
    });
    expect(ledgerConfigOf(config, { blockTimeoutMs: 5 })).to.deep.equal({
      backend: 'embedded',
      dataDir: '/d',
      cryptoSuite: 'intl',
      batch: { timeoutMs: 5 },
      endorsementWorkers: 0,
    });
    expect(config.tuning).to.deep.equal({ ingestMaxInFlight: 64, endorsementWorkers: 0, requestLog: false });
  });

  it('names a bad tuning knob and its rule', () => {
    expect(() => loadConfig({ HUB_INGEST_ACK_WAIT_MS: '1e3' })).to.throw(
      ConfigError,
      /HUB_INGEST_ACK_WAIT_MS: expected a positive whole number of milliseconds/,
    );
    expect(() => loadConfig({ LEDGER_ENDORSEMENT_WORKERS: '-1' })).to.throw(
      ConfigError,
      /LEDGER_ENDORSEMENT_WORKERS/,
    );
  });
});
