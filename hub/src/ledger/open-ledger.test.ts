import { join } from 'node:path';
import { expect } from 'chai';
import { LedgerConfigError, ledgerConfigFromEnv } from './open-ledger';

describe('ledger configuration from the environment', () => {
  it('defaults to the embedded engine in the data directory', () => {
    expect(ledgerConfigFromEnv('/d', {})).to.deep.equal({ backend: 'embedded', dataDir: '/d' });
  });

  it('reads the Fabric profile and wallet, the wallet defaulting to <data dir>/wallet', () => {
    expect(
      ledgerConfigFromEnv('/d', { LEDGER_BACKEND: 'fabric', FABRIC_CONNECTION_PROFILE: '/p.json' }),
    ).to.deep.equal({
      backend: 'fabric',
      dataDir: '/d',
      connectionProfile: '/p.json',
      walletRoot: join('/d', 'wallet'),
    });
    const withWallet = ledgerConfigFromEnv('/d', {
      LEDGER_BACKEND: 'fabric',
      FABRIC_CONNECTION_PROFILE: '/p',
      FABRIC_WALLET: '/w',
    });
    expect(withWallet).to.include({ walletRoot: '/w' });
  });

  it('reads the namespace mode the Fabric network was deployed with (FABRIC_NAMESPACE_MODE)', () => {
    const env = { LEDGER_BACKEND: 'fabric', FABRIC_CONNECTION_PROFILE: '/p' };
    expect(ledgerConfigFromEnv('/d', env)).to.not.have.property('namespaceMode');
    expect(ledgerConfigFromEnv('/d', { ...env, FABRIC_NAMESPACE_MODE: 'legacy' })).to.include({
      namespaceMode: 'legacy',
    });
    expect(() => ledgerConfigFromEnv('/d', { ...env, FABRIC_NAMESPACE_MODE: 'single' })).to.throw(
      LedgerConfigError,
      'FABRIC_NAMESPACE_MODE',
    );
  });

  it('names the variable to fix', () => {
    expect(() => ledgerConfigFromEnv('/d', { LEDGER_BACKEND: 'quorum' })).to.throw(
      LedgerConfigError,
      'LEDGER_BACKEND',
    );
    expect(() => ledgerConfigFromEnv('/d', { LEDGER_BACKEND: 'fabric' })).to.throw(
      LedgerConfigError,
      'FABRIC_CONNECTION_PROFILE',
    );
  });
});
