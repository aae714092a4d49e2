// Fake credentials in each provider's real format, for rule cases, tests and benchmarks. Kept out
// of secret-patterns.ts (detection data) so that building them is not paid by every process that
// only detects: a hook's start-up, for one.

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const HEX = '0123456789abcdef';
const B64 = ALNUM + '+/';
const URLSAFE = ALNUM + '_-';

/**
 * Random-looking characters from a fixed seed: real formats, values that are no one's key.
 * Generated rather than written out so that Warden's own sources hold nothing a secret
 * scanner would flag.
 */
export function fakeToken(length: number, alphabet = ALNUM, seed = 1): string {
  let x = (seed * 2654435761) >>> 0 || 1;
  let out = '';
  while (out.length < length) {
    // xorshift32
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    const ch = alphabet[x % alphabet.length]!;
    // Never three of a kind in a row, so no sample reads as a placeholder run.
    if (out.length >= 2 && out[out.length - 1] === ch && out[out.length - 2] === ch) continue;
    out += ch;
  }
  return out;
}

export interface FakeCredential {
  /** What the sample is, for test names. */
  label: string;
  /** The kind Warden must report for it. */
  kind: string;
  /** The credential in its real format. */
  value: string;
  /** A field name it would typically be stored under. */
  envName: string;
}

const f = (label: string, kind: string, envName: string, value: string): FakeCredential => ({ label, kind, envName, value });

/** One fake credential per provider format Warden detects (by secretlint or its own table). */
export const FAKE_CREDENTIALS: readonly FakeCredential[] = [
  f('OpenAI project key', 'OpenAI API key', 'OPENAI_API_KEY', `sk-proj-${fakeToken(74, URLSAFE, 2)}T3BlbkFJ${fakeToken(74, URLSAFE, 3)}`),
  f('OpenAI service account key', 'OpenAI API key', 'OPENAI_API_KEY', `sk-svcacct-${fakeToken(58, URLSAFE, 4)}T3BlbkFJ${fakeToken(58, URLSAFE, 5)}`),
  f('OpenAI admin key', 'OpenAI API key', 'OPENAI_ADMIN_KEY', `sk-admin-${fakeToken(58, URLSAFE, 6)}T3BlbkFJ${fakeToken(58, URLSAFE, 7)}`),
  f('OpenAI legacy key', 'OpenAI API key', 'OPENAI_API_KEY', `sk-${fakeToken(20, ALNUM, 8)}T3BlbkFJ${fakeToken(20, ALNUM, 9)}`),
  f('OpenAI legacy 48-character key', 'OpenAI API key', 'OPENAI_API_KEY', `sk-${fakeToken(48, ALNUM, 10)}`),
  f('OpenRouter key', 'OpenRouter API key', 'OPENROUTER_API_KEY', `sk-or-v1-${fakeToken(64, HEX, 11)}`),
  f('Anthropic API key', 'Anthropic API key', 'ANTHROPIC_API_KEY', `sk-ant-api03-${fakeToken(93, URLSAFE, 12)}AA`),
  f('Anthropic admin key', 'Anthropic admin API key', 'ANTHROPIC_ADMIN_KEY', `sk-ant-admin01-${fakeToken(93, URLSAFE, 13)}AA`),
  f('Claude Code OAuth token', 'Claude Code OAuth token', 'CLAUDE_CODE_OAUTH_TOKEN', `sk-ant-oat01-${fakeToken(95, URLSAFE, 14)}`),
  f('Claude OAuth refresh token', 'Claude OAuth refresh token', 'CLAUDE_REFRESH_TOKEN', `sk-ant-ort01-${fakeToken(95, URLSAFE, 15)}`),
  f('GitHub classic PAT', 'GitHub token', 'GITHUB_PERSONAL_ACCESS_TOKEN', `ghp_${fakeToken(36, ALNUM, 16)}`),
  f('GitHub OAuth token', 'GitHub token', 'GITHUB_TOKEN', `gho_${fakeToken(36, ALNUM, 17)}`),
  f('GitHub user-to-server token', 'GitHub token', 'GITHUB_TOKEN', `ghu_${fakeToken(36, ALNUM, 18)}`),
  f('GitHub server-to-server token', 'GitHub token', 'GITHUB_TOKEN', `ghs_${fakeToken(36, ALNUM, 19)}`),
  f('GitHub refresh token', 'GitHub token', 'GITHUB_TOKEN', `ghr_${fakeToken(36, ALNUM, 20)}`),
  f('GitHub fine-grained PAT', 'GitHub token', 'GITHUB_PAT', `github_pat_${fakeToken(22, ALNUM, 21)}_${fakeToken(59, ALNUM, 22)}`),
  f('GitLab PAT', 'GitLab token', 'GITLAB_PERSONAL_ACCESS_TOKEN', `glpat-${fakeToken(20, URLSAFE, 23)}`),
  f('AWS access key id', 'AWS access key ID', 'AWS_ACCESS_KEY_ID', `AKIA${fakeToken(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 24)}`),
  f('AWS temporary key id', 'AWS access key ID', 'AWS_ACCESS_KEY_ID', `ASIA${fakeToken(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 25)}`),
  f('Google API key', 'Google API key', 'GOOGLE_MAPS_API_KEY', `AIza${fakeToken(35, URLSAFE, 26)}`),
  f('Google OAuth client secret', 'Google OAuth client secret', 'GOOGLE_CLIENT_SECRET', `GOCSPX-${fakeToken(28, URLSAFE, 27)}`),
  f(
    'Azure storage connection string',
    'Azure storage account key',
    'AZURE_STORAGE_CONNECTION_STRING',
    `DefaultEndpointsProtocol=https;AccountName=wardenfake;AccountKey=${fakeToken(86, B64, 28)}==;EndpointSuffix=core.windows.net`,
  ),
  f('Azure AD client secret', 'Azure AD client secret', 'AZURE_CLIENT_SECRET', `${fakeToken(3, ALNUM, 29)}8Q~${fakeToken(34, ALNUM + '_~.-', 30)}`),
  f('Slack bot token', 'Slack token', 'SLACK_BOT_TOKEN', `xoxb-${fakeToken(12, '0123456789', 31)}-${fakeToken(13, '0123456789', 32)}-${fakeToken(24, ALNUM, 33)}`),
  f('Slack user token', 'Slack token', 'SLACK_USER_TOKEN', `xoxp-${fakeToken(12, '0123456789', 34)}-${fakeToken(12, '0123456789', 35)}-${fakeToken(13, '0123456789', 36)}-${fakeToken(32, HEX, 37)}`),
  f('Slack session token', 'Slack token', 'SLACK_TOKEN', `xoxs-${fakeToken(12, '0123456789', 38)}-${fakeToken(13, '0123456789', 39)}-${fakeToken(24, ALNUM, 40)}`),
  f('Slack webhook', 'Slack webhook URL', 'SLACK_WEBHOOK_URL', `https://hooks.slack.com/services/T${fakeToken(10, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 41)}/B${fakeToken(10, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 42)}/${fakeToken(24, ALNUM, 43)}`),
  f('Stripe live secret key', 'Stripe live secret key', 'STRIPE_SECRET_KEY', `sk_live_${fakeToken(99, ALNUM, 44)}`),
  f('Stripe restricted key', 'Stripe live secret key', 'STRIPE_API_KEY', `rk_live_${fakeToken(99, ALNUM, 45)}`),
  f('Hugging Face token', 'Hugging Face token', 'HF_TOKEN', `hf_${fakeToken(34, LETTERS, 46)}`),
  f('npm token', 'npm token', 'NPM_TOKEN', `npm_${fakeToken(36, ALNUM, 47)}`),
  f('PostgreSQL URL', 'PostgreSQL connection string password', 'DATABASE_URL', `postgres://app:${fakeToken(20, ALNUM, 48)}@db.internal.test:5432/app`),
  f('MongoDB SRV URL', 'MongoDB connection string password', 'MONGODB_URI', `mongodb+srv://svc:${fakeToken(20, ALNUM, 49)}@cluster0.mongo.test/prod`),
  f('Redis URL', 'Redis connection string password', 'REDIS_URL', `redis://default:${fakeToken(20, ALNUM, 50)}@cache.internal.test:6379`),
  f('MySQL URL', 'MySQL connection string password', 'MYSQL_URL', `mysql://root:${fakeToken(20, ALNUM, 51)}@mysql.internal.test:3306/app`),
  f(
    'PEM private key',
    'private key',
    'PRIVATE_KEY',
    `-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA${fakeToken(64 * 18, B64, 52).replace(/(.{64})/g, '$1\n')}\n-----END RSA PRIVATE KEY-----`,
  ),
  f('JWT', 'JSON Web Token', 'SUPABASE_SERVICE_ROLE_KEY', `eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ${fakeToken(60, URLSAFE, 53)}.${fakeToken(43, URLSAFE, 54)}`),
  f('Groq key', 'Groq API key', 'GROQ_API_KEY', `gsk_${fakeToken(52, ALNUM, 55)}`),
  f('LangSmith personal token', 'LangSmith API key', 'LANGSMITH_API_KEY', `lsv2_pt_${fakeToken(32, HEX, 56)}_${fakeToken(10, HEX, 57)}`),
  f('LangSmith service key', 'LangSmith API key', 'LANGCHAIN_API_KEY', `lsv2_sk_${fakeToken(32, HEX, 58)}_${fakeToken(10, HEX, 59)}`),
  f('Replicate token', 'Replicate API token', 'REPLICATE_API_TOKEN', `r8_${fakeToken(37, ALNUM, 60)}`),
  f('Perplexity key', 'Perplexity API key', 'PERPLEXITY_API_KEY', `pplx-${fakeToken(48, ALNUM, 61)}`),
  f('xAI key', 'xAI API key', 'XAI_API_KEY', `xai-${fakeToken(80, ALNUM, 62)}`),
  f('Tavily key', 'Tavily API key', 'TAVILY_API_KEY', `tvly-dev-${fakeToken(32, ALNUM, 63)}`),
  f('Linear key', 'Linear API key', 'LINEAR_API_KEY', `lin_api_${fakeToken(40, ALNUM, 64)}`),
  f('Notion token', 'Notion integration token', 'NOTION_TOKEN', `ntn_${fakeToken(11, '0123456789', 65)}${fakeToken(35, ALNUM, 66)}`),
  f('SendGrid key', 'SendGrid API key', 'SENDGRID_API_KEY', `SG.${fakeToken(22, ALNUM, 67)}.${fakeToken(43, ALNUM, 68)}`),
  f('Sentry user token', 'Sentry auth token', 'SENTRY_AUTH_TOKEN', `sntryu_${fakeToken(64, HEX, 69)}`),
  f('Supabase access token', 'Supabase access token', 'SUPABASE_ACCESS_TOKEN', `sbp_${fakeToken(40, HEX, 70)}`),
  f('DigitalOcean token', 'DigitalOcean token', 'DIGITALOCEAN_TOKEN', `dop_v1_${fakeToken(64, HEX, 71)}`),
  f('Databricks token', 'Databricks access token', 'DATABRICKS_TOKEN', `dapi${fakeToken(32, HEX, 72)}`),
  f('Docker PAT', 'Docker access token', 'DOCKER_TOKEN', `dckr_pat_${fakeToken(27, URLSAFE, 73)}`),
  f('Figma PAT', 'Figma access token', 'FIGMA_API_KEY', `figd_${fakeToken(43, URLSAFE, 74)}`),
  f('Vault token', 'HashiCorp Vault token', 'VAULT_TOKEN', `hvs.${fakeToken(95, URLSAFE, 75)}`),
  f('Telegram bot token', 'Telegram bot token', 'TELEGRAM_BOT_TOKEN', `${fakeToken(10, '123456789', 76)}:AA${fakeToken(33, URLSAFE, 77)}`),
  f('Discord webhook', 'Discord webhook URL', 'DISCORD_WEBHOOK_URL', `https://discord.com/api/webhooks/${fakeToken(19, '0123456789', 78)}/${fakeToken(68, URLSAFE, 79)}`),
  f('Atlassian API token', 'Atlassian API token', 'JIRA_API_TOKEN', `ATATT3${fakeToken(186, URLSAFE, 80)}`),
];

/** Keys known only by their name and shape; `envName` carries the vendor. */
export const FAKE_NAMED_CREDENTIALS: readonly FakeCredential[] = [
  f('Cohere key', 'Cohere API key', 'COHERE_API_KEY', fakeToken(40, ALNUM, 90)),
  f('Cohere key (CO_API_KEY)', 'Cohere API key', 'CO_API_KEY', fakeToken(40, ALNUM, 91)),
  f('Mistral key', 'Mistral API key', 'MISTRAL_API_KEY', fakeToken(32, ALNUM, 92)),
  f('AWS secret access key', 'AWS secret access key', 'AWS_SECRET_ACCESS_KEY', fakeToken(40, B64, 93)),
  f('Azure client secret', 'Azure client secret', 'AZURE_CLIENT_SECRET', fakeToken(40, ALNUM + '_~.-', 94)),
  f('Brave Search key', 'Brave Search API key', 'BRAVE_API_KEY', fakeToken(31, ALNUM, 95)),
];
