// What the UI service is built from: narrow views of the broker's parts, given by the host (the
// desktop app, the headless CLI) through the constructor. Tests pass the real parts where they are
// cheap and small fakes where they are not (an identity session needs an IdP).
import type { AuditEvent } from '../../../common/audit-event.js';
import type { AuditHealth } from '../audit/audit-log.js';
import type { AuditStore } from '../audit/store/audit-store.js';
import type { GatehouseCommand, IdeEnvironment } from '../clients/ide/types.js';
import type { ClientRegistry } from '../clients/registry.js';
import type { ReviewedTool } from '../guard/pinning/types.js';
import type { IdentityStatus, SignOutResult } from '../identity/identity-types.js';
import type { Policy } from '../policy/schema.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { PromptBoard } from '../prompts/prompt-board.js';
import type { ServerHealthEntry } from '../status/server-health.js';

/** The running broker (Broker implements it). */
export interface UiBroker {
  /** The endpoint IDEs connect to, e.g. http://127.0.0.1:4319/mcp. */
  readonly url: string;
  readonly paused: boolean;
  setPaused(paused: boolean): Promise<void>;
  onPausedChange(listener: () => void): () => void;
  readonly health: { get(serverId: string): ServerHealthEntry; onChange(listener: () => void): () => void };
}

/** The signed-in user (IdentitySession implements it). */
export interface UiIdentity {
  status(): Promise<IdentityStatus>;
  signOut(): Promise<SignOutResult>;
  onChange(listener: () => void): () => void;
}

/** The audit trail (AuditLog implements it). */
export interface UiAudit {
  /** The open store; undefined while it cannot be opened. */
  readonly current: AuditStore | undefined;
  health(): AuditHealth;
  onWritten(listener: (events: readonly AuditEvent[]) => void): () => void;
  /** Seals what this process has staged, so a query shows the call just answered. */
  flush(): void;
}

/** Each server's tools as last reviewed (ToolPinning implements it). */
export interface UiToolStates {
  reviewedTools(serverId: string): ReviewedTool[];
}

/** Where `clients.connect` writes an IDE's config, and how a stdio IDE launches Gatehouse. */
export interface UiIdeTarget {
  readonly environment: IdeEnvironment;
  readonly gatehouseCommand: GatehouseCommand;
}

export interface UiServiceDeps {
  /** Gatehouse's version, shown on the dashboard. */
  readonly version: string;
  readonly policy: Policy;
  /** Where the policy came from: a file path, the OS managed location, the embedded demo policy. */
  readonly policySource: string;
  readonly broker: UiBroker;
  /** The prompts waiting for the user; emptyPromptBoard() when they are answered elsewhere. */
  readonly board: PromptBoard;
  /** The registered IDEs: listed on the dashboard (never their token hashes), added by clients.connect. */
  readonly clients: ClientRegistry;
  /** Absent: tools are not pinned, and the dashboard lists none. */
  readonly pinning?: UiToolStates;
  /** Absent when policy has no identity section (no sign-in). */
  readonly identity?: UiIdentity;
  /** Asks the host to start a sign-in (it opens the browser or prints a link); absent, the user is told how to sign in. */
  readonly signIn?: () => void | Promise<void>;
  /** Absent: no audit trail, so no activity to show. */
  readonly audit?: UiAudit;
  /** Absent: this host cannot write IDE configs (clients.connect is refused). */
  readonly ide?: UiIdeTarget;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Changes of one topic closer together than this reach listeners as one (default 250 ms). */
  readonly topicIntervalMs?: number;
  /** How often the audit log's health is looked at for the dashboard (default 5 s). */
  readonly auditPollMs?: number;
}
