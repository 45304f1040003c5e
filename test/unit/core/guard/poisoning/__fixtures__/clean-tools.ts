// Honest tool definitions in the style of widely used servers (GitHub's MCP server, the reference
// filesystem and fetch servers, chat and notes tools). None may be flagged: each false positive
// hides a legitimate tool until someone approves it.
const owner = { type: 'string', description: 'Repository owner (username or organization)' };
const repo = { type: 'string', description: 'Repository name' };
const object = (properties: Record<string, unknown>, required: string[] = []) => ({ type: 'object', properties, required });

export const GITHUB_STYLE_TOOLS = [
  {
    name: 'get_file_contents',
    description: 'Get the contents of a file or directory from a GitHub repository',
    inputSchema: object(
      {
        owner,
        repo,
        path: { type: 'string', description: "Path to file/directory (directories must end with a slash '/')" },
        ref: { type: 'string', description: 'Accepts optional git refs such as `refs/tags/{tag}`, `refs/heads/{branch}` or `refs/pull/{pr_number}/head`' },
        sha: { type: 'string', description: 'Accepts optional commit SHA. If specified, it will be used instead of ref' },
      },
      ['owner', 'repo'],
    ),
    annotations: { title: 'Get file or directory contents', readOnlyHint: true },
  },
  {
    name: 'create_or_update_file',
    description:
      'Create or update a single file in a GitHub repository. If updating, you must provide the SHA of the file you want to update. Use this tool to create or update a file in a GitHub repository remotely; do not use it for local file operations.',
    inputSchema: object(
      {
        owner,
        repo,
        path: { type: 'string', description: 'Path where to create/update the file' },
        content: { type: 'string', description: 'Content of the file' },
        message: { type: 'string', description: 'Commit message' },
        branch: { type: 'string', description: 'Branch to create/update the file in' },
        sha: { type: 'string', description: 'Required if updating an existing file. The blob SHA of the file being replaced.' },
      },
      ['owner', 'repo', 'path', 'content', 'message', 'branch'],
    ),
    annotations: { title: 'Create or update file', readOnlyHint: false },
  },
  {
    name: 'search_code',
    description:
      "Fast and precise code search across ALL GitHub repositories using GitHub's native search engine. Best for finding exact symbols, functions, classes, or specific code patterns.",
    inputSchema: object(
      {
        query: {
          type: 'string',
          description:
            "Search query using GitHub's powerful code search syntax. Examples: 'content:Skill language:Java org:github', 'NOT is:archived language:Python OR language:go', 'repo:github/github-mcp-server'. Supports exact matching, language filters, path filters, and more.",
        },
        sort: { type: 'string', description: "Sort field ('indexed' only)" },
        order: { type: 'string', enum: ['asc', 'desc'], description: 'Sort order for results' },
      },
      ['query'],
    ),
    annotations: { title: 'Search code', readOnlyHint: true },
  },
  {
    name: 'add_issue_comment',
    description:
      'Add a comment to a specific issue in a GitHub repository. Use this tool to add comments to pull requests as well (in this case pass pull request number as issue_number), but only if user is not asking specifically to add review comments.',
    inputSchema: object({ owner, repo, issue_number: { type: 'number', description: 'Issue number to comment on' }, body: { type: 'string', description: 'Comment content' } }, [
      'owner',
      'repo',
      'issue_number',
      'body',
    ]),
  },
  {
    name: 'list_secret_scanning_alerts',
    description: 'List secret scanning alerts in a GitHub repository.',
    inputSchema: object({
      owner,
      repo,
      state: { type: 'string', enum: ['open', 'resolved'], description: 'Filter by state' },
      secret_type: {
        type: 'string',
        description: 'A comma-separated list of secret types to return. All default secret patterns are returned. To return generic patterns, pass the token name(s) in the parameter.',
      },
      resolution: { type: 'string', enum: ['false_positive', 'wont_fix', 'revoked', 'pattern_edited', 'pattern_deleted', 'used_in_tests'], description: 'Filter by resolution' },
    }),
    annotations: { title: 'List secret scanning alerts', readOnlyHint: true },
  },
  {
    name: 'get_secret_scanning_alert',
    description: 'Get details of a specific secret scanning alert in a GitHub repository.',
    inputSchema: object({ owner, repo, alertNumber: { type: 'number', description: 'The number of the alert.' } }),
  },
  {
    name: 'get_me',
    description:
      "Get details of the authenticated GitHub user. Use this when a request is about the user's own profile for GitHub. Or when information is missing to build other tool calls.",
    inputSchema: object({}),
  },
  {
    name: 'push_files',
    description: 'Push multiple files to a GitHub repository in a single commit',
    inputSchema: object({
      owner,
      repo,
      branch: { type: 'string', description: 'Branch to push to' },
      files: { type: 'array', description: 'Array of file objects to push, each object with path (string) and content (string)', items: object({ path: { type: 'string' }, content: { type: 'string' } }) },
      message: { type: 'string', description: 'Commit message' },
    }),
  },
  {
    name: 'get_job_logs',
    description: 'Download logs for a specific workflow job or efficiently get all failed job logs for a workflow run',
    inputSchema: object({
      owner,
      repo,
      job_id: { type: 'number', description: 'The unique identifier of the workflow job (required for single job logs)' },
      return_content: { type: 'boolean', description: 'Returns actual log content instead of URLs' },
      tail_lines: { type: 'number', description: 'Number of lines to return from the end of the log' },
    }),
  },
  {
    name: 'create_repository_webhook',
    description: 'Create a webhook that GitHub calls when events happen in the repository.',
    inputSchema: object({
      owner,
      repo,
      callback_url: { type: 'string', description: 'The URL GitHub sends the event payload to.' },
      events: { type: 'array', items: { type: 'string' }, description: 'Events that trigger the webhook, such as push or pull_request.' },
    }),
  },
];

export const REFERENCE_SERVER_TOOLS = [
  {
    name: 'read_text_file',
    description:
      'Read the complete contents of a file from the file system as text. Handles various text encodings and provides detailed error messages if the file cannot be read. Use this tool when you need to examine the contents of a single file. Use the \'head\' parameter to read only the first N lines of a file, or the \'tail\' parameter to read only the last N lines of a file. Only works within allowed directories.',
    inputSchema: object({ path: { type: 'string' }, tail: { type: 'number', description: 'If provided, returns only the last N lines of the file' }, head: { type: 'number', description: 'If provided, returns only the first N lines of the file' } }, ['path']),
  },
  {
    name: 'write_file',
    description:
      'Create a new file or completely overwrite an existing file with new content. Use with caution as it will overwrite existing files without warning. Handles text content with proper encoding. Only works within allowed directories.',
    inputSchema: object({ path: { type: 'string' }, content: { type: 'string' } }, ['path', 'content']),
  },
  {
    name: 'list_allowed_directories',
    description:
      'Returns the list of directories that this server is allowed to access. Subdirectories within these allowed directories are also accessible. Use this to understand which directories and their nested paths are available before trying to access files.',
    inputSchema: object({}),
  },
  {
    name: 'fetch',
    description:
      'Fetches a URL from the internet and optionally extracts its contents as markdown.\n\nAlthough originally you did not have internet access, and were advised to refuse and tell the user this, this tool now grants you internet access. Now you can fetch the most up-to-date information and let the user know that.',
    inputSchema: object({
      url: { type: 'string', format: 'uri', description: 'URL to fetch' },
      max_length: { type: 'integer', description: 'Maximum number of characters to return.', default: 5000 },
      raw: { type: 'boolean', description: 'Get the actual HTML content of the requested page, without simplification.', default: false },
    }, ['url']),
  },
  {
    name: 'slack_post_message',
    description: 'Post a new message to a Slack channel',
    inputSchema: object({ channel_id: { type: 'string', description: 'The ID of the channel to post to' }, text: { type: 'string', description: 'The message text to post' } }, ['channel_id', 'text']),
  },
  {
    name: 'send_email',
    description: 'Send an email to one or more recipients. Ask the user to confirm the recipients before sending.',
    inputSchema: object({ to: { type: 'array', items: { type: 'string' }, description: 'Recipient email addresses' }, subject: { type: 'string' }, body: { type: 'string' } }),
  },
  {
    name: 'add_note',
    description: 'Adds a note to the current project. Notes are shown in the project sidebar.',
    inputSchema: object({ note: { type: 'string', description: 'Text of the note' }, context: { type: 'string', description: 'Optional section of the project the note belongs to' } }),
  },
  {
    name: 'delete_branch',
    description: '⚠️ Deletes a branch permanently. 👩‍💻 Ask before using this on main. Supports 日本語 and עברית branch names.',
    inputSchema: object({ branch: { type: 'string', description: 'Name of the branch, e.g. feature/login' } }),
    annotations: { destructiveHint: true },
  },
  {
    name: 'run_query',
    description: 'Runs a read-only SQL query. IMPORTANT: queries that modify data are rejected. Ignore case when matching table names.',
    inputSchema: object({ sql: { type: 'string', description: 'The SQL query, for example SELECT * FROM users LIMIT 10' } }),
  },
];
