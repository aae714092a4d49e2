import type { Rule } from './rule.js';
import { unpinnedPackage } from './unpinned-package.js';
import { unpinnedContainerImage } from './unpinned-container-image.js';
import { insecureHttpTransport } from './insecure-http-transport.js';
import { tokenInUrl } from './token-in-url.js';
import { typosquatPackage } from './typosquat-package.js';
import { serverNotAllowlisted } from './server-not-allowlisted.js';

export const SUPPLY_CHAIN_RULES: readonly Rule[] = [
  unpinnedPackage,
  unpinnedContainerImage,
  insecureHttpTransport,
  tokenInUrl,
  typosquatPackage,
  serverNotAllowlisted,
];
