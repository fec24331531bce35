// Meta's WhatsApp Cloud API wire types, verbatim snake_case. Types only: Parley's client and the
// sandbox both import this file, and nothing else from each other (a shared bug would hide from both).
// Reference: https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/send-messages

// ---------- sending: POST /{version}/{phone-number-id}/messages ----------

export type SendType =
  | 'text' | 'image' | 'audio' | 'video' | 'document' | 'sticker'
  | 'location' | 'contacts' | 'reaction' | 'interactive' | 'template';

export const SEND_TYPES: readonly SendType[] = [
  'text', 'image', 'audio', 'video', 'document', 'sticker',
  'location', 'contacts', 'reaction', 'interactive', 'template',
];

export type MediaType = 'image' | 'audio' | 'video' | 'document' | 'sticker';

export interface WireText { body: string; preview_url?: boolean }

export interface WireMedia {
  id?: string;
  link?: string;
  caption?: string;
  filename?: string;
  voice?: boolean;
}

export interface WireLocation {
  latitude: number | string;
  longitude: number | string;
  name?: string;
  address?: string;
}

export interface WireContactCard {
  name: {
    formatted_name: string;
    first_name?: string; last_name?: string; middle_name?: string; suffix?: string; prefix?: string;
  };
  addresses?: Array<{ street?: string; city?: string; state?: string; zip?: string; country?: string; country_code?: string; type?: string }>;
  birthday?: string;
  emails?: Array<{ email?: string; type?: string }>;
  org?: { company?: string; department?: string; title?: string };
  phones?: Array<{ phone?: string; type?: string; wa_id?: string }>;
  urls?: Array<{ url?: string; type?: string }>;
}

export interface WireReaction { message_id: string; emoji: string }

export interface WireInteractiveHeader {
  type: 'text' | 'image' | 'video' | 'document';
  text?: string;
  sub_text?: string;
  image?: WireMedia; video?: WireMedia; document?: WireMedia;
}

export interface WireReplyButton { type: 'reply'; reply: { id: string; title: string } }
export interface WireListRow { id: string; title: string; description?: string }
export interface WireListSection { title?: string; rows?: WireListRow[]; product_items?: Array<{ product_retailer_id: string }> }

export interface WireInteractiveAction {
  buttons?: WireReplyButton[];
  button?: string;
  sections?: WireListSection[];
  name?: string;
  parameters?: Record<string, unknown>;
  catalog_id?: string;
  product_retailer_id?: string;
}

export type InteractiveType =
  | 'button' | 'list' | 'cta_url' | 'product' | 'product_list' | 'catalog_message' | 'flow'
  | 'location_request_message' | 'call_permission_request';

export interface WireInteractive {
  type: InteractiveType;
  header?: WireInteractiveHeader;
  body?: { text: string };
  footer?: { text: string };
  action: WireInteractiveAction;
}

export interface WireTemplateParameter {
  type: 'text' | 'currency' | 'date_time' | 'image' | 'video' | 'document' | 'location' | 'payload' | 'coupon_code' | 'action';
  text?: string;
  parameter_name?: string;
  payload?: string;
  coupon_code?: string;
  currency?: { fallback_value: string; code: string; amount_1000: number };
  date_time?: { fallback_value: string };
  image?: WireMedia; video?: WireMedia; document?: WireMedia;
  location?: WireLocation;
  action?: Record<string, unknown>;
}

export interface WireTemplateComponentParams {
  type: 'header' | 'body' | 'button';
  sub_type?: 'quick_reply' | 'url' | 'copy_code' | 'catalog' | 'flow' | string;
  index?: string | number;
  parameters?: WireTemplateParameter[];
}

export interface WireTemplateSend {
  name: string;
  language: { code: string; policy?: 'deterministic' };
  components?: WireTemplateComponentParams[];
}

export interface SendMessageRequest {
  messaging_product: 'whatsapp';
  recipient_type?: 'individual' | 'group';
  to: string;
  type?: SendType;
  context?: { message_id: string };
  biz_opaque_callback_data?: string;
  text?: WireText;
  image?: WireMedia; audio?: WireMedia; video?: WireMedia; document?: WireMedia; sticker?: WireMedia;
  location?: WireLocation;
  contacts?: WireContactCard[];
  reaction?: WireReaction;
  interactive?: WireInteractive;
  template?: WireTemplateSend;
}

/** Same endpoint: mark an inbound message read, optionally with a typing indicator. */
export interface MarkReadRequest {
  messaging_product: 'whatsapp';
  status: 'read';
  message_id: string;
  typing_indicator?: { type: 'text' };
}

export type MessageStatusOnAccept = 'accepted' | 'held_for_quality_assessment' | 'paused';

export interface SendMessageResponse {
  messaging_product: 'whatsapp';
  contacts: Array<{ input: string; wa_id: string }>;
  messages: Array<{ id: string; message_status?: MessageStatusOnAccept }>;
}

// ---------- errors ----------

export interface GraphError {
  message: string;
  type: string;
  code: number;
  error_subcode?: number;
  error_data?: { messaging_product?: 'whatsapp'; details: string };
  error_user_title?: string;
  error_user_msg?: string;
  is_transient?: boolean;
  fbtrace_id: string;
}

export interface GraphErrorEnvelope { error: GraphError }

/** Error object inside webhooks (statuses[].errors, messages[].errors, value.errors). */
export interface WebhookError {
  code: number;
  title: string;
  message?: string;
  error_data?: { details: string };
  href?: string;
}

// ---------- media ----------

export interface MediaUploadResponse { id: string }
export interface MediaInfoResponse {
  messaging_product: 'whatsapp';
  url: string;
  mime_type: string;
  sha256: string;
  file_size: string | number;
  id: string;
}

// ---------- templates (Business Management API) ----------

export type TemplateCategory = 'MARKETING' | 'UTILITY' | 'AUTHENTICATION';
export type TemplateStatus =
  | 'APPROVED' | 'PENDING' | 'REJECTED' | 'PAUSED' | 'DISABLED' | 'IN_APPEAL'
  | 'PENDING_DELETION' | 'DELETED' | 'LIMIT_EXCEEDED' | 'ARCHIVED';
export type QualityScore = 'GREEN' | 'YELLOW' | 'RED' | 'UNKNOWN';

export interface WireTemplateButton {
  type: 'QUICK_REPLY' | 'URL' | 'PHONE_NUMBER' | 'COPY_CODE' | 'OTP' | 'FLOW' | 'MPM' | 'CATALOG' | 'VOICE_CALL' | string;
  text?: string;
  url?: string;
  phone_number?: string;
  example?: string[] | string;
  otp_type?: 'COPY_CODE' | 'ONE_TAP' | 'ZERO_TAP';
  flow_id?: string; flow_name?: string; flow_action?: string; navigate_screen?: string;
}

export interface WireTemplateComponent {
  type: 'HEADER' | 'BODY' | 'FOOTER' | 'BUTTONS' | string;
  format?: 'TEXT' | 'IMAGE' | 'VIDEO' | 'DOCUMENT' | 'GIF' | 'LOCATION' | string;
  text?: string;
  buttons?: WireTemplateButton[];
  add_security_recommendation?: boolean;
  code_expiration_minutes?: number;
  example?: {
    header_text?: string[];
    header_text_named_params?: Array<{ param_name: string; example: string }>;
    header_handle?: string[];
    body_text?: string[][];
    body_text_named_params?: Array<{ param_name: string; example: string }>;
  };
}

export interface CreateTemplateRequest {
  name: string;
  language: string;
  category: TemplateCategory | Lowercase<TemplateCategory>;
  parameter_format?: 'NAMED' | 'POSITIONAL' | 'named' | 'positional';
  components: WireTemplateComponent[];
  message_send_ttl_seconds?: number;
  allow_category_change?: boolean;
}

export interface CreateTemplateResponse { id: string; status: TemplateStatus; category: TemplateCategory }

export interface WireTemplate {
  id: string;
  name: string;
  language: string;
  status: TemplateStatus;
  category: TemplateCategory;
  previous_category?: TemplateCategory;
  parameter_format: 'NAMED' | 'POSITIONAL';
  components: WireTemplateComponent[];
  quality_score?: { score: QualityScore; date: number };
  rejected_reason?: string;
}

export interface Paged<T> {
  data: T[];
  paging?: { cursors: { before: string; after: string }; next?: string; previous?: string };
}

// ---------- phone numbers and profile ----------

export type PhoneStatus = 'CONNECTED' | 'DISCONNECTED' | 'UNVERIFIED' | 'PENDING' | 'FLAGGED' | 'RESTRICTED' | 'OFFLINE' | 'BANNED';
export type MessagingLimitTier = 'TIER_50' | 'TIER_250' | 'TIER_1K' | 'TIER_2K' | 'TIER_10K' | 'TIER_100K' | 'TIER_UNLIMITED' | 'TIER_NOT_SET';

export interface WirePhoneNumber {
  id: string;
  display_phone_number: string;
  verified_name: string;
  quality_rating: 'GREEN' | 'YELLOW' | 'RED' | 'NA' | 'UNKNOWN';
  status?: PhoneStatus;
  code_verification_status?: 'VERIFIED' | 'UNVERIFIED' | 'NOT_VERIFIED' | 'EXPIRED';
  name_status?: string;
  messaging_limit_tier?: MessagingLimitTier;
  whatsapp_business_manager_messaging_limit?: MessagingLimitTier;
  throughput?: { level: 'STANDARD' | 'HIGH' | 'COEXISTENCE' | string };
  platform_type?: 'CLOUD_API' | 'ON_PREMISE' | 'NOT_APPLICABLE';
  account_mode?: 'SANDBOX' | 'LIVE';
}

/** GET /{waba-id}: https://developers.facebook.com/docs/graph-api/reference/whats-app-business-account/ */
export interface WireWaba {
  id: string;
  name?: string;
  timezone_id?: string;
  currency?: string;
  message_template_namespace?: string;
  account_review_status?: string;
}

export interface WireBusinessProfile {
  about?: string;
  address?: string;
  description?: string;
  email?: string;
  profile_picture_url?: string;
  websites?: string[];
  vertical?: string;
  messaging_product: 'whatsapp';
}

// ---------- webhooks ----------

export interface WebhookEnvelope {
  object: 'whatsapp_business_account';
  entry: WebhookEntry[];
}

export interface WebhookEntry {
  id: string;
  time?: number;
  changes: WebhookChange[];
}

export type WebhookField =
  | 'messages' | 'message_template_status_update' | 'message_template_quality_update'
  | 'template_category_update' | 'phone_number_quality_update' | 'business_capability_update'
  | 'account_update' | 'user_preferences' | 'account_alerts';

export interface WebhookChange {
  field: WebhookField | string;
  value: MessagesValue | Record<string, unknown>;
}

export interface WebhookMetadata { display_phone_number: string; phone_number_id: string }

export interface MessagesValue {
  messaging_product: 'whatsapp';
  metadata: WebhookMetadata;
  contacts?: Array<{ profile: { name: string }; wa_id: string; user_id?: string }>;
  messages?: InboundMessage[];
  statuses?: StatusUpdate[];
  errors?: WebhookError[];
  user_preferences?: Array<{ wa_id: string; detail: string; category: 'marketing_messages'; value: 'stop' | 'resume'; timestamp: number }>;
}

export type InboundType =
  | 'text' | 'image' | 'video' | 'audio' | 'document' | 'sticker' | 'location' | 'contacts'
  | 'button' | 'interactive' | 'reaction' | 'order' | 'system' | 'unsupported' | 'unknown';

export interface InboundMediaObject {
  id: string;
  mime_type: string;
  sha256: string;
  caption?: string;
  filename?: string;
  url?: string;
  voice?: boolean;
  animated?: boolean;
}

export interface InboundContext {
  from?: string;
  id?: string;
  forwarded?: boolean;
  frequently_forwarded?: boolean;
  referred_product?: { catalog_id: string; product_retailer_id: string };
}

export interface InboundReferral {
  source_url: string;
  source_id: string;
  source_type: 'ad' | 'post' | string;
  body?: string;
  headline?: string;
  media_type?: 'image' | 'video';
  image_url?: string;
  video_url?: string;
  thumbnail_url?: string;
  ctwa_clid?: string;
  welcome_message?: { text: string };
}

export interface InboundMessage {
  from: string;
  id: string;
  timestamp: string;
  type: InboundType;
  context?: InboundContext;
  referral?: InboundReferral;
  text?: { body: string };
  image?: InboundMediaObject; video?: InboundMediaObject; audio?: InboundMediaObject;
  document?: InboundMediaObject; sticker?: InboundMediaObject;
  location?: { latitude: number; longitude: number; name?: string; address?: string; url?: string };
  contacts?: WireContactCard[];
  button?: { payload: string; text: string };
  interactive?: {
    type: 'button_reply' | 'list_reply' | 'nfm_reply';
    button_reply?: { id: string; title: string };
    list_reply?: { id: string; title: string; description?: string };
    nfm_reply?: { name: string; body: string; response_json: string };
  };
  reaction?: { message_id: string; emoji?: string };
  order?: { catalog_id: string; text?: string; product_items: Array<{ product_retailer_id: string; quantity: number; item_price: number; currency: string }> };
  system?: { body: string; wa_id?: string; new_wa_id?: string; type: 'user_changed_number' | string };
  unsupported?: { type: string };
  errors?: WebhookError[];
}

export type DeliveryStatus = 'sent' | 'delivered' | 'read' | 'failed' | 'played';

export type PricingCategory =
  | 'authentication' | 'authentication-international' | 'marketing' | 'marketing_lite'
  | 'utility' | 'service' | 'referral_conversion';

export type PricingType = 'regular' | 'free_customer_service' | 'free_entry_point';

export interface WirePricing {
  billable: boolean;
  pricing_model: 'PMP' | 'CBP';
  type?: PricingType;
  category: PricingCategory;
}

export interface StatusUpdate {
  id: string;
  status: DeliveryStatus;
  timestamp: string;
  recipient_id: string;
  biz_opaque_callback_data?: string;
  conversation?: { id: string; expiration_timestamp?: string; origin: { type: string } };
  pricing?: WirePricing;
  errors?: WebhookError[];
}
