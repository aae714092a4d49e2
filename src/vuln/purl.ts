// Package URLs (pkg:npm/%40scope/name@1.2.3, pkg:pypi/name@1.0) read and written through
// packageurl-js, the purl project's own implementation, so encoding and each type's rules are
// the specification's rather than ours. On top of it, PyPI names get PEP 503 normalisation
// (packageurl-js lowercases and turns _ into - but keeps dots), so a purl and an OSV record
// naming one package in two spellings meet.
import { PackageURL } from 'packageurl-js';
import { ecosystemByOsvName, ecosystemByPurlType } from './ecosystems.js';

export interface PackageRef {
  /** OSV ecosystem name (npm, PyPI). */
  ecosystem: string;
  /** The package name as written (npm: `@scope/name`). */
  name: string;
  /** The name lookups use: the ecosystem's normal form. */
  key: string;
  version: string;
}

export type PurlParse = { ok: true; ref: PackageRef } | { ok: false; error: string };

/** Reads a purl with a version; never throws. */
export function parsePurl(purl: string): PurlParse {
  let p: PackageURL;
  try {
    p = PackageURL.fromString(purl);
  } catch (err) {
    return { ok: false, error: `${JSON.stringify(purl)}: not a package URL (${(err as Error).message})` };
  }
  const ecosystem = ecosystemByPurlType(p.type);
  if (!ecosystem) return { ok: false, error: `${JSON.stringify(purl)}: package type "${p.type}" is not one Warden matches advisories for (npm, pypi)` };
  if (!p.version) return { ok: false, error: `${JSON.stringify(purl)}: no version (add @VERSION)` };
  const name = p.namespace ? `${p.namespace}/${p.name}` : p.name;
  return { ok: true, ref: { ecosystem: ecosystem.osv, name, key: ecosystem.normaliseName(name), version: p.version } };
}

/** The purl of a package version; throws only on an ecosystem with no purl type here. */
export function toPurl(ecosystemName: string, name: string, version?: string): string {
  const ecosystem = ecosystemByOsvName(ecosystemName);
  if (!ecosystem) throw new TypeError(`no purl type for the ${ecosystemName} ecosystem`);
  const slash = ecosystem.purlType === 'npm' && name.startsWith('@') ? name.indexOf('/') : -1;
  const namespace = slash > 0 ? name.slice(0, slash) : undefined;
  const bare = slash > 0 ? name.slice(slash + 1) : name;
  const normalised = ecosystem.purlType === 'pypi' ? ecosystem.normaliseName(bare) : bare;
  return new PackageURL(ecosystem.purlType, namespace, normalised, version, undefined, undefined).toString();
}
