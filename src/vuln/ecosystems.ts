// The package ecosystems Warden matches advisories for, as data: how OSV names them, their purl
// type, how a package name is compared, and the command that upgrades a package. Adding an
// ecosystem is a row here and a version scheme in versions.ts.

export interface Ecosystem {
  /** The OSV `affected[].package.ecosystem` string. */
  osv: string;
  /** The package URL type (https://github.com/package-url/purl-spec). */
  purlType: string;
  /** The name as both OSV and the installer treat it, so the two sides of a lookup agree. */
  normaliseName(name: string): string;
  /** The shell command that installs `fixed` or later. */
  upgradeCommand(name: string, fixed: string): string;
}

/** A shell word in single quotes, so a name or version never reaches the shell unquoted. */
function shellQuote(s: string): string {
  return /^[A-Za-z0-9@%+=:,./_-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export const ECOSYSTEMS: readonly Ecosystem[] = [
  {
    osv: 'npm',
    purlType: 'npm',
    // npm compares names exactly; a few old packages still have capitals (JSONStream).
    normaliseName: (name) => name,
    upgradeCommand: (name, fixed) => `npm install ${shellQuote(`${name}@${fixed}`)}`,
  },
  {
    osv: 'PyPI',
    purlType: 'pypi',
    // PEP 503: runs of -, _ and . are one -, case-insensitive (Django_Foo.bar == django-foo-bar).
    normaliseName: (name) => name.replace(/[-_.]+/g, '-').toLowerCase(),
    upgradeCommand: (name, fixed) => `pip install '${`${name}>=${fixed}`.replace(/'/g, `'\\''`)}'`,
  },
];

export function ecosystemByOsvName(osv: string): Ecosystem | undefined {
  return ECOSYSTEMS.find((e) => e.osv === osv);
}

export function ecosystemByPurlType(type: string): Ecosystem | undefined {
  return ECOSYSTEMS.find((e) => e.purlType === type);
}
