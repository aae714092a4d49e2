// Credentials written into files that steer an agent (CLAUDE.md, AGENTS.md, .cursorrules,
// SKILL.md...). These files are committed, shared and pasted into the model's context on every
// session: a key there reaches the provider's servers, transcripts, logs, and any tool output
// the model is talked into producing.
import { basename } from 'node:path';
import { scanTextForSecrets } from '../detect/secrets.js';
import { FAKE_CREDENTIALS, FAKE_NAMED_CREDENTIALS, fakeToken } from '../detect/fake-credentials.js';
import { defineRule, type RuleCase, type RuleHit } from './rule.js';

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

const invalid: RuleCase[] = [
  ...FAKE_CREDENTIALS.map((c) => ({
    name: `${c.label} in prose`,
    instruction: { text: `# Project notes\n\nThe staging service uses ${c.value} for now.\n` },
  })),
  ...[...FAKE_CREDENTIALS.slice(0, 5), ...FAKE_NAMED_CREDENTIALS].map((c) => ({
    name: `${c.label} as an export`,
    instruction: { kind: 'skill' as const, text: `## Setup\n\n\`\`\`bash\nexport ${c.envName}=${c.value}\n\`\`\`\n` },
  })),
  {
    name: 'bearer token in a curl example',
    instruction: { text: `Call the API with:\n\n    curl -H "Authorization: Bearer ${fakeToken(40, undefined, 200)}" https://api.example.com/v1/me\n` },
  },
  { name: 'password in a connection string', instruction: { text: `Connect with postgresql://admin:${fakeToken(16, undefined, 201)}@db.example.com:5432/prod` } },
  { name: 'token in YAML front matter', instruction: { kind: 'skill', text: `---\nname: deploy\napi_token: ${fakeToken(32, undefined, 202)}\n---\nDeploys the app.\n` } },
  { name: 'password by name', instruction: { kind: 'cursorrules', text: `Admin login for the test box: password = "Zq8${fakeToken(9, undefined, 203)}"\n` } },
];

const valid: RuleCase[] = [
  { name: 'placeholder key', instruction: { text: 'Set `OPENAI_API_KEY=sk-...` in your shell before running the evals.' } },
  { name: 'angle-bracket placeholder', instruction: { text: 'export GITHUB_TOKEN=<your-token>\nexport API_KEY=your-token-here' } },
  { name: 'shouty placeholders', instruction: { text: 'API_KEY=YOUR_API_KEY\nSECRET=REPLACE_ME\nPASSWORD=changeme\nTOKEN=xxxx\nKEY=***' } },
  { name: 'masked key', instruction: { text: 'The key looks like ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx and lives in 1Password.' } },
  {
    name: 'references',
    instruction: {
      text: [
        'export API_KEY=${API_KEY}',
        'token: ${{ secrets.GITHUB_TOKEN }}',
        'password: ${env:DB_PASSWORD}',
        '$env:OPENAI_API_KEY = $env:OPENAI_API_KEY',
        'set API_TOKEN=%API_TOKEN%',
        '"apiKey": "{env:ANTHROPIC_API_KEY}"',
        '"Authorization": "Bearer ${input:token}"',
        'OPENAI_API_KEY=$OPENAI_API_KEY',
        'api_key: op://Engineering/OpenAI/credential',
      ].join('\n'),
    },
  },
  { name: 'AWS documentation example', instruction: { text: 'aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' } },
  { name: 'placeholder connection string', instruction: { text: 'DATABASE_URL=postgres://user:password@localhost:5432/app' } },
  { name: 'code reading the environment', instruction: { text: 'const apiKey = process.env.OPENAI_API_KEY;\nconst token = getToken();\nkey: os.environ["KEY"]' } },
  {
    name: 'prose about keys and tokens',
    instruction: { text: 'Key points: keep tokens short (max_tokens: 1024). The secret to good tests is isolation. Use the primary key, not the name.' },
  },
  {
    name: "jwt.io's public example token",
    instruction: {
      text: 'Decode eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c to see the claims.',
    },
  },
  { name: 'empty file', instruction: { text: '' } },
];

export const secretInInstructions = defineRule({
  meta: {
    id: 'secret-in-instructions',
    title: 'Credential written into an instruction file',
    description:
      "An agent instruction file or skill (CLAUDE.md, AGENTS.md, GEMINI.md, .cursorrules, copilot-instructions.md, SKILL.md, commands) contains a credential. These files are committed and shared, and the agent loads them into the model's context every session, so the credential reaches the model provider, transcripts and logs, and can be repeated in the agent's output.",
    severity: 'critical',
    category: 'secret',
    owasp: ['ASI03'],
    remediation:
      'Rotate the credential, remove it from the file and its git history, and tell the agent where the credential comes from instead (an environment variable name or a secret manager reference such as op://vault/item), never the value.',
  },
  async checkInstruction({ path, text }) {
    const file = basename(path);
    const hits: RuleHit[] = [];
    for (const m of await scanTextForSecrets(text)) {
      hits.push({
        message: `${capitalize(m.kind)} written into ${file}`,
        evidence: m.redacted,
        severity: m.severity ?? 'critical',
        at: { offset: m.offset, length: m.length },
        key: m.detector,
      });
    }
    return hits;
  },
  cases: { valid, invalid },
});
