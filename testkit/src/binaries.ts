import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { BinaryNotFoundError } from './binary-not-found.error';

/** Debian installs servers in /usr/sbin, which is often missing from a non-root PATH. */
const SYSTEM_DIRS = ['/usr/sbin', '/usr/bin'];

/** The directories `findBinary` searches, in order: PATH, then /usr/sbin and /usr/bin. */
export function binarySearchPath(): string[] {
  const fromEnv = (process.env.PATH ?? '').split(delimiter).filter((dir) => dir !== '');
  return [...new Set([...fromEnv, ...SYSTEM_DIRS])];
}

/** The absolute path of an executable called `name`, or undefined when it is not installed. */
export function findBinary(name: string): string | undefined {
  if (name.includes('/')) return isExecutableFile(name) ? name : undefined;
  for (const dir of binarySearchPath()) {
    const candidate = join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

/** Like `findBinary`, but a missing program is a `BinaryNotFoundError` naming the Debian package to install. */
export function requireBinary(name: string, debianPackage: string): string {
  const path = findBinary(name);
  if (path === undefined) throw new BinaryNotFoundError(name, debianPackage, binarySearchPath());
  return path;
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
