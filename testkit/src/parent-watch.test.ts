import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';

/** Polls until `check` is true or `ms` have passed. */
async function eventually(check: () => boolean, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end;) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return check();
}

describe('whenOrphaned', function () {
  this.timeout(30_000);
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'parent-watch-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('calls back when the parent dies without passing a signal on (npm -> sh -c -> script), and not before', async () => {
    const marker = join(dir, 'orphaned');
    const ready = join(dir, 'ready');
    // the script: stays up (as a supervisor with services would) until whenOrphaned calls back
    const script = `
      const { writeFileSync } = require('node:fs');
      const { whenOrphaned } = require(${JSON.stringify(join(__dirname, 'parent-watch'))});
      const alive = setInterval(() => undefined, 1000);
      whenOrphaned(() => { writeFileSync(${JSON.stringify(marker)}, String(process.ppid)); clearInterval(alive); }, 100);
      writeFileSync(${JSON.stringify(ready)}, String(process.pid));
    `;
    // the parent: a process that starts the script and waits, as sh -c does
    const parent = spawn(
      process.execPath,
      [
        '-e',
        `require('node:child_process').spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', ${JSON.stringify(script)}], { stdio: 'ignore' }); setInterval(() => undefined, 1000);`,
      ],
      { cwd: join(__dirname, '..'), stdio: 'ignore' },
    );
    try {
      expect(await eventually(() => existsSync(ready), 20_000), 'the script started').to.equal(true);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(existsSync(marker), 'no call while the parent lives').to.equal(false);
      parent.kill('SIGKILL'); // no handler runs: the script gets no signal
      expect(await eventually(() => existsSync(marker), 5_000), 'called once orphaned').to.equal(true);
      expect(Number(readFileSync(marker, 'utf8'))).to.not.equal(parent.pid);
      const scriptPid = Number(readFileSync(ready, 'utf8'));
      // after the call it let go of what kept it alive, and ended
      expect(await eventually(() => !isAlive(scriptPid), 5_000), 'the script ended').to.equal(true);
    } finally {
      parent.kill('SIGKILL');
      // a script the watch failed to end must not outlive the test
      if (existsSync(ready)) killQuietly(Number(readFileSync(ready, 'utf8')));
    }
  });
});

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
