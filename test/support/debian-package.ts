import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * The path of `binary`, installing Debian's `pkg` with apt-get when it is
 * missing (CI runs on a fresh machine as root, with Debian's registry
 * reachable). Fails with what to do when it cannot install.
 */
export function ensureDebianPackage(pkg: string, binary: string): string {
  if (existsSync(binary)) return binary;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'ignore', env, timeout: 300_000 });
    execFileSync('apt-get', ['install', '-y', '-qq', pkg], { stdio: 'ignore', env, timeout: 600_000 });
  } catch (e) {
    throw new Error(
      `${binary} is missing and 'apt-get install -y ${pkg}' failed (${e instanceof Error ? e.message : String(e)}); install ${pkg} and rerun`,
    );
  }
  if (!existsSync(binary)) throw new Error(`apt-get installed ${pkg} but ${binary} is still missing`);
  return binary;
}
