// What Warden knows about credentials, as data: provider formats that secretlint's recommend
// preset misses (checked by testing it), the names secretlint's findings get, which field names
// mean "a secret goes here", and vendor keys that are recognisable only by their name.
// Formats learn from gitleaks' rules (cmd/generate/config/rules) and the vendors' own docs.

export type SecretSeverity = 'critical' | 'high';

export interface SecretPattern {
  /** Detector id, stable: it is part of finding fingerprints. */
  id: string;
  /** Human name of the credential, used in messages: "<kind> hard-coded in ...". */
  kind: string;
  /**
   * Literals, one of which every match contains (compared case-insensitively). The engine only
   * runs patterns over lines that hold a keyword (gitleaks-style prefilter), so a keyword must
   * not be missed, and should be rare in ordinary text.
   */
  keywords: readonly string[];
  /** Global regex. A named group `secret` (with the `d` flag) marks the secret in a longer match. */
  regex: RegExp;
  /** Defaults to critical: a provider-format key is a live credential until proven otherwise. */
  severity?: SecretSeverity;
}

// Boundaries: a token starts where no token character precedes it. The lookbehind also keeps
// hostile input ("sk-sk-sk-...") from starting a match at every position.
const B = '(?<![A-Za-z0-9_-])';
const E = '(?![A-Za-z0-9_-])';
const re = (source: string, flags = 'g'): RegExp => new RegExp(source, flags);

export const SECRET_PATTERNS: readonly SecretPattern[] = [
  // A private key block whose body secretlint cannot parse (a truncated or re-encoded key is still a
  // key). The body must follow the header, so prose that only names the header is not a key.
  {
    id: 'pem-private-key-block',
    kind: 'private key',
    keywords: ['-----BEGIN'],
    regex: re(`-----BEGIN (?:[A-Z0-9]+ ){0,3}PRIVATE KEY-----(?:\\\\[rn]|\\s){1,4}[A-Za-z0-9+/=]{40,4096}`),
  },
  // AI vendors
  {
    id: 'openai-api-key',
    kind: 'OpenAI API key',
    keywords: ['sk-proj-', 'sk-svcacct-', 'sk-admin-'],
    regex: re(`${B}sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,250}${E}`),
  },
  { id: 'openai-legacy-api-key', kind: 'OpenAI API key', keywords: ['sk-'], regex: re(`${B}sk-[A-Za-z0-9]{48}${E}`) },
  { id: 'openrouter-api-key', kind: 'OpenRouter API key', keywords: ['sk-or-v1-'], regex: re(`${B}sk-or-v1-[a-f0-9]{64}${E}`) },
  { id: 'anthropic-api-key', kind: 'Anthropic API key', keywords: ['sk-ant-api'], regex: re(`${B}sk-ant-api\\d\\d-[A-Za-z0-9_-]{80,200}${E}`) },
  {
    id: 'anthropic-admin-key',
    kind: 'Anthropic admin API key',
    keywords: ['sk-ant-admin'],
    regex: re(`${B}sk-ant-admin\\d\\d-[A-Za-z0-9_-]{80,200}${E}`),
  },
  {
    id: 'claude-oauth-token',
    kind: 'Claude Code OAuth token',
    keywords: ['sk-ant-oat'],
    regex: re(`${B}sk-ant-oat\\d\\d-[A-Za-z0-9_-]{40,200}${E}`),
  },
  {
    id: 'claude-oauth-refresh-token',
    kind: 'Claude OAuth refresh token',
    keywords: ['sk-ant-ort'],
    regex: re(`${B}sk-ant-ort\\d\\d-[A-Za-z0-9_-]{40,200}${E}`),
  },
  {
    id: 'langsmith-api-key',
    kind: 'LangSmith API key',
    keywords: ['lsv2_'],
    regex: re(`${B}lsv2_(?:pt|sk)_[A-Za-z0-9]{32}_[A-Za-z0-9]{10}${E}`),
  },
  { id: 'replicate-api-token', kind: 'Replicate API token', keywords: ['r8_'], regex: re(`${B}r8_[A-Za-z0-9]{37}${E}`) },
  { id: 'perplexity-api-key', kind: 'Perplexity API key', keywords: ['pplx-'], regex: re(`${B}pplx-[A-Za-z0-9]{48}${E}`) },
  { id: 'xai-api-key', kind: 'xAI API key', keywords: ['xai-'], regex: re(`${B}xai-[A-Za-z0-9]{80}${E}`) },
  { id: 'huggingface-org-token', kind: 'Hugging Face token', keywords: ['api_org_'], regex: re(`${B}api_org_[A-Za-z]{34}${E}`) },
  { id: 'tavily-api-key', kind: 'Tavily API key', keywords: ['tvly-'], regex: re(`${B}tvly-(?:dev-|prod-)?[A-Za-z0-9]{32}${E}`) },
  { id: 'pinecone-api-key', kind: 'Pinecone API key', keywords: ['pcsk_'], regex: re(`${B}pcsk_[A-Za-z0-9]{4,8}_[A-Za-z0-9]{50,80}${E}`) },
  { id: 'firecrawl-api-key', kind: 'Firecrawl API key', keywords: ['fc-'], regex: re(`${B}fc-[a-f0-9]{32}${E}`) },
  { id: 'elevenlabs-api-key', kind: 'ElevenLabs API key', keywords: ['sk_'], regex: re(`${B}sk_[a-f0-9]{48}${E}`) },

  // Cloud
  {
    id: 'aws-access-key-id',
    kind: 'AWS access key ID',
    keywords: ['AKIA', 'ASIA', 'ABIA', 'ACCA'],
    // Key ids are base32 ([A-Z2-7]); AWS's documentation example ends in EXAMPLE and is dropped as a placeholder.
    regex: re('(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Za-z0-9])'),
  },
  { id: 'google-api-key', kind: 'Google API key', keywords: ['AIza'], regex: re(`${B}AIza[0-9A-Za-z_-]{35}${E}`) },
  {
    id: 'google-oauth-client-secret',
    kind: 'Google OAuth client secret',
    keywords: ['GOCSPX-'],
    regex: re(`${B}GOCSPX-[A-Za-z0-9_-]{28}${E}`),
  },
  {
    id: 'azure-storage-account-key',
    kind: 'Azure storage account key',
    keywords: ['AccountKey='],
    regex: re('AccountKey=(?<secret>[A-Za-z0-9+/]{80,100}={0,2})', 'dg'),
  },
  {
    id: 'azure-shared-access-key',
    kind: 'Azure shared access key',
    keywords: ['SharedAccessKey='],
    regex: re('SharedAccessKey=(?<secret>[A-Za-z0-9+/]{40,50}={0,2})', 'dg'),
  },
  {
    id: 'azure-sas-token',
    kind: 'Azure SAS token signature',
    keywords: ['sig='],
    regex: re('[?&;]sig=(?<secret>[A-Za-z0-9%+/]{40,120}(?:%3D|=){0,2})', 'dg'),
    severity: 'high',
  },
  {
    id: 'azure-ad-client-secret',
    kind: 'Azure AD client secret',
    keywords: ['Q~'],
    regex: re('(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.]{3}\\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])'),
  },
  { id: 'digitalocean-token', kind: 'DigitalOcean token', keywords: ['_v1_'], regex: re(`${B}do[opr]_v1_[a-f0-9]{64}${E}`) },
  { id: 'supabase-access-token', kind: 'Supabase access token', keywords: ['sbp_'], regex: re(`${B}sbp_[a-f0-9]{40}${E}`) },

  // Developer platforms
  {
    id: 'gitlab-token',
    kind: 'GitLab token',
    keywords: ['glpat-', 'glrt-', 'gldt-', 'glptt-', 'glsoat-', 'glcbt-', 'glft-', 'glimt-', 'gloas-'],
    regex: re(`${B}gl(?:pat|rt|dt|ptt|soat|cbt|ft|imt|oas)-[A-Za-z0-9_-]{20,128}${E}`),
  },
  {
    id: 'atlassian-api-token',
    kind: 'Atlassian API token',
    keywords: ['ATATT3'],
    regex: re(`${B}ATATT3[A-Za-z0-9_=-]{150,250}${E}`),
  },
  { id: 'sentry-token', kind: 'Sentry auth token', keywords: ['sntrys_', 'sntryu_'], regex: re(`${B}sntry(?:s_eyJ[A-Za-z0-9+/=_-]{50,500}|u_[a-f0-9]{64})${E}`) },
  { id: 'postman-api-key', kind: 'Postman API key', keywords: ['PMAK-'], regex: re(`${B}PMAK-[a-f0-9]{24}-[a-f0-9]{34}${E}`) },
  {
    id: 'doppler-token',
    kind: 'Doppler token',
    keywords: ['dp.pt.', 'dp.st.', 'dp.sa.', 'dp.ct.', 'dp.scim.', 'dp.audit.'],
    regex: re(`${B}dp\\.(?:pt|st|sa|ct|scim|audit)\\.[A-Za-z0-9]{40,44}${E}`),
  },
  { id: 'notion-legacy-token', kind: 'Notion integration token', keywords: ['secret_'], regex: re(`${B}secret_[A-Za-z0-9]{43}${E}`) },

  // Messaging and payments
  {
    id: 'slack-token',
    kind: 'Slack token',
    keywords: ['xox'],
    // Every Slack token type (bot, user, session, config, client, refresh) continues with digits.
    regex: re('(?<![A-Za-z0-9])(?:xoxe\\.)?xox[abcdeoprs]-\\d[A-Za-z0-9-]{20,300}(?![A-Za-z0-9-])'),
  },
  {
    id: 'slack-webhook-url',
    kind: 'Slack webhook URL',
    keywords: ['hooks.slack.com'],
    regex: re('https://hooks\\.slack\\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/_-]{20,200}'),
  },
  {
    id: 'discord-webhook-url',
    kind: 'Discord webhook URL',
    keywords: ['/api/webhooks/'],
    regex: re('https://(?:ptb\\.|canary\\.)?discord(?:app)?\\.com/api/webhooks/\\d{5,30}/[A-Za-z0-9_-]{50,100}'),
  },
  {
    id: 'telegram-bot-token',
    kind: 'Telegram bot token',
    keywords: [':AA'],
    regex: re('(?<![A-Za-z0-9_:-])\\d{8,10}:AA[A-Za-z0-9_-]{33}(?![A-Za-z0-9_-])'),
  },
  { id: 'mailgun-api-key', kind: 'Mailgun API key', keywords: ['key-'], regex: re(`${B}key-[a-f0-9]{32}${E}`) },
  {
    id: 'stripe-live-key',
    kind: 'Stripe live secret key',
    keywords: ['_live_'],
    regex: re('(?<![A-Za-z0-9])(?:sk|rk)_live_[A-Za-z0-9]{20,247}(?![A-Za-z0-9])'),
  },
  {
    id: 'stripe-test-key',
    kind: 'Stripe test secret key',
    keywords: ['_test_'],
    regex: re('(?<![A-Za-z0-9])(?:sk|rk)_test_[A-Za-z0-9]{20,247}(?![A-Za-z0-9])'),
    severity: 'high',
  },
  { id: 'stripe-webhook-secret', kind: 'Stripe webhook signing secret', keywords: ['whsec_'], regex: re(`${B}whsec_[A-Za-z0-9+/]{32,64}${E}`) },

  // Generic formats
  {
    id: 'jwt',
    kind: 'JSON Web Token',
    keywords: ['eyJ'],
    // Bounded parts: a JWT is rarely over a few kilobytes, and bounds keep hostile input linear.
    regex: re(`${B}eyJ[A-Za-z0-9_-]{8,4096}\\.eyJ[A-Za-z0-9_-]{8,8192}\\.[A-Za-z0-9_-]{8,4096}${E}`),
    severity: 'high',
  },
  {
    id: 'url-password',
    kind: 'URL password',
    keywords: [], // triggered by URL_USERINFO_TRIGGER: a plain '://' would select every line with a link
    // scheme://user:password@host. The password may hold ':' (unencoded), never '@', '/' or space.
    regex: re(
      '(?<![A-Za-z0-9+.-])(?<scheme>[A-Za-z][A-Za-z0-9+.-]{1,20})://(?<user>[^\\s/?#@:"\'`<>]{1,128}):(?<secret>[^\\s/?#@"\'`<>]{1,256})@(?=[A-Za-z0-9[])',
      'dg',
    ),
  },
];

/** The password in a URL is named after what the URL connects to. */
export const URL_SCHEME_KINDS: Readonly<Record<string, string>> = {
  postgres: 'PostgreSQL connection string password',
  postgresql: 'PostgreSQL connection string password',
  mysql: 'MySQL connection string password',
  mysqlx: 'MySQL connection string password',
  mariadb: 'MariaDB connection string password',
  mongodb: 'MongoDB connection string password',
  'mongodb+srv': 'MongoDB connection string password',
  redis: 'Redis connection string password',
  rediss: 'Redis connection string password',
  amqp: 'AMQP connection string password',
  amqps: 'AMQP connection string password',
  mssql: 'SQL Server connection string password',
  sqlserver: 'SQL Server connection string password',
  clickhouse: 'ClickHouse connection string password',
  neo4j: 'Neo4j connection string password',
  'neo4j+s': 'Neo4j connection string password',
  bolt: 'Neo4j connection string password',
  ftp: 'FTP password',
  ftps: 'FTP password',
  smtp: 'SMTP password',
  smtps: 'SMTP password',
};

/** secretlint's message ids, named the way Warden names the same credential. */
export const SECRETLINT_KINDS: Readonly<Record<string, { kind: string; severity?: SecretSeverity }>> = {
  AWSSecretAccessKey: { kind: 'AWS secret access key' },
  AWSAccessKeyID: { kind: 'AWS access key ID' },
  AWSAccountID: { kind: 'AWS account ID', severity: 'high' },
  PrivateKeyP12: { kind: 'GCP service account key' },
  PrivateKeyJSON: { kind: 'GCP service account key' },
  PrivateKey: { kind: 'private key' },
  PackageJSON_xOauthToken: { kind: 'GitHub token' },
  Npmrc_authToken: { kind: 'npm token' },
  NPM_ACCESS_TOKEN: { kind: 'npm token' },
  BasicAuth: { kind: 'URL password' },
  SLACK_TOKEN: { kind: 'Slack token' },
  IncomingWebhook: { kind: 'Slack webhook URL' },
  SENDGRID_KEY: { kind: 'SendGrid API key' },
  SHOPIFY_KEY: { kind: 'Shopify access token' },
  GITHUB_TOKEN: { kind: 'GitHub token' },
  GITLAB_PERSONAL_ACCESS_TOKEN: { kind: 'GitLab token' },
  GRAFANA_CLOUD_API_TOKEN: { kind: 'Grafana Cloud API token' },
  GRAFANA_SERVICE_ACCOUNT_TOKEN: { kind: 'Grafana service account token' },
  OPENAI_TOKEN: { kind: 'OpenAI API key' },
  ANTHROPIC_API_KEY: { kind: 'Anthropic API key' },
  GROQ_API_KEY: { kind: 'Groq API key' },
  HUGGINGFACE_USER_ACCESS_TOKEN: { kind: 'Hugging Face token' },
  LINEAR_API_TOKEN: { kind: 'Linear API key' },
  NOTION_INTEGRATION_TOKEN: { kind: 'Notion integration token' },
  OPS_TOKEN: { kind: '1Password service account token' },
  MongoDBConnection: { kind: 'MongoDB connection string password' },
  MySQLConnection: { kind: 'MySQL connection string password' },
  PostgreSQLConnection: { kind: 'PostgreSQL connection string password' },
  HASHICORP_VAULT_SERVICE_TOKEN: { kind: 'HashiCorp Vault token' },
  HASHICORP_VAULT_BATCH_TOKEN: { kind: 'HashiCorp Vault token' },
  HASHICORP_VAULT_RECOVERY_TOKEN: { kind: 'HashiCorp Vault token' },
  VERCEL_PERSONAL_ACCESS_TOKEN: { kind: 'Vercel token' },
  VERCEL_INTEGRATION_TOKEN: { kind: 'Vercel token' },
  VERCEL_APP_ACCESS_TOKEN: { kind: 'Vercel token' },
  VERCEL_APP_REFRESH_TOKEN: { kind: 'Vercel token' },
  VERCEL_AI_GATEWAY_API_KEY: { kind: 'Vercel AI Gateway API key' },
  DATABRICKS_PERSONAL_ACCESS_TOKEN: { kind: 'Databricks access token' },
  DOCKER_PERSONAL_ACCESS_TOKEN: { kind: 'Docker access token' },
  FIGMA_PERSONAL_ACCESS_TOKEN: { kind: 'Figma access token' },
};

/**
 * Literals that every secretlint recommend-preset finding contains (its rules' fixed prefixes),
 * so that secretlint only runs over lines that could hold one. URL credentials are triggered
 * by {@link URL_USERINFO_TRIGGER} instead. Kept in step with the pinned preset by a unit test.
 */
export const SECRETLINT_KEYWORDS: readonly string[] = [
  // AWS secret access key, found by its name (SECRET_ACCESS_KEY, secretAccessKey); plain
  // "secret" would select every line of prose about secrets.
  'secret_access',
  'secretaccess',
  '-----BEGIN',
  'npm_',
  'xox',
  'xapp',
  'hooks.slack.com',
  'SG.',
  'shp',
  'ghp_',
  'gho_',
  'ghu_',
  'ghs_',
  'ghr_',
  'github_pat_',
  'glpat-',
  'glc_',
  'glsa_',
  'sk-',
  'gsk_',
  'hf_',
  'lin_api_',
  'ntn_',
  'ops_',
  'hvs.',
  'hvb.',
  'hvr.',
  'vcp_',
  'vci_',
  'vca_',
  'vcr_',
  'vck_',
  'dapi',
  'dckr_pat_',
  'figd_',
];

/** Documentation examples that are well-formed but public (jwt.io's sample token signature). */
export const KNOWN_EXAMPLE_FRAGMENTS: readonly string[] = ['SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'];

/**
 * Name words whose presence on a line makes it worth the name-based (`NAME=value`) pass; each
 * word of {@link secretNameClass} contains one. Compared case-insensitively.
 */
export const SECRET_NAME_TRIGGERS: readonly string[] = ['key', 'token', 'secret', 'pass', 'pwd', 'auth', 'bearer', 'credential', 'creds', 'cookie', '_pat', 'sig'];

/**
 * `scheme://user:pass@`: the shape of every credential-bearing URL, as a trigger. The user part
 * may hold an unencoded `@` (e-mail user names), never a `:`.
 */
export const URL_USERINFO_TRIGGER = '://[^\\s/:]{0,200}:[^\\s/@]{1,400}@';

// ---------------------------------------------------------------------------------------------
// Names

/** What a field name says it holds. */
export type SecretNameClass = 'password' | 'token' | 'key' | 'secret' | 'credential' | 'authorization';

/** Last word of a field name (after splitting camelCase and separators) that means "a secret goes here". */
const SECRET_NAME_WORDS: Readonly<Record<string, SecretNameClass>> = {
  TOKEN: 'token',
  ACCESSTOKEN: 'token',
  PAT: 'token',
  SECRET: 'secret',
  CLIENTSECRET: 'secret',
  PASSWORD: 'password',
  PASSWD: 'password',
  PWD: 'password',
  PASS: 'password',
  PASSPHRASE: 'password',
  KEY: 'key',
  APIKEY: 'key',
  ACCESSKEY: 'key',
  SECRETKEY: 'key',
  PRIVATEKEY: 'key',
  CREDENTIAL: 'credential',
  CREDENTIALS: 'credential',
  CREDS: 'credential',
  AUTHORIZATION: 'authorization',
  AUTH: 'authorization',
  BEARER: 'authorization',
  COOKIE: 'authorization',
  SIGNATURE: 'secret',
  SIG: 'secret',
};

/** Glued names (`PGPASSWORD`, `APITOKEN`) end in one of these. */
const SECRET_NAME_SUFFIXES: ReadonlyArray<[string, SecretNameClass]> = [
  ['PASSWORD', 'password'],
  ['PASSWD', 'password'],
  ['TOKEN', 'token'],
  ['SECRET', 'secret'],
  ['APIKEY', 'key'],
];

/** Trailing words that qualify rather than name the value: `API_KEY_PROD`, `TOKEN_2`, `SECRET_VALUE`. */
const QUALIFIER_WORDS = new Set([
  'PROD',
  'PRODUCTION',
  'DEV',
  'DEVELOPMENT',
  'STAGING',
  'STAGE',
  'TEST',
  'LIVE',
  'LOCAL',
  'DEFAULT',
  'OLD',
  'NEW',
  'SECONDARY',
  'BACKUP',
  'VALUE',
  'STRING',
  'RAW',
  'B64',
  'BASE64',
  'HEX',
  'DATA',
]);

/** `*_KEY` names that are not secrets: public keys, database keys, keyboard keys. */
const NON_SECRET_KEY_PREFIXES = new Set([
  'PUBLIC',
  'PUBLISHABLE',
  'SORT',
  'PARTITION',
  'PRIMARY',
  'FOREIGN',
  'CACHE',
  'IDEMPOTENCY',
  'HOT',
  'SHORTCUT',
  'ROUTING',
  'LOOKUP',
  'MAP',
  'HASH',
  'OBJECT',
  'S3',
  'KMS',
  'REGISTRY',
  'DEDUP',
  'GROUP',
  'SITE', // reCAPTCHA site keys are public
]);

/** `*_TOKEN` names that are not credentials: pagination and limits. */
const NON_SECRET_TOKEN_PREFIXES = new Set(['MAX', 'MIN', 'NEXT', 'PAGE', 'CONTINUATION', 'CANCELLATION', 'RESUME']);

/** Splits `openaiApiKey`, `OPENAI_API_KEY`, `x-api-key` into upper-case words. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0)
    .map((w) => w.toUpperCase());
}

/** Cheap test that a name could be secret-like at all; most names (command, url, LOG_LEVEL) fail it. */
const MAYBE_SECRET_NAME = /key|token|secret|pass|pwd|auth|bearer|cred|cookie|pat|sig/i;
/** Names repeat across servers and files; classifying one costs a few regexes. */
const nameClassCache = new Map<string, SecretNameClass | null>();

/** Whether a field, env var, header or flag name says it holds a secret, and which kind. */
export function secretNameClass(name: string): SecretNameClass | undefined {
  if (!MAYBE_SECRET_NAME.test(name)) return undefined;
  let cls = nameClassCache.get(name);
  if (cls === undefined) {
    cls = classifyName(name) ?? null;
    if (nameClassCache.size >= 10_000) nameClassCache.clear();
    nameClassCache.set(name, cls);
  }
  return cls ?? undefined;
}

function classifyName(name: string): SecretNameClass | undefined {
  const words = nameWords(name);
  while (words.length > 1 && (QUALIFIER_WORDS.has(words[words.length - 1]!) || /^(?:\d+|V\d+)$/.test(words[words.length - 1]!))) {
    words.pop();
  }
  if (words.length === 0) return undefined;
  if (words.includes('PUBLIC') || words.includes('PUBLISHABLE')) return undefined;
  const last = words[words.length - 1]!;
  const prev = words[words.length - 2];
  const cls = SECRET_NAME_WORDS[last] ?? SECRET_NAME_SUFFIXES.find(([suffix]) => last.endsWith(suffix))?.[1];
  if (!cls) return undefined;
  if (last === 'KEY' && prev !== undefined && NON_SECRET_KEY_PREFIXES.has(prev)) return undefined;
  if (last === 'TOKEN' && prev !== undefined && NON_SECRET_TOKEN_PREFIXES.has(prev)) return undefined;
  return cls;
}

/** How a name-based finding names the credential. */
export const NAME_CLASS_KINDS: Readonly<Record<SecretNameClass, string>> = {
  password: 'password',
  token: 'token',
  key: 'API key',
  secret: 'secret',
  credential: 'credential',
  authorization: 'authorization credential',
};

/**
 * Keys with no distinctive format, recognised by the vendor in their name plus the value's
 * shape (gitleaks calls these semi-generic rules). Names are matched as upper-case words
 * joined by `_`.
 */
export interface VendorNameHint {
  id: string;
  kind: string;
  name: RegExp;
  value: RegExp;
}

export const VENDOR_NAME_HINTS: readonly VendorNameHint[] = [
  { id: 'cohere-api-key', kind: 'Cohere API key', name: /(?:^|_)(?:COHERE|CO_API_KEY$)/, value: /^[A-Za-z0-9]{40}$/ },
  { id: 'mistral-api-key', kind: 'Mistral API key', name: /(?:^|_)MISTRAL(?:_|$)/, value: /^[A-Za-z0-9]{32}$/ },
  { id: 'aws-secret-access-key', kind: 'AWS secret access key', name: /(?:^|_)SECRET_ACCESS_KEY$|^AWS_SECRET/, value: /^[A-Za-z0-9/+]{40}$/ },
  {
    id: 'azure-client-secret',
    kind: 'Azure client secret',
    name: /(?:^|_)(?:AZURE|ARM|AAD|ENTRA)_(?:\w+_)?CLIENT_SECRET$/,
    value: /^[A-Za-z0-9_~.-]{34,44}$/,
  },
  {
    id: 'azure-ai-key',
    kind: 'Azure AI services key',
    name: /AZURE_(?:\w+_)?(?:OPENAI|COGNITIVE|SEARCH|AI|SPEECH)_(?:\w+_)?KEY$/,
    value: /^(?:[A-Fa-f0-9]{32}|[A-Za-z0-9]{84})$/,
  },
  { id: 'deepseek-api-key', kind: 'DeepSeek API key', name: /(?:^|_)DEEPSEEK(?:_|$)/, value: /^sk-[a-f0-9]{32}$/ },
  { id: 'brave-search-api-key', kind: 'Brave Search API key', name: /(?:^|_)BRAVE(?:_|$)/, value: /^[A-Za-z0-9_-]{20,40}$/ },
  { id: 'cloudflare-api-token', kind: 'Cloudflare API token', name: /(?:^|_)(?:CLOUDFLARE|CF)_(?:\w+_)?(?:TOKEN|KEY)$/, value: /^[A-Za-z0-9_-]{37,40}$/ },
  { id: 'datadog-api-key', kind: 'Datadog API key', name: /(?:^|_)(?:DATADOG|DD)_(?:API|APP|APPLICATION)_KEY$/, value: /^[a-f0-9]{32}$|^[a-f0-9]{40}$/ },
];
