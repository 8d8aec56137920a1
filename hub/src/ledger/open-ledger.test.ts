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
