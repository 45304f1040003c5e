// The demo's internal knowledge base: a search that reports progress, document reads, one resource
// per document and an `explain` prompt. A second, harmless upstream next to the incident desk, so
// `gatehouse demo` shows aggregation, namespacing and progress forwarding.
import { McpServer, type CallToolResult } from '@modelcontextprotocol/server';
import * as z from 'zod';
import { serveMcp, type McpHttpServer, type ServeMcpOptions } from './serve-http.js';

export interface Doc {
  slug: string;
  title: string;
  tags: string[];
  body: string;
}

export const DOCS: readonly Doc[] = [
  {
    slug: 'incident-response',
    title: 'Incident response handbook',
    tags: ['incidents', 'on-call'],
    body: 'Declare an incident as soon as customers are affected. The first responder becomes incident commander until handing over. Post updates every 30 minutes for SEV1 and SEV2. Every SEV1 and SEV2 gets a blameless postmortem within five working days.',
  },
  {
    slug: 'deploy-rollback',
    title: 'Rolling back a deployment',
    tags: ['deploy', 'incidents'],
    body: 'Roll back first, debug later. Run `deployctl rollback <service> --to previous` from the release channel. Rollbacks of checkout and payments need a second approver. Confirm the error rate recovers within ten minutes.',
  },
  {
    slug: 'oncall-escalation',
    title: 'On-call escalation policy',
    tags: ['on-call'],
    body: 'Primary on-call acknowledges within 5 minutes. Unacknowledged pages escalate to secondary after 10 minutes and to the engineering manager after 20. Page with a reason: what is broken, since when, and who is affected.',
  },
  {
    slug: 'sso-certificates',
    title: 'Rotating SSO signing certificates',
    tags: ['identity', 'security'],
    body: 'Enterprise tenants must be told 14 days before a SAML signing certificate rotation. Publish the new certificate in metadata alongside the old one, switch signing after the notice period, and remove the old certificate a week later.',
  },
  {
    slug: 'search-indexing',
    title: 'How search indexing works',
    tags: ['search'],
    body: 'Catalogue changes are published to the catalogue-events topic; the indexer consumes them and writes to the search cluster. Consumer lag above 15 minutes pages the search on-call. Reindexing from scratch takes about four hours.',
  },
];

const MIME = 'text/markdown';
const uriOf = (slug: string): string => `docs://kb/${slug}`;
const render = (doc: Doc): string => `# ${doc.title}\n\nTags: ${doc.tags.join(', ')}\n\n${doc.body}`;

const DocHit = z.object({ slug: z.string(), title: z.string(), uri: z.string(), score: z.number() });

function score(doc: Doc, terms: string[]): number {
  const haystack = `${doc.title} ${doc.tags.join(' ')} ${doc.body}`.toLowerCase();
  return terms.reduce((total, term) => total + haystack.split(term).length - 1, 0);
}

export function createDocsServer(docs: readonly Doc[] = DOCS): McpServer {
  const server = new McpServer(
    { name: 'docs', title: 'Knowledge base', version: '1.0.0' },
    { instructions: 'Internal engineering knowledge base: search it, then read a document by slug.' },
  );
  const find = (slug: string): Doc | undefined => docs.find((doc) => doc.slug === slug);

  server.registerTool(
    'search_docs',
    {
      title: 'Search the knowledge base',
      description: 'Full-text search over the knowledge base. Reports progress per document scanned when asked to.',
      inputSchema: z.object({ query: z.string().min(1).max(200), limit: z.number().int().min(1).max(20).optional() }),
      outputSchema: z.object({ hits: z.array(DocHit) }),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ query, limit }, ctx) => {
      const terms = query.toLowerCase().split(/\s+/).filter((term) => term !== '');
      const progressToken = ctx.mcpReq._meta?.progressToken;
      const hits: z.infer<typeof DocHit>[] = [];
      for (const [index, doc] of docs.entries()) {
        const points = score(doc, terms);
        if (points > 0) hits.push({ slug: doc.slug, title: doc.title, uri: uriOf(doc.slug), score: points });
        // Progress only when the caller asked for it by sending a progressToken.
        if (progressToken !== undefined) {
          await ctx.mcpReq.notify({
            method: 'notifications/progress',
            params: { progressToken, progress: index + 1, total: docs.length, message: `Scanned ${doc.title}` },
          });
        }
      }
      hits.sort((a, b) => b.score - a.score || a.slug.localeCompare(b.slug));
      const top = hits.slice(0, limit ?? 5);
      const lines = top.map((hit) => `${hit.slug} (${hit.score}): ${hit.title}`);
      return {
        content: [{ type: 'text', text: lines.length > 0 ? lines.join('\n') : `Nothing found for "${query}".` }],
        structuredContent: { hits: top },
      };
    },
  );

  server.registerTool(
    'get_doc',
    {
      title: 'Read a document',
      description: 'Returns one knowledge-base document by slug.',
      inputSchema: z.object({ slug: z.string() }),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ slug }): CallToolResult => {
      const doc = find(slug);
      if (doc === undefined) {
        return { content: [{ type: 'text', text: `No document ${slug}. Use search_docs to find one.` }], isError: true };
      }
      return { content: [{ type: 'text', text: render(doc) }] };
    },
  );

  for (const doc of docs) {
    server.registerResource(doc.slug, uriOf(doc.slug), { title: doc.title, mimeType: MIME }, (uri) => ({
      contents: [{ uri: uri.href, mimeType: MIME, text: render(doc) }],
    }));
  }

  server.registerPrompt(
    'explain',
    {
      title: 'Explain a topic',
      description: 'Explains a topic using the knowledge base as the source.',
      argsSchema: z.object({ topic: z.string().describe('What to explain, e.g. "rollback"') }),
    },
    ({ topic }) => ({
      messages: [
        {
          role: 'user',
          content: {
            type: 'text',
            text: `Explain "${topic}" to a new engineer. Use search_docs and get_doc to ground the answer, and cite the slugs you used.`,
          },
        },
      ],
    }),
  );

  return server;
}

export async function startDocsServer(options: ServeMcpOptions = {}): Promise<McpHttpServer> {
  return serveMcp(() => createDocsServer(), options);
}
