// The database tables as Kysely sees them: snake_case columns, timestamps as epoch milliseconds,
// JSON as text, booleans as integer 0/1 (the same on SQLite and PostgreSQL).

import type { Generated } from 'kysely';
import type { UserRole } from '../core/users.js';

export type Direction = 'in' | 'out';
export type ConversationState = 'open' | 'pending' | 'snoozed' | 'resolved';
export type ConversationPriority = 'none' | 'low' | 'medium' | 'high' | 'urgent';
export type MessageStatus = 'pending' | 'queued' | 'sent' | 'delivered' | 'read' | 'failed' | 'denied' | 'received';
export type WebhookEventStatus = 'pending' | 'processing' | 'done' | 'failed';
/** 0 or 1. */
export type Flag = number;
/** Milliseconds since the epoch. */
export type EpochMs = number;

export interface WorkspaceRow {
  id: string;
  name: string;
  timezone: string;
  created_at: EpochMs;
  /** Teams and assignment (issue 14, S2, migration 0015): what agents see, core/visibility.ts. */
  agent_visibility: 'all' | 'own_team_unassigned';
}

export interface ApiKeyRow {
  id: string;
  workspace_id: string;
  name: string;
  prefix: string;
  /** hex sha256 of the secret part of `pk_<prefix>_<secret>`. */
  hash: string;
  created_at: EpochMs;
  last_used_at: EpochMs | null;
  revoked_at: EpochMs | null;
}

export interface UserRow {
  id: string;
  workspace_id: string;
  /** Lower-cased; unique per workspace. */
  email: string;
  name: string;
  role: UserRole;
  /** `scrypt$N$r$p$<salt b64url>$<hash b64url>` (services/passwords.ts). */
  password_hash: string;
  created_at: EpochMs;
  updated_at: EpochMs;
  // Sign-in and sessions (issue 14, migration 0014).
  locale: 'en' | 'ru';
  disabled_at: EpochMs | null;
  /** Wrong passwords since the last sign-in or lock; reaching 5 locks the account. */
  failed_sign_ins: number;
  locked_until: EpochMs | null;
  last_sign_in_at: EpochMs | null;
  /** Encrypted (store/secrets.ts) base32 TOTP secret; set at enrolment, in force once totp_enabled_at is set. */
  totp_secret: string | null;
  totp_enabled_at: EpochMs | null;
  /** The last TOTP step accepted: a code is good once. */
  totp_last_step: number | null;
  /** JSON array of ISO 639-1 codes they answer in (migration 0026); '[]' = none given. */
  languages: string;
}

// ── Sessions and one-use links (issue 14, S1, migration 0014) ──
export interface SessionRow {
  /** SHA-256 hex of the cookie's random token; the token itself is never stored. */
  id: string;
  user_id: string;
  workspace_id: string;
  csrf_token: string;
  created_at: EpochMs;
  last_seen_at: EpochMs;
  expires_at: EpochMs;
  ip: string | null;
  user_agent: string | null;
}

export interface UserTokenRow {
  /** SHA-256 hex of the link's random token. */
  id: string;
  kind: 'invite' | 'password_reset';
  user_id: string;
  workspace_id: string;
  created_at: EpochMs;
  expires_at: EpochMs;
  used_at: EpochMs | null;
}

export interface InboxRow {
  id: string;
  workspace_id: string;
  phone_number_id: string;
  waba_id: string;
  display_phone_number: string;
  verified_name: string | null;
  status: string;
  quality_rating: string | null;
  /** Unique out-of-window recipients per moving 24 h; -1 = unlimited. */
  messaging_limit: number;
  throughput_mps: number;
  access_token_enc: string | null;
  app_secret_enc: string | null;
  created_at: EpochMs;
  updated_at: EpochMs;
}

export interface ContactRow {
  id: string;
  workspace_id: string;
  wa_id: string;
  e164: string | null;
  name: string | null;
  country: string | null;
  market: string | null;
  /** JSON object. */
  attributes: string;
  /** JSON array of strings. */
  tags: string;
  blocked: Flag;
  marketing_opt_out: Flag;
  marketing_opt_out_at: EpochMs | null;
  /** When the marketing preference last changed (event time), to apply stop/resume in order. */
  marketing_pref_at: EpochMs | null;
  last_inbound_at: EpochMs | null;
  /** When an allowed message outside the service window last went to this contact (messaging-limit count). */
  limit_counted_at: EpochMs | null;
  created_at: EpochMs;
  updated_at: EpochMs;
  /** ISO 639-1, set by an operator (migration 0026); null = guessed from their text when routing. */
  language?: string | null;
}

export interface ConversationRow {
  id: string;
  workspace_id: string;
  inbox_id: string;
  contact_id: string;
  state: ConversationState;
  last_inbound_at: EpochMs | null;
  window_expires_at: EpochMs | null;
  last_message_at: EpochMs;
  entry_point_expires_at: EpochMs | null;
  /** The customer's last message through a free entry point (CTWA ad, Page button). */
  entry_point_inbound_at: EpochMs | null;
  /** created_at of the latest inbound message an operator marked read (POST /conversations/:id/read). */
  last_read_at: EpochMs | null;
  created_at: EpochMs;
  updated_at: EpochMs;
  // Teams and assignment (issue 14, S2, migration 0015).
  assignee_id: string | null;
  team_id: string | null;
  priority: ConversationPriority;
  /** With state 'snoozed': when it wakes; null = until the customer replies. */
  snoozed_until: EpochMs | null;
  /** Meta time of the first customer message since the business last wrote (see queries/conversations.ts). */
  waiting_since: EpochMs | null;
}

// ── Teams and assignment (issue 14, S2, migration 0015) ──
export interface TeamRow {
  id: string;
  workspace_id: string;
  /** Unique per workspace. */
  name: string;
  created_at: EpochMs;
  updated_at: EpochMs;
}

export interface TeamMemberRow {
  team_id: string;
  user_id: string;
  workspace_id: string;
}

/** Who assigned a conversation to whom, with the transfer note. */
export interface ConversationAssignmentRow {
  id: string;
  workspace_id: string;
  conversation_id: string;
  assignee_id: string | null;
  team_id: string | null;
  by_user_id: string | null;
  note: string | null;
  created_at: EpochMs;
}

export interface MessageRow {
  id: string;
  workspace_id: string;
  inbox_id: string;
  conversation_id: string;
  contact_id: string;
  direction: Direction;
  type: string;
  /** JSON. */
  content: string;
  template_name: string | null;
  template_language: string | null;
  /** JSON. */
  template_params: string | null;
  template_category: string | null;
  reply_to_message_id: string | null;
  reply_to_wamid: string | null;
  wamid: string | null;
  status: MessageStatus;
  queued_at: EpochMs | null;
  sent_at: EpochMs | null;
  delivered_at: EpochMs | null;
  read_at: EpochMs | null;
  failed_at: EpochMs | null;
  error_code: number | null;
  error_title: string | null;
  error_details: string | null;
  /** JSON of the policy decision. */
  policy: string | null;
  pricing_category: string | null;
  pricing_type: string | null;
  pricing_billable: Flag | null;
  cost_micros: number | null;
  /** Outbound only: sent while the customer service window was closed (counts against the messaging limit). */
  outside_window: Flag;
  media_id: string | null;
  created_at: EpochMs;
  updated_at: EpochMs;
}

export interface MediaRow {
  id: string;
  workspace_id: string;
  inbox_id: string | null;
  direction: Direction;
  meta_media_id: string | null;
  mime_type: string;
  sha256: string | null;
  size: number;
  filename: string | null;
  path: string | null;
  created_at: EpochMs;
}

export interface WebhookEventRow {
  id: string;
  received_at: EpochMs;
  signature_ok: Flag;
  payload: string;
  payload_hash: string;
  status: WebhookEventStatus;
  attempts: number;
  claimed_until: EpochMs | null;
  processed_at: EpochMs | null;
  last_error: string | null;
  /** SHA-256 (hex) of the app secret whose signature verified the event; null for events stored before it was kept. */
  signer_hash: string | null;
}

export interface OutboxRow {
  id: string;
  workspace_id: string;
  message_id: string;
  inbox_id: string;
  recipient: string;
  not_before: EpochMs;
  attempts: number;
  claimed_by: string | null;
  claimed_until: EpochMs | null;
  created_at: EpochMs;
  /** Lane: 0 replies, automation and single sends; 1 campaigns. Lower lanes are claimed first. */
  priority: Generated<number>;
}

export interface TemplateRow {
  id: string;
  workspace_id: string;
  inbox_id: string | null;
  waba_id: string;
  name: string;
  language: string;
  category: string;
  status: string;
  quality: string | null;
  parameter_format: string;
  /** JSON array of Meta's template components. */
  components: string;
  meta_template_id: string | null;
  rejected_reason: string | null;
  created_at: EpochMs;
  updated_at: EpochMs;
}

/** A canned reply («быстрый ответ»), migration 0018. */
export type ScheduledStatus = 'scheduled' | 'sent' | 'failed' | 'cancelled';

export interface ScheduledMessageRow {
  id: string;
  workspace_id: string;
  conversation_id: string;
  /** JSON of the OutboundContent to send. */
  content: string;
  reply_to_message_id: string | null;
  created_by_user_id: string | null;
  send_at: EpochMs;
  status: ScheduledStatus;
  message_id: string | null;
  error_code: string | null;
  error_message: string | null;
  created_at: EpochMs;
  updated_at: EpochMs;
}

export interface CannedReplyRow {
  id: string;
  workspace_id: string;
  /** Lower-case; unique per workspace. */
  shortcut: string;
  title: string;
  body: string;
  /** null = the whole workspace sees it. */
  team_id: string | null;
  created_at: EpochMs;
  updated_at: EpochMs;
}

// ── Work distribution (issue 14 §4, migration 0022) ──
/** A team's routing; no row = manual. */
export interface TeamRoutingRow {
  team_id: string;
  workspace_id: string;
  mode: 'manual' | 'round_robin' | 'capacity';
  max_open_per_agent: number | null;
  updated_at: EpochMs;
  /** Migration 0026: prefer a member who speaks the customer's language. */
  match_language?: Flag;
}

/** A member's place in a team's turns (round robin), kept across restarts and processes. */
export interface TeamRoutingTurnRow {
  team_id: string;
  user_id: string;
  workspace_id: string;
  turn: number;
  assigned_at: EpochMs;
}

/** The workspace's default team for new conversations and its auto-resolve delay; no row = neither. */
export interface RoutingSettingsRow {
  workspace_id: string;
  default_team_id: string | null;
  auto_resolve_after_hours: number | null;
  updated_at: EpochMs;
}

/** CSAT settings of a workspace (issue 14 §6, migration 0023); no row = off, built-in question. */
export interface CsatSettingsRow {
  workspace_id: string;
  enabled: Flag;
  language: 'en' | 'ru';
  question: string;
  template_name: string | null;
  template_language: string | null;
  updated_at: EpochMs;
}

/** One rating request per resolve (services/csat.ts): what was sent or why not, and the answer. */
export interface CsatSurveyRow {
  id: string;
  workspace_id: string;
  conversation_id: string;
  contact_id: string;
  status: 'asked' | 'answered' | 'skipped';
  reason: string | null;
  channel: 'interactive' | 'template' | null;
  message_id: string | null;
  asked_at: EpochMs;
  rating: number | null;
  answered_at: EpochMs | null;
  answer_message_id: string | null;
}

export interface Tables {
  workspaces: WorkspaceRow;
  api_keys: ApiKeyRow;
  users: UserRow;
  sessions: SessionRow;
  user_tokens: UserTokenRow;
  inboxes: InboxRow;
  contacts: ContactRow;
  conversations: ConversationRow;
  teams: TeamRow;
  team_members: TeamMemberRow;
  conversation_assignments: ConversationAssignmentRow;
  messages: MessageRow;
  media: MediaRow;
  webhook_events: WebhookEventRow;
  outbox: OutboxRow;
  templates: TemplateRow;
  canned_replies: CannedReplyRow;
  scheduled_messages: ScheduledMessageRow;
  team_routing: TeamRoutingRow;
  team_routing_turns: TeamRoutingTurnRow;
  routing_settings: RoutingSettingsRow;
  csat_settings: CsatSettingsRow;
  csat_surveys: CsatSurveyRow;
}
