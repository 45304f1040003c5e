// The first guard step: which tools the signed-in user may see and call. Roles come from the IdP,
// policy maps roles to scopes and scopes to tools, and whatever no rule grants is denied. Without an
// `identity` section there are no users and no roles, so every tool of an approved server is open.
import type { Policy } from '../policy/schema.js';
import { compileToolPattern, type ToolPattern } from './tool-pattern.js';

export interface RoleSource {
  /** The signed-in user's roles; undefined while nobody is signed in. */
  roles(): readonly string[] | undefined;
  /** The signed-in user's subject (per-user rate limits, audit); undefined while nobody is signed in. */
  subject?(): string | undefined;
}

export type ToolRefusal =
  | { code: 'GATEHOUSE_SIGN_IN_REQUIRED'; message: string }
  | { code: 'GATEHOUSE_TOOL_NOT_ALLOWED'; message: string; scope: string | undefined };

export interface ToolAccess {
  /** undefined when the user may call the tool; otherwise why not, in words for the agent and the user. */
  check(serverId: string, toolName: string): ToolRefusal | undefined;
}

export const OPEN_TOOL_ACCESS: ToolAccess = { check: () => undefined };

interface CompiledRule {
  matches: ToolPattern;
  scope: string;
}

export class RoleToolAccess implements ToolAccess {
  private readonly rules: Map<string, CompiledRule[]>;
  private readonly scopesOfRole: Map<string, ReadonlySet<string>>;

  constructor(policy: Pick<Policy, 'servers' | 'roles'>, private readonly source: RoleSource) {
    this.rules = new Map(policy.servers.map((s) => [s.id, (s.tools ?? []).map((r) => ({ matches: compileToolPattern(r.match), scope: r.scope }))]));
    this.scopesOfRole = new Map(Object.entries(policy.roles).map(([role, scopes]) => [role, new Set(scopes)]));
  }

  /** The scope a tool needs: the first rule that matches decides. undefined when no rule names it. */
  scopeFor(serverId: string, toolName: string): string | undefined {
    return this.rules.get(serverId)?.find((rule) => rule.matches(toolName))?.scope;
  }

  check(serverId: string, toolName: string): ToolRefusal | undefined {
    const roles = this.source.roles();
    if (roles === undefined) {
      return {
        code: 'GATEHOUSE_SIGN_IN_REQUIRED',
        message: `Sign in to Gatehouse to use '${toolName}': follow the sign-in link Gatehouse shows (Sign in in the app, or the link \`gatehouse serve\` prints), or run \`gatehouse login\`.`,
      };
    }
    const scope = this.scopeFor(serverId, toolName);
    if (scope === undefined) {
      return { code: 'GATEHOUSE_TOOL_NOT_ALLOWED', scope, message: `The tool '${toolName}' of server '${serverId}' is not granted to anyone by policy; ask your administrator to add a rule for it.` };
    }
    if (roles.some((role) => this.scopesOfRole.get(role)?.has(scope))) return undefined;
    const held = roles.length > 0 ? `your roles (${roles.join(', ')}) do not grant it` : 'you have no roles';
    return { code: 'GATEHOUSE_TOOL_NOT_ALLOWED', scope, message: `The tool '${toolName}' of server '${serverId}' needs the scope '${scope}', and ${held}; ask your administrator for a role that grants '${scope}'.` };
  }
}

export function toolAccessFor(policy: Policy, source: RoleSource): ToolAccess {
  return policy.identity === undefined ? OPEN_TOOL_ACCESS : new RoleToolAccess(policy, source);
}
