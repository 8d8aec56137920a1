// Debian packages that the tests and `npm start` need, installed with apt-get when running as root,
// otherwise a clear message naming what to install. Never a silent skip.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const SEARCH_PATH = [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/usr/bin', '/sbin'];

export function findBinary(name) {
  for (const dir of SEARCH_PATH) {
    if (dir && existsSync(`${dir}/${name}`)) return `${dir}/${name}`;
  }
  return undefined;
}

/** @param {{binary: string, pkg: string, why: string}[]} needs */
export function ensureDebianPackages(needs) {
  const missing = needs.filter((n) => !findBinary(n.binary));
  if (missing.length === 0) return;
  const pkgs = [...new Set(missing.map((m) => m.pkg))];
  const list = missing.map((m) => `  ${m.binary} (Debian package ${m.pkg}): ${m.why}`).join('\n');
  if (process.getuid?.() !== 0) {
    console.error(`Missing programs:\n${list}\nInstall them as root: apt-get install -y ${pkgs.join(' ')}`);
    process.exit(1);
  }
  console.log(`[system] installing ${pkgs.join(' ')} with apt-get:\n${list}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
  const install = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...pkgs], {
    stdio: 'inherit',
    env,
  });
  const still = missing.filter((n) => !findBinary(n.binary));
  if (update.status !== 0 || install.status !== 0 || still.length > 0) {
    console.error(`[system] could not install ${pkgs.join(' ')}; install them and run again.`);
    process.exit(1);
  }
}

export const SERVER_PACKAGES = [
  {
    binary: 'nats-server',
    pkg: 'nats-server',
    why: 'NATS with JetStream for ingest and the integration tests',
  },
  {
    binary: 'mariadbd',
    pkg: 'mariadb-server',
    why: 'MariaDB for the off-chain store and legacy-system tests',
  },
  {
    binary: 'mariadb-install-db',
    pkg: 'mariadb-server',
    why: 'sets up the temp data dirs of test MariaDB servers',
  },
];

export const BROWSER_PACKAGES = [
  { binary: 'chromium', pkg: 'chromium', why: "headless browser for the explorer's end-to-end tests" },
];
