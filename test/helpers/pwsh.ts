import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

// Where the tests find PowerShell 7 and Pester 5: .ci/run installs both as the README says
// (dotnet tool install --global PowerShell --version 7.6.10; Pester from NuGet through
// .ci/pester/pester.csproj), so pwsh lands in ~/.dotnet/tools and Pester in ~/.nuget/packages.

export const PWSH_INSTALL =
  'install it with: dotnet tool install --global PowerShell --version 7.6.10 (pwsh lands in ~/.dotnet/tools), ' +
  'and Pester 5 with: dotnet restore .ci/pester (it lands in ~/.nuget/packages/pester)';

/** The pwsh executable, or undefined. */
export function findPwsh(): string | undefined {
  const candidates = [process.env['PWSH'], join(homedir(), '.dotnet', 'tools', 'pwsh')];
  for (const c of candidates) if (c && existsSync(c)) return c;
  try {
    const found = execFileSync('sh', ['-c', 'command -v pwsh'], { encoding: 'utf8' }).trim();
    return found || undefined;
  } catch {
    return undefined;
  }
}

/** Pester 5's module manifest from the NuGet cache, the newest 5.x, or undefined. */
export function findPester(): string | undefined {
  const root = join(process.env['NUGET_PACKAGES'] ?? join(homedir(), '.nuget', 'packages'), 'pester');
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => /^5\.\d+\.\d+$/.test(v))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const newest = versions.at(-1);
  const manifest = newest && join(root, newest, 'tools', 'Pester.psd1');
  return manifest && existsSync(manifest) ? manifest : undefined;
}
