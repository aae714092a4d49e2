// Tool capability classification: each capability from each kind of evidence, the catalogue of
// well-known servers, negation and mentions that are not intent, contradictions between
// annotations and what a tool does, and hostile definitions. The tool definitions are written in
// the style of real servers (filesystem, git, GitHub, browsers, databases, cloud, search, mail,
// chat, calendar, memory, payments, shells) but are not copied from them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { McpDefinition } from '../../src/core/types.js';
import {
  CAPABILITIES,
  CAPABILITY_INFO,
  claimsOf,
  classifyTool,
  contradictions,
  type Capability,
  type ServerRef,
} from '../../src/inspect/capabilities.js';
import { CAPABILITY_CATALOGUE } from '../../src/inspect/capability-catalogue.js';

interface ToolSpec {
  description?: unknown;
  inputSchema?: unknown;
  annotations?: unknown;
  title?: unknown;
}

function tool(name: string, description?: string, spec: Omit<ToolSpec, 'description'> = {}): McpDefinition {
  const raw: Record<string, unknown> = { name, inputSchema: { type: 'object', properties: {} } };
  if (description !== undefined) raw['description'] = description;
  Object.assign(raw, spec);
  return { kind: 'tool', name, raw };
}

/** A JSON-Schema object with string properties. */
function props(...names: string[]): Record<string, unknown> {
  return { type: 'object', properties: Object.fromEntries(names.map((n) => [n, { type: 'string' }])) };
}

function caps(def: McpDefinition, server?: ServerRef): Capability[] {
  return [...classifyTool(def, server).capabilities].sort();
}

function sorted(...c: Capability[]): Capability[] {
  return [...c].sort();
}

const ALL: Capability[] = sorted(...CAPABILITIES);
const SHELL = ALL;

// ---------------------------------------------------------------------------------------------
// A corpus of realistic tools, classified from their own words (no server context)
// ---------------------------------------------------------------------------------------------

interface Case {
  domain: string;
  def: McpDefinition;
  expect: Capability[];
}

const CORPUS: Case[] = [
  // filesystem
  {
    domain: 'filesystem',
    def: tool(
      'read_text_file',
      'Read the complete contents of a file from the file system as text. Handles various text encodings and provides detailed error messages if the file cannot be read. Use this tool when you need to examine the contents of a single file. Only works within allowed directories.',
      { inputSchema: props('path', 'head', 'tail'), annotations: { readOnlyHint: true } },
    ),
    expect: sorted('private-data'),
  },
  {
    domain: 'filesystem',
    def: tool(
      'write_file',
      'Create a new file or completely overwrite an existing file with new content. Use with caution as it will overwrite existing files without warning.',
      { inputSchema: props('path', 'content'), annotations: { readOnlyHint: false, destructiveHint: true } },
    ),
    expect: sorted('writes', 'destructive'),
  },
  {
    domain: 'filesystem',
    def: tool('move_file', 'Move or rename files and directories. If the destination exists, the operation will fail.', {
      inputSchema: props('source', 'destination'),
    }),
    expect: sorted('writes'),
  },
  {
    domain: 'filesystem',
    def: tool('directory_tree', 'Get a recursive tree view of files and directories as a JSON structure.', { inputSchema: props('path') }),
    expect: sorted('private-data'),
  },
  {
    domain: 'filesystem',
    def: tool('remove_directory', 'Recursively deletes a directory and everything inside it. This cannot be undone.', { inputSchema: props('path') }),
    expect: sorted('destructive', 'writes'),
  },
  // git
  {
    domain: 'git',
    def: tool('git_commit', 'Records changes to the repository', { inputSchema: props('repo_path', 'message') }),
    expect: sorted('writes'),
  },
  {
    domain: 'git',
    // The local repository is read and sent.
    def: tool('git_push', 'Push local commits to a remote repository.', { inputSchema: props('repo_path', 'remote', 'branch') }),
    expect: sorted('private-data', 'egress', 'writes'),
  },
  {
    domain: 'git',
    def: tool('git_reset_hard', 'Reset the working tree to HEAD, discarding all uncommitted changes.', { inputSchema: props('repo_path') }),
    expect: sorted('destructive', 'writes'),
  },
  {
    domain: 'git',
    def: tool('git_log', 'Shows the commit logs', { inputSchema: props('repo_path', 'max_count') }),
    expect: sorted('private-data'),
  },
  // GitHub
  {
    domain: 'github',
    def: tool('get_issue', 'Get details of a specific issue in a GitHub repository.', {
      inputSchema: props('owner', 'repo', 'issue_number'),
      annotations: { readOnlyHint: true },
    }),
    expect: sorted('private-data', 'untrusted-input'),
  },
  {
    domain: 'github',
    def: tool('search_issues', 'Search for issues and comments from public repositories.', { inputSchema: props('q') }),
    expect: sorted('untrusted-input'),
  },
  {
    domain: 'github',
    def: tool('create_pull_request', 'Create a new pull request in a GitHub repository.', { inputSchema: props('owner', 'repo', 'title', 'body', 'head', 'base') }),
    expect: sorted('egress', 'writes'),
  },
  {
    domain: 'github',
    def: tool('add_issue_comment', 'Add a comment to a specific issue in a GitHub repository.', { inputSchema: props('owner', 'repo', 'issue_number', 'body') }),
    expect: sorted('egress', 'writes'),
  },
  {
    domain: 'github',
    def: tool('search_code', 'Search for code across GitHub repositories', { inputSchema: props('q') }),
    expect: sorted('private-data'),
  },
  // browsers
  {
    domain: 'browser',
    def: tool('browser_navigate', 'Navigate to a URL', { inputSchema: props('url') }),
    expect: sorted('untrusted-input', 'egress'),
  },
  {
    domain: 'browser',
    def: tool('browser_click', 'Perform click on a web page', { inputSchema: props('element', 'ref') }),
    expect: sorted('untrusted-input'),
  },
  {
    domain: 'browser',
    def: tool('browser_file_upload', 'Upload one or multiple files', {
      inputSchema: { type: 'object', properties: { paths: { type: 'array', items: { type: 'string' } } } },
    }),
    expect: sorted('private-data', 'egress', 'writes'),
  },
  {
    domain: 'browser',
    def: tool('browser_evaluate', 'Evaluate JavaScript expression on page or element', { inputSchema: props('function', 'element') }),
    expect: SHELL,
  },
  // databases
  {
    domain: 'database',
    def: tool('query', 'Run a read-only SQL query', { inputSchema: props('sql') }),
    expect: sorted('private-data'),
  },
  {
    domain: 'database',
    def: tool('execute_sql', 'Executes raw SQL in the Postgres database. Use apply_migration for DDL operations.', { inputSchema: props('project_id', 'query') }),
    expect: sorted('private-data', 'writes'),
  },
  {
    domain: 'database',
    def: tool('drop_table', 'Drop a table from the database. This permanently deletes all rows.', { inputSchema: props('table') }),
    expect: sorted('destructive', 'writes'),
  },
  {
    domain: 'database',
    def: tool('insert-many', 'Insert an array of documents into a MongoDB collection', { inputSchema: props('database', 'collection') }),
    expect: sorted('writes'),
  },
  {
    domain: 'database',
    def: tool('list_tables', 'List all tables in the database', { annotations: { readOnlyHint: true } }),
    expect: sorted('private-data'),
  },
  // cloud
  {
    domain: 'cloud',
    def: tool('s3_list_objects', 'List objects in an S3 bucket', { inputSchema: props('bucket', 'prefix') }),
    expect: sorted('private-data'),
  },
  {
    domain: 'cloud',
    def: tool('terminate_instances', 'Terminates one or more EC2 instances. Terminated instances cannot be restarted.', { inputSchema: props('instance_ids') }),
    expect: sorted('destructive', 'writes'),
  },
  {
    domain: 'cloud',
    def: tool('deploy_function', 'Deploys a serverless function to production.', { inputSchema: props('name', 'source') }),
    expect: sorted('writes'),
  },
  // search
  {
    domain: 'search',
    def: tool(
      'brave_web_search',
      'Performs a web search using the Brave Search API, ideal for general queries, news, articles, and online content.',
      { inputSchema: props('query', 'count') },
    ),
    expect: sorted('untrusted-input'),
  },
  {
    domain: 'search',
    def: tool('tavily-extract', 'Extract and process raw content from specified URLs.', {
      inputSchema: { type: 'object', properties: { urls: { type: 'array', items: { type: 'string' } } } },
    }),
    expect: sorted('untrusted-input', 'egress'),
  },
  // email
  {
    domain: 'email',
    def: tool('send_email', 'Sends a new email', { inputSchema: props('to', 'subject', 'body') }),
    expect: sorted('egress', 'writes'),
  },
  {
    domain: 'email',
    def: tool('search_emails', 'Searches for emails using Gmail search syntax', { inputSchema: props('query', 'maxResults') }),
    expect: sorted('private-data', 'untrusted-input'),
  },
  {
    domain: 'email',
    def: tool('read_email', 'Retrieves the content of a specific email', { inputSchema: props('messageId') }),
    expect: sorted('private-data', 'untrusted-input'),
  },
  {
    domain: 'email',
    def: tool('delete_email', 'Permanently deletes an email', { inputSchema: props('messageId') }),
    expect: sorted('destructive', 'writes'),
  },
  {
    domain: 'email',
    def: tool('draft_email', 'Draft a new email', { inputSchema: props('subject', 'body') }),
    expect: sorted('writes'),
  },
  // chat
  {
    domain: 'chat',
    def: tool('slack_post_message', 'Post a new message to a Slack channel', { inputSchema: props('channel_id', 'text') }),
    expect: sorted('egress', 'writes'),
  },
  {
    domain: 'chat',
    def: tool('slack_get_channel_history', 'Get recent messages from a channel', { inputSchema: props('channel_id', 'limit') }),
    expect: sorted('private-data', 'untrusted-input'),
  },
  {
    domain: 'chat',
    def: tool('digest_inbox', 'Reads your inbox and posts a summary to Slack.'),
    expect: sorted('private-data', 'untrusted-input', 'egress', 'writes'),
  },
  // calendar
  {
    domain: 'calendar',
    def: tool('list_events', "List events from the user's primary calendar within a time range.", { inputSchema: props('timeMin', 'timeMax') }),
    expect: sorted('private-data'),
  },
  {
    domain: 'calendar',
    def: tool('create_event', 'Create a calendar event and send invitations to attendees.', { inputSchema: props('summary', 'start', 'end', 'attendees') }),
    expect: sorted('egress', 'writes'),
  },
  // memory
  {
    domain: 'memory',
    def: tool('create_entities', 'Create multiple new entities in the knowledge graph'),
    expect: sorted('writes'),
  },
  {
    domain: 'memory',
    def: tool('search_nodes', 'Search for nodes in the knowledge graph based on a query', { inputSchema: props('query') }),
    expect: sorted('private-data'),
  },
  {
    domain: 'memory',
    def: tool('delete_observations', 'Delete specific observations from entities in the knowledge graph'),
    expect: sorted('destructive', 'writes'),
  },
  // payments
  {
    domain: 'payments',
    def: tool('create_refund', "Refund a payment. Refunds go back to the customer's original payment method.", { inputSchema: props('payment_intent') }),
    expect: sorted('writes'),
  },
  {
    domain: 'payments',
    def: tool('list_customers', 'Fetch a list of customers from Stripe.', { inputSchema: props('email', 'limit') }),
    expect: sorted('private-data'),
  },
  {
    domain: 'payments',
    def: tool('create_payment_link', 'Creates a shareable payment link for a product.', { inputSchema: props('price', 'quantity') }),
    expect: sorted('writes'),
  },
  // shells
  {
    domain: 'shell',
    def: tool(
      'execute_command',
      "Execute a terminal command with timeout. Command will continue running in background if it doesn't complete within timeout.",
      { inputSchema: props('command', 'timeout_ms') },
    ),
    expect: SHELL,
  },
  {
    domain: 'shell',
    def: tool('Bash', 'Executes a given bash command in a persistent shell session with optional timeout.', { inputSchema: props('command') }),
    expect: SHELL,
  },
  {
    domain: 'shell',
    def: tool('run_python', 'Execute Python code in an isolated sandbox and return stdout.', { inputSchema: props('code') }),
    expect: sorted('untrusted-input', 'egress', 'writes', 'destructive', 'code-execution'),
  },
  // tools that can do none of it
  { domain: 'utility', def: tool('get_current_time', 'Get current time in a specific timezone', { inputSchema: props('timezone') }), expect: [] },
  {
    domain: 'utility',
    def: tool(
      'sequentialthinking',
      'A detailed tool for dynamic and reflective problem-solving through thoughts. Each thought can build on, question, or revise previous insights. You can add more thoughts even after reaching what seemed like the end.',
      { inputSchema: props('thought', 'nextThoughtNeeded') },
    ),
    expect: [],
  },
  { domain: 'utility', def: tool('calculate', 'Evaluates a mathematical expression and returns the result.', { inputSchema: props('expression') }), expect: [] },
  { domain: 'utility', def: tool('translate_text', 'Translate text into another language.', { inputSchema: props('text', 'target_language') }), expect: [] },
  { domain: 'utility', def: tool('echo', 'Echoes back the input', { inputSchema: props('message') }), expect: [] },
  { domain: 'utility', def: tool('create_embedding', 'Creates an embedding vector for the input text.'), expect: [] },
  { domain: 'utility', def: tool('add', 'Adds two numbers.', { inputSchema: props('a', 'b') }), expect: [] },
];

describe('capabilities: a corpus of realistic tools', () => {
  it('has at least 40 definitions across every domain', () => {
    assert.ok(CORPUS.length >= 40, `${CORPUS.length} definitions`);
    for (const d of ['filesystem', 'git', 'github', 'browser', 'database', 'cloud', 'search', 'email', 'chat', 'calendar', 'memory', 'payments', 'shell']) {
      assert.ok(CORPUS.some((c) => c.domain === d), d);
    }
  });
  for (const c of CORPUS) {
    it(`${c.domain}: ${c.def.name} → ${c.expect.join(', ') || 'nothing'}`, () => {
      assert.deepEqual(caps(c.def), c.expect, JSON.stringify(classifyTool(c.def).evidence, null, 1));
    });
  }
  it('annotations that tell the truth contradict nothing in the corpus', () => {
    for (const c of CORPUS) assert.deepEqual(contradictions(c.def), [], c.def.name);
  });
});

// ---------------------------------------------------------------------------------------------
// Each capability from each kind of evidence
// ---------------------------------------------------------------------------------------------

function evidenceFor(def: McpDefinition, capability: Capability, server?: ServerRef) {
  return classifyTool(def, server).evidence.filter((e) => e.capability === capability);
}

function assertSource(def: McpDefinition, capability: Capability, source: string, server?: ServerRef): void {
  const ev = evidenceFor(def, capability, server);
  assert.ok(
    ev.some((e) => e.source === source),
    `${def.name}: expected ${capability} from ${source}, got ${JSON.stringify(classifyTool(def, server).evidence)}`,
  );
}

describe('capabilities: the tool name', () => {
  const cases: [string, Capability][] = [
    ['read_file', 'private-data'],
    ['get_pull_request_comments', 'untrusted-input'],
    ['fetch', 'untrusted-input'],
    ['send_message', 'egress'],
    ['git_push', 'egress'],
    ['deleteFile', 'destructive'],
    ['drop_collection', 'destructive'],
    ['run_command', 'code-execution'],
    ['bash', 'code-execution'],
    ['exec', 'code-execution'],
    ['create_directory', 'writes'],
    ['update-record', 'writes'],
  ];
  for (const [name, capability] of cases) {
    it(`${name} → ${capability}`, () => {
      // The description says nothing, so the name alone decides.
      assertSource(tool(name, 'Tool.'), capability, 'name');
    });
  }

  it('splits camelCase, kebab-case and dotted names', () => {
    assert.deepEqual(caps(tool('getHTTPResource')), sorted('untrusted-input', 'egress'));
    assert.deepEqual(caps(tool('files.delete')), sorted('destructive', 'writes'));
    assert.deepEqual(caps(tool('API-delete-a-block')), sorted('destructive', 'writes'));
  });

  it('reads a nounish verb as a verb only where a name puts its verb', () => {
    assert.deepEqual(caps(tool('get_post')), sorted('untrusted-input'));
    assert.deepEqual(caps(tool('slack_post_message')), sorted('egress', 'writes'));
    // Nouns alone name what the tool returns: a digest of mail, not a mail sent.
    assert.deepEqual(caps(tool('email_digest')), sorted('private-data', 'untrusted-input'));
    assert.deepEqual(caps(tool('list_commits')), sorted('private-data'));
  });

  it('does not take a question or a rehearsal for the act', () => {
    assert.deepEqual(caps(tool('preview_delete')), []);
    assert.deepEqual(caps(tool('can_send_email')), sorted('private-data', 'untrusted-input'));
    assert.deepEqual(caps(tool('explain_sql_statement')), sorted('private-data'));
  });

  it('strips the mcp__server__ prefix Claude Code adds', () => {
    assert.deepEqual(caps(tool('mcp__files__delete_file')), sorted('destructive', 'writes'));
  });
});

describe('capabilities: the description', () => {
  const cases: [string, Capability][] = [
    ['Reads the contents of a local file.', 'private-data'],
    ['Returns the full web page content of the given address.', 'untrusted-input'],
    ['Searches the web and returns the top results.', 'untrusted-input'],
    ['Returns issues and comments from public repositories.', 'untrusted-input'],
    ['Sends an email to the given address.', 'egress'],
    ['Fetches a URL and returns it as markdown.', 'egress'],
    ['Permanently removes the selected records.', 'destructive'],
    ['Executes Python code and returns stdout.', 'code-execution'],
    ['Provides shell access to the host.', 'code-execution'],
    ['Creates a new record in the CRM.', 'writes'],
    ['This tool lets you delete repositories.', 'destructive'],
    ['Use this tool to post a tweet.', 'egress'],
    ['To delete a file, call this tool with its path.', 'destructive'],
  ];
  for (const [description, capability] of cases) {
    it(`"${description}" → ${capability}`, () => assertSource(tool('tool_a', description), capability, 'description'));
  }

  it('reads the title too', () => {
    assertSource(tool('tool_a', undefined, { annotations: { title: 'Delete Repository' } }), 'destructive', 'description');
    assertSource(tool('tool_a', undefined, { title: 'Send Message' }), 'egress', 'description');
  });

  it('sees through invisible and fullwidth characters', () => {
    assert.deepEqual(caps(tool('tool_a', 'Dele\u200Btes the file.')), sorted('destructive', 'writes'));
    assert.deepEqual(caps(tool('tool_a', 'Ｓｅｎｄｓ an email.')), sorted('egress', 'writes'));
  });

  it('marks the opening verb strong and a passing mention weak', () => {
    const opening = evidenceFor(tool('tool_a', 'Deletes the branch.'), 'destructive');
    assert.equal(opening[0]?.strong, true);
    const passing = evidenceFor(tool('tool_a', 'Returns the status of the job that deletes old builds.'), 'destructive');
    assert.equal(passing[0]?.strong, false);
  });
});

describe('capabilities: negation and mentions that are not intent', () => {
  const ACTS: Capability[] = ['destructive', 'egress', 'writes', 'code-execution'];
  const none: [string, string, Capability[]][] = [
    ['never sends', 'Summarizes the text locally. Never sends data anywhere.', ACTS],
    ['read-only; does not delete', 'Lists the files in a folder. Read-only; does not delete anything.', ACTS],
    ['list deleted items', 'List deleted items in the recycle bin.', ACTS],
    ['does not create, update or delete', 'Shows record counts. Does not create, update or delete records.', ACTS],
    ['no data is sent', 'Computes a checksum. No data is sent to any server.', ACTS],
    ['without deleting', 'Compacts the cache without deleting entries.', ['destructive']],
    ['delete is not supported', 'Archive manager. Delete is not supported.', ACTS],
    ['hypothetical', 'Shows which entries would be deleted by the retention policy.', ACTS],
    ['reference to another tool', 'Lists branches. To delete a branch, use delete_branch.', ACTS],
    ['the following command', "Formats a date. In order to obtain a file's SHA, use the following git command: git rev-parse.", ['private-data']],
    ['instead', 'Marks a message as read. Use archive_message instead if you want to delete it.', ['destructive', 'egress']],
    ['how to', 'Explains how to delete a repository.', ACTS],
    ['nouns, not verbs', 'Counts issues and comments per label.', ACTS],
    ['not a sandbox escape', 'Never executes code; it only formats it.', ACTS],
    ['cannot be used to', 'Cannot be used to send messages or upload files.', ACTS],
  ];
  for (const [label, description, absent] of none) {
    it(label, () => {
      const c = classifyTool(tool('tool_a', description));
      assert.deepEqual(
        [...c.capabilities].filter((x) => absent.includes(x)),
        [],
        JSON.stringify(c.evidence),
      );
    });
  }

  it('keeps negation inside its own clause', () => {
    assert.deepEqual(caps(tool('tool_a', 'Does not require authentication and deletes the cache.')), sorted('destructive', 'writes'));
    assert.deepEqual(caps(tool('tool_a', 'No confirmation is asked. Sends the invoice by email.')), sorted('egress', 'writes'));
  });

  it('never lets a negated description remove what the name shows', () => {
    assert.deepEqual(caps(tool('delete_file', 'This tool never deletes anything.')), sorted('destructive', 'writes'));
  });
});

describe('capabilities: the input schema', () => {
  it('a url on a tool that reads it', () => {
    const def = tool('page_markdown', 'Converts it to markdown.', { inputSchema: props('url') });
    assert.deepEqual(caps(def), sorted('untrusted-input', 'egress'));
    assertSource(def, 'egress', 'schema');
  });
  it('recipients and webhooks', () => {
    assertSource(tool('notify_team', 'Notification helper.', { inputSchema: props('webhook_url', 'text') }), 'egress', 'schema');
    assertSource(tool('alert', 'Alert helper.', { inputSchema: props('recipient_email', 'subject') }), 'egress', 'schema');
  });
  it('sql, a command and a path', () => {
    assertSource(tool('analytics', 'Analytics helper.', { inputSchema: props('sql') }), 'private-data', 'schema');
    assertSource(tool('runner', 'Runner.', { inputSchema: props('command', 'cwd') }), 'code-execution', 'schema');
    assertSource(tool('ocr_image', 'Extracts text from an image.', { inputSchema: props('file_path') }), 'private-data', 'schema');
  });
  it('a `code` property only beside a language or an execution verb', () => {
    assert.deepEqual(caps(tool('snippet_tool', 'Snippet helper.', { inputSchema: props('code', 'language') })), SHELL);
    assert.deepEqual(caps(tool('lookup_country', 'Country lookup.', { inputSchema: props('country_code') })), []);
  });
  it('a command chosen from an enum is a menu, not a program', () => {
    const def = tool('docker_ctl', 'Docker helper.', {
      inputSchema: { type: 'object', properties: { command: { type: 'string', enum: ['ps', 'images'] } } },
    });
    assert.ok(!caps(def).includes('code-execution'));
  });
  it('property descriptions say what happens to a value', () => {
    const def = tool('merge_pr', 'Merges a pull request.', {
      inputSchema: {
        type: 'object',
        properties: { delete_branch: { type: 'boolean', description: 'Delete the source branch after merging' } },
      },
    });
    assertSource(def, 'destructive', 'schema');
    assert.equal(evidenceFor(def, 'destructive').every((e) => !e.strong), true);
    assertSource(tool('tool_a', 'Helper.', { inputSchema: { type: 'object', properties: { content: { type: 'string', description: 'The content to write to the file' } } } }), 'writes', 'schema');
  });
});

describe('capabilities: annotations add, never remove', () => {
  it('destructiveHint: true adds destructive and writes', () => {
    assertSource(tool('tool_a', 'Helper.', { annotations: { destructiveHint: true } }), 'destructive', 'annotations');
  });
  it('readOnlyHint: false adds writes', () => {
    assert.deepEqual(caps(tool('tool_a', 'Helper.', { annotations: { readOnlyHint: false, destructiveHint: false } })), sorted('writes'));
  });
  it('openWorldHint: true reads the open world, or reaches it when the tool writes', () => {
    assert.deepEqual(caps(tool('tool_a', 'Helper.', { annotations: { readOnlyHint: true, openWorldHint: true } })), sorted('untrusted-input'));
    assert.deepEqual(caps(tool('tool_a', 'Helper.', { annotations: { readOnlyHint: false, openWorldHint: true } })), sorted('egress', 'writes'));
  });
  it('readOnlyHint: true does not remove what the name shows', () => {
    assert.deepEqual(caps(tool('delete_file', 'Deletes a file.', { annotations: { readOnlyHint: true, destructiveHint: false } })), sorted('destructive', 'writes'));
  });
  it('destructiveHint: true on a read-only tool means nothing (the spec ignores it)', () => {
    assert.deepEqual(caps(tool('tool_a', 'Helper.', { annotations: { readOnlyHint: true, destructiveHint: true } })), []);
  });
  it('only booleans count', () => {
    assert.deepEqual(caps(tool('tool_a', 'Helper.', { annotations: { destructiveHint: 'true', readOnlyHint: 'false' } })), []);
  });
  it('code execution implies the rest, weakly', () => {
    const ev = classifyTool(tool('run_command', 'Runs a shell command.')).evidence;
    assert.ok(ev.filter((e) => e.source === 'implied').every((e) => !e.strong));
    assert.deepEqual(
      ev.filter((e) => e.source === 'implied').map((e) => e.capability).sort(),
      sorted('private-data', 'untrusted-input', 'egress', 'writes', 'destructive'),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// The catalogue of well-known servers
// ---------------------------------------------------------------------------------------------

describe('capabilities: catalogue', () => {
  const fs: ServerRef = { name: 'files', packageName: '@modelcontextprotocol/server-filesystem' };
  it('matches by package and tool', () => {
    assert.deepEqual(caps(tool('read_file', 'Read the contents.'), fs), sorted('private-data'));
    assert.deepEqual(caps(tool('write_file', 'Write it.'), fs), sorted('writes', 'destructive'));
    assertSource(tool('read_file'), 'private-data', 'catalogue', fs);
  });
  it('trusts the catalogue over the words of a server identified by its package', () => {
    assert.deepEqual(caps(tool('list_directory', 'Lists a directory and uploads it to our analytics server.'), fs), sorted('private-data'));
  });
  it('strips versions, tags and registries, and folds PyPI spellings', () => {
    const fetch = sorted('untrusted-input', 'egress');
    assert.deepEqual(caps(tool('fetch'), { name: 'x', packageName: 'mcp_server_fetch' }), fetch);
    assert.deepEqual(caps(tool('fetch'), { name: 'x', packageName: 'docker.io/mcp/fetch:latest' }), fetch);
    assert.deepEqual(caps(tool('get_issue'), { name: 'x', packageName: '@modelcontextprotocol/server-github@2025.4.8' }), sorted('private-data', 'untrusted-input'));
  });
  it('matches a remote server by its endpoint', () => {
    const gh: ServerRef = { name: 'gh', url: 'https://api.githubcopilot.com/mcp/' };
    assert.deepEqual(caps(tool('get_issue'), gh), sorted('private-data', 'untrusted-input'));
    assert.deepEqual(caps(tool('create_pull_request'), gh), sorted('egress', 'writes'));
    assert.deepEqual(caps(tool('get_issue'), { name: 'gh', url: 'https://api.githubcopilot.com.evil.example/mcp' }), sorted('untrusted-input'));
    assert.deepEqual(caps(tool('get_issue'), { name: 'gh', url: 'not a url' }), sorted('untrusted-input'));
  });
  it('matches a declared name only for tools it lists, and still reads their words', () => {
    const byName: ServerRef = { name: 'GitHub' };
    assertSource(tool('get_issue'), 'private-data', 'catalogue', byName);
    assert.deepEqual(caps(tool('get_issue', 'Gets an issue and emails it to the reporter.'), byName), sorted('private-data', 'untrusted-input', 'egress', 'writes'));
    assert.deepEqual(caps(tool('frobnicate'), byName), []);
    assertSource(tool('get_issue'), 'private-data', 'catalogue', { name: 'x', serverInfoName: 'github-mcp-server' });
  });
  it('uses the server’s data for tools it does not list yet', () => {
    const slack: ServerRef = { name: 's', packageName: '@modelcontextprotocol/server-slack' };
    assert.deepEqual(caps(tool('slack_search_messages', 'Search messages in the workspace.'), slack), sorted('private-data', 'untrusted-input'));
    assert.deepEqual(caps(tool('slack_schedule_message', 'Schedule a message for later.'), slack), sorted('egress', 'writes'));
  });
  it('knows what is sandboxed', () => {
    const pp: ServerRef = { name: 'p', packageName: '@modelcontextprotocol/server-puppeteer' };
    assert.deepEqual(caps(tool('puppeteer_evaluate'), pp), sorted('untrusted-input', 'egress', 'writes', 'destructive', 'code-execution'));
    assert.deepEqual(caps(tool('puppeteer_navigate'), pp), sorted('untrusted-input', 'egress'));
  });
  it('covers the servers from the issue', () => {
    const expectations: [ServerRef, string, Capability[]][] = [
      [{ name: 'x', packageName: 'mcp-server-fetch' }, 'fetch', sorted('untrusted-input', 'egress')],
      [{ name: 'x', packageName: 'mcp/github' }, 'get_issue', sorted('untrusted-input', 'private-data')],
      [{ name: 'x', packageName: '@modelcontextprotocol/server-slack' }, 'slack_get_channel_history', sorted('untrusted-input', 'private-data')],
      [{ name: 'x', packageName: '@modelcontextprotocol/server-slack' }, 'slack_post_message', sorted('egress', 'writes')],
      [{ name: 'x', packageName: '@gongrzhe/server-gmail-autoauth-mcp' }, 'read_email', sorted('untrusted-input', 'private-data')],
      [{ name: 'x', packageName: '@playwright/mcp' }, 'browser_navigate', sorted('untrusted-input', 'egress')],
      [{ name: 'x', packageName: '@modelcontextprotocol/server-postgres' }, 'query', sorted('private-data')],
      [{ name: 'x', packageName: 'mcp-shell-server' }, 'shell_execute', ALL],
      [{ name: 'x', packageName: '@modelcontextprotocol/server-memory' }, 'read_graph', sorted('private-data')],
      [{ name: 'x', packageName: 'mcp-server-time' }, 'get_current_time', []],
    ];
    for (const [server, name, expected] of expectations) assert.deepEqual(caps(tool(name), server), expected, `${server.packageName} ${name}`);
  });
  it('is well-formed data', () => {
    const seen = new Set<string>();
    const packages = new Set<string>();
    for (const s of CAPABILITY_CATALOGUE) {
      assert.ok(!seen.has(s.id), `duplicate id ${s.id}`);
      seen.add(s.id);
      for (const p of s.packages) {
        assert.ok(!packages.has(p), `${p} in two entries`);
        packages.add(p);
      }
      assert.ok(s.packages.length > 0 || (s.urls ?? []).length > 0, s.id);
      for (const tags of Object.values(s.tools)) for (const t of tags) assert.ok([...CAPABILITIES, 'web', 'url', 'sandboxed'].includes(t), `${s.id}: ${t}`);
    }
    assert.ok(CAPABILITY_CATALOGUE.length >= 40, `${CAPABILITY_CATALOGUE.length} servers`);
    for (const c of CAPABILITIES) assert.ok(CAPABILITY_INFO[c].length > 20);
  });
});

// ---------------------------------------------------------------------------------------------
// Annotations that lie
// ---------------------------------------------------------------------------------------------

describe('capabilities: claims and contradictions', () => {
  it('claimsOf reads explicit booleans only', () => {
    assert.deepEqual(claimsOf(tool('t', 'x', { annotations: { readOnlyHint: true, openWorldHint: false } })), {
      readOnly: true,
      nonDestructive: false,
      closedWorld: true,
    });
    assert.deepEqual(claimsOf(tool('t', 'x')), { readOnly: false, nonDestructive: false, closedWorld: false });
    assert.deepEqual(claimsOf(tool('t', 'x', { annotations: { destructiveHint: false } })).nonDestructive, true);
  });

  const lies: [string, McpDefinition, string, Capability][] = [
    ['delete_file marked read-only', tool('delete_file', 'Deletes a file.', { annotations: { readOnlyHint: true } }), 'readOnly', 'destructive'],
    ['send_email marked closed-world', tool('send_email', 'Send an email.', { annotations: { openWorldHint: false } }), 'closedWorld', 'egress'],
    [
      '"permanently removes" marked non-destructive',
      tool('cleanup', 'Permanently removes the selected records.', { annotations: { destructiveHint: false } }),
      'nonDestructive',
      'destructive',
    ],
    ['a shell marked read-only', tool('run_command', 'Run a shell command.', { annotations: { readOnlyHint: true } }), 'readOnly', 'code-execution'],
    ['posting marked read-only', tool('post_tweet', 'Post a tweet.', { annotations: { readOnlyHint: true } }), 'readOnly', 'egress'],
    ['creating marked read-only', tool('create_issue', 'Create an issue.', { annotations: { readOnlyHint: true } }), 'readOnly', 'writes'],
    ['a browser marked closed-world', tool('browser_navigate', 'Navigate to a URL.', { annotations: { openWorldHint: false } }), 'closedWorld', 'untrusted-input'],
  ];
  for (const [label, def, claim, capability] of lies) {
    it(label, () => {
      const found = contradictions(def);
      assert.equal(found.length, 1, JSON.stringify(found));
      assert.equal(found[0]!.claim, claim);
      assert.equal(found[0]!.capability, capability);
      assert.equal(found[0]!.evidence.strong, true);
      assert.ok(found[0]!.evidence.detail.length > 0);
    });
  }

  it('one contradiction per claim, each naming its annotation', () => {
    const def = tool('delete_file', 'Deletes a file.', { annotations: { readOnlyHint: true, destructiveHint: false } });
    assert.deepEqual(
      contradictions(def).map((c) => [c.annotation, c.capability]),
      [
        ['readOnlyHint', 'destructive'],
        ['destructiveHint', 'destructive'],
      ],
    );
  });

  it('from the catalogue', () => {
    const def = tool('delete_file', 'Removes nothing, reads a file.', { annotations: { readOnlyHint: true } });
    const found = contradictions(def, { name: 'gh', packageName: 'ghcr.io/github/github-mcp-server' });
    assert.equal(found[0]?.evidence.source, 'catalogue');
  });

  const honest: [string, McpDefinition][] = [
    ['read_file read-only', tool('read_file', 'Read a file.', { annotations: { readOnlyHint: true, openWorldHint: false } })],
    ['fetch open-world', tool('fetch', 'Fetches a URL.', { annotations: { readOnlyHint: true, openWorldHint: true } })],
    ['write_file destructive', tool('write_file', 'Overwrites a file.', { annotations: { readOnlyHint: false, destructiveHint: true } })],
    ['an inbox is not the open world', tool('list_issues', 'List issues in a repository.', { annotations: { readOnlyHint: true, openWorldHint: false } })],
    ['a mention is not intent', tool('list_trash', 'Lists deleted items. Does not delete anything.', { annotations: { readOnlyHint: true } })],
    ['a reference to another tool', tool('list_branches', 'Lists branches. Use delete_branch to delete one.', { annotations: { readOnlyHint: true } })],
    ['weak evidence only', tool('render', 'Renders a page.', { inputSchema: props('url'), annotations: { openWorldHint: false } })],
    ['implied only', tool('tool_a', 'Code execution in a sandbox.', { annotations: { destructiveHint: false } })],
    ['create_embedding read-only', tool('create_embedding', 'Creates an embedding.', { annotations: { readOnlyHint: true } })],
    [
      'an instruction to the model',
      tool('get_file_contents', 'Get the contents of a file. If the branch does not exist, create it first with create_branch. Always pass the ref.', {
        annotations: { readOnlyHint: true },
      }),
    ],
    [
      'a later imperative',
      tool('list_pull_requests', 'List pull requests in a repository. Then post a summary comment if the user asks for one.', {
        annotations: { readOnlyHint: true, openWorldHint: false },
      }),
    ],
    ['a desktop notification', tool('notify_done', 'Shows a desktop notification when a task finishes.', { annotations: { openWorldHint: false } })],
  ];
  for (const [label, def] of honest) {
    it(`no contradiction: ${label}`, () => assert.deepEqual(contradictions(def), []));
  }
});

// ---------------------------------------------------------------------------------------------
// Hostile definitions
// ---------------------------------------------------------------------------------------------

describe('capabilities: hostile definitions', () => {
  it('classifies a 1 MB description quickly, reading what the tool says first', () => {
    const prose = 'Returns the requested report in a tabular format for the analyst. ';
    const description = `Sends the report by email. ${prose.repeat(Math.ceil(1_000_000 / prose.length))}Deletes every file.`;
    assert.ok(description.length >= 1_000_000);
    const started = process.hrtime.bigint();
    const c = classifyTool(tool('tool_a', description));
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    assert.ok(ms < 50, `${ms} ms`);
    assert.ok(c.capabilities.has('egress'));
    assert.ok(!c.capabilities.has('destructive'), 'text past the budget is the poisoning rules’ business');
    assert.ok(c.evidence.every((e) => e.detail.length <= 120));
  });

  it('survives a 1 MB description with no spaces or stops', () => {
    assert.doesNotThrow(() => classifyTool(tool('tool_a', 'a'.repeat(1_000_000))));
    assert.doesNotThrow(() => classifyTool(tool('tool_a', '-'.repeat(1_000_000))));
    assert.doesNotThrow(() => classifyTool(tool('tool_a', 'delete '.repeat(150_000))));
  });

  it('accepts wrong types anywhere without throwing', () => {
    const weird: unknown[] = [
      { kind: 'tool', name: 'x', raw: { description: 42, inputSchema: 'object', annotations: [true] } },
      { kind: 'tool', name: 'x', raw: { inputSchema: { properties: null } } },
      { kind: 'tool', name: 'x', raw: { inputSchema: { properties: [1, 2, 3] } } },
      { kind: 'tool', name: 'x', raw: { inputSchema: { properties: { url: null, path: 'string', command: 7 } } } },
      { kind: 'tool', name: 'x', raw: { annotations: { readOnlyHint: { valueOf: 1 } }, title: ['a'] } },
      { kind: 'tool', name: 42, raw: null },
      { kind: 'tool', name: undefined, raw: 'text' },
      { kind: 'tool' },
      { kind: 'prompt', name: 'delete_everything', raw: {} },
      null,
      undefined,
      'tool',
    ];
    for (const w of weird) {
      const def = w as McpDefinition;
      assert.doesNotThrow(() => classifyTool(def), JSON.stringify(w));
      assert.doesNotThrow(() => contradictions(def));
      assert.doesNotThrow(() => claimsOf(def));
      assert.doesNotThrow(() => classifyTool(def, { name: 'github', packageName: 42 as unknown as string, url: {} as unknown as string }));
    }
    const prompt = classifyTool({ kind: 'prompt', name: 'delete_everything', raw: {} });
    assert.equal(prompt.capabilities.size, 0);
  });

  it('treats __proto__, constructor and friends as plain names', () => {
    const raw = JSON.parse(
      '{"name":"__proto__","description":"Lists things.","annotations":{"__proto__":{"readOnlyHint":true}},' +
        '"inputSchema":{"type":"object","properties":{"__proto__":{"type":"string","description":"The command to execute"},"constructor":{"type":"string"},"url":{"type":"string"}}}}',
    ) as Record<string, unknown>;
    const def: McpDefinition = { kind: 'tool', name: '__proto__', raw };
    const c = classifyTool(def, { name: 'github', packageName: '__proto__' });
    assert.ok(c.capabilities.has('untrusted-input'));
    assert.equal(claimsOf(def).readOnly, false);
    for (const name of ['__proto__', 'constructor', 'hasOwnProperty', 'toString']) {
      assert.doesNotThrow(() => classifyTool(tool(name, 'x'), { name: 'github', packageName: '@modelcontextprotocol/server-github' }));
      assert.doesNotThrow(() => classifyTool(tool(name, 'x'), { name: name, packageName: name, url: `https://${name}.example/` }));
    }
    assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'readOnlyHint'), false);
  });

  it('classifies 10,000 tools well inside the scan budget', () => {
    const defs = Array.from({ length: 10_000 }, (_, i) => CORPUS[i % CORPUS.length]!.def);
    const started = process.hrtime.bigint();
    for (const d of defs) classifyTool(d);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    // 50,000 tools/s is the target; allow for a slow CI machine.
    assert.ok(ms < 1000, `${ms} ms for 10,000 tools`);
  });
});
