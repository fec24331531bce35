import { describe, expect, it } from 'vitest';
import { inboundMessageTime } from './inbound-message.js';
import { eventDedupeKey, parseWebhook, type InboundEvent, type InboundMessageEvent, type StatusEvent } from './inbound.js';
import {
  ACCOUNT_RESTRICTION, CAPABILITY, CAPABILITY_LEGACY, CUSTOMER, DISPLAY_NUMBER, INBOUND, PHONE_NUMBER_ID, PHONE_QUALITY,
  PHONE_QUALITY_LEGACY, STATUS, TEMPLATE_CATEGORY, TEMPLATE_CATEGORY_IMPENDING, TEMPLATE_PAUSED, TEMPLATE_QUALITY,
  TEMPLATE_STATUS, USER_PREFERENCES, VALUE_ERRORS, VOLUME_TIER, WABA_ID, envelope, messagesValue, statusesValue,
} from './fixtures/webhooks.js';

function one(body: unknown): InboundEvent {
  const events = parseWebhook(body);
  expect(events).toHaveLength(1);
  return events[0]!;
}

function message(m: Record<string, unknown>, withContacts = true): InboundMessageEvent {
  const e = one(envelope('messages', messagesValue([m], withContacts)));
  if (e.kind !== 'message') throw new Error(`expected a message, got ${JSON.stringify(e)}`);
  return e;
}

describe('inbound messages: common fields', () => {
  it('reads inbox, contact, wamid and timestamp', () => {
    const e = message(INBOUND.text);
    expect(e).toMatchObject({
      kind: 'message', wabaId: WABA_ID, phoneNumberId: PHONE_NUMBER_ID, displayPhoneNumber: DISPLAY_NUMBER,
      wamid: 'wamid.TEXT', timestamp: 1_749_416_383_000, wireType: 'text',
      contact: { waId: CUSTOMER, profileName: 'Sheena Nelson', userId: null },
      replyToWamid: null, forwarded: false, frequentlyForwarded: false, referral: null, errors: [],
    });
    expect(e.content).toEqual({ type: 'text', body: 'Does it come in another color?' });
  });
});

describe('inbound messages: every type', () => {
  it.each<[string, Record<string, unknown>, unknown]>([
    ['image', INBOUND.image, {
      type: 'image', mediaId: '1003383421387256', mimeType: 'image/jpeg', sha256: 'G9V6fKx1Bt2JHz5wz4UzAs0xPp0X8j0v7Fh2r0hZ2Xk=',
      url: 'https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1003383421387256', caption: 'This one', filename: null, voice: false, animated: false,
    }],
    ['video', INBOUND.video, { type: 'video', mediaId: '1166846181421424', mimeType: 'video/mp4', sha256: 'AbC=', url: null, caption: null, filename: null, voice: false, animated: false }],
    ['voice note', INBOUND.voice, { type: 'audio', mediaId: '1003383421387257', mimeType: 'audio/ogg; codecs=opus', sha256: 'XyZ=', url: null, caption: null, filename: null, voice: true, animated: false }],
    ['document', INBOUND.document, { type: 'document', mediaId: '1003383421387258', mimeType: 'application/pdf', sha256: 'DoC=', url: null, caption: 'Invoice', filename: 'invoice-42.pdf', voice: false, animated: false }],
    ['animated sticker', INBOUND.sticker, { type: 'sticker', mediaId: '1003383421387259', mimeType: 'image/webp', sha256: 'StK=', url: null, caption: null, filename: null, voice: false, animated: true }],
    ['location', INBOUND.location, { type: 'location', latitude: 37.483307, longitude: -122.148981, name: 'Main Street Beach', address: '1 Hacker Way, Menlo Park, CA 94025', url: 'https://example.com' }],
    ['contacts', INBOUND.contacts, {
      type: 'contacts',
      contacts: [{
        name: { formattedName: 'Ann Lee', firstName: 'Ann', lastName: 'Lee' },
        phones: [{ phone: '+1 (650) 555-1234', type: 'CELL', waId: '16505551234' }],
        emails: [{ email: 'ann@example.com', type: 'WORK' }],
        urls: [{ url: 'https://www.luckyshrub.com', type: 'WORK' }],
        addresses: [{ street: '1 Hacker Way', city: 'Menlo Park', state: 'CA', zip: '94025', country: 'United States', countryCode: 'us', type: 'HOME' }],
        org: { company: 'Lucky Shrub', title: 'Manager' },
        birthday: '2012-08-18',
      }],
    }],
    ['reaction', INBOUND.reaction, { type: 'reaction', targetWamid: 'wamid.OURS', emoji: '😀' }],
    ['reaction removed', INBOUND.reactionRemoved, { type: 'reaction', targetWamid: 'wamid.OURS', emoji: null }],
    ['template quick-reply button', INBOUND.button, { type: 'button', payload: 'STOP_PROMOS', text: 'Stop promotions' }],
    ['button reply', INBOUND.buttonReply, { type: 'button_reply', id: 'yes', title: 'Yes' }],
    ['list reply', INBOUND.listReply, { type: 'list_reply', id: 'soup', title: 'Soup', description: 'Hot' }],
    ['flow reply', INBOUND.flowReply, { type: 'nfm_reply', name: 'flow', body: 'Sent', responseJson: '{"flow_token":"abc","size":"M"}', response: { flow_token: 'abc', size: 'M' } }],
    ['order', INBOUND.order, { type: 'order', catalogId: '194836987003835', text: 'Please ship fast', items: [{ productRetailerId: 'di9ozbzfi4', quantity: 2, itemPrice: 30, currency: 'USD' }] }],
    ['user changed number', INBOUND.system, { type: 'system', systemType: 'user_changed_number', body: 'User A changed from 16505551234 to 16505550000', newWaId: '16505550000' }],
    ['user changed number (legacy new_wa_id)', INBOUND.systemLegacy, { type: 'system', systemType: 'user_changed_number', body: 'changed', newWaId: '16505550001' }],
    ['unsupported (poll)', INBOUND.unsupported, { type: 'unsupported', unsupportedType: 'poll_creation', raw: INBOUND.unsupported }],
    ['unknown (legacy)', INBOUND.unknownLegacy, { type: 'unsupported', unsupportedType: null, raw: INBOUND.unknownLegacy }],
    ['a type Parley does not know yet', { ...INBOUND.text, type: 'edit', edit: {} }, { type: 'unsupported', unsupportedType: 'edit', raw: { ...INBOUND.text, type: 'edit', edit: {} } }],
    ['an interactive sub-type Parley does not know', { ...INBOUND.buttonReply, interactive: { type: 'call_permission_reply', call_permission_reply: { response: 'accept' } } },
      { type: 'unsupported', unsupportedType: 'interactive.call_permission_reply', raw: { type: 'call_permission_reply', call_permission_reply: { response: 'accept' } } }],
  ])('%s', (_label, m, content) => {
    expect(message(m).content).toEqual(content);
  });

  it('a flow reply whose response_json is not JSON keeps the text and a null response', () => {
    const m = { ...INBOUND.flowReply, interactive: { type: 'nfm_reply', nfm_reply: { name: 'flow', body: 'Sent', response_json: '{oops' } } };
    expect(message(m).content).toMatchObject({ responseJson: '{oops', response: null });
  });

  it('unsupported messages carry Meta\'s errors', () => {
    expect(message(INBOUND.unsupported).errors).toEqual([
      { code: 131051, title: 'Message type unknown', message: 'Message type unknown', details: 'Message type is currently not supported.' },
    ]);
    expect(message(INBOUND.unknownLegacy).errors[0]).toMatchObject({ code: 131051, title: 'Unsupported message type' });
  });

  it('system messages come without contacts[]: the sender is still the contact', () => {
    expect(message(INBOUND.system, false).contact).toEqual({ waId: CUSTOMER, profileName: null, userId: null });
  });
});

describe('inbound messages: context and referral', () => {
  it.each<[string, Record<string, unknown>, Partial<InboundMessageEvent>]>([
    ['quoted reply', INBOUND.quotedReply, { replyToWamid: 'wamid.OURS', replyToFrom: DISPLAY_NUMBER, forwarded: false }],
    ['button reply quotes the business message', INBOUND.buttonReply, { replyToWamid: 'wamid.BUTTONS' }],
    ['forwarded', INBOUND.forwarded, { replyToWamid: null, forwarded: true, frequentlyForwarded: false }],
    ['frequently forwarded implies forwarded', INBOUND.frequentlyForwarded, { forwarded: true, frequentlyForwarded: true }],
    ['product inquiry', INBOUND.productInquiry, { referredProduct: { catalogId: '194836987003835', productRetailerId: 'di9ozbzfi4' } }],
  ])('%s', (_label, m, expected) => {
    expect(message(m)).toMatchObject(expected);
  });

  it('click-to-WhatsApp referral with ctwa_clid is an entry point', () => {
    expect(message(INBOUND.referral).referral).toEqual({
      sourceUrl: 'https://fb.me/3cr4Wqqkv', sourceId: '120226305854810726', sourceType: 'ad', body: 'Summer sale', headline: 'Chat with us',
      mediaType: 'image', imageUrl: 'https://scontent.xx.fbcdn.net/img.jpg', videoUrl: null, thumbnailUrl: null,
      ctwaClid: INBOUND.referral.referral.ctwa_clid, welcomeMessage: 'Hi there! Let us know how we can help.', isEntryPoint: true,
    });
  });
});

describe('statuses', () => {
  function status(s: Record<string, unknown>): StatusEvent {
    const e = one(envelope('messages', statusesValue([s])));
    if (e.kind !== 'status') throw new Error(`expected a status, got ${JSON.stringify(e)}`);
    return e;
  }

  it('sent with PMP pricing and our callback data', () => {
    expect(status(STATUS.sent)).toEqual({
      kind: 'status', wabaId: WABA_ID, phoneNumberId: PHONE_NUMBER_ID, displayPhoneNumber: DISPLAY_NUMBER,
      wamid: 'wamid.OURS', status: 'sent', timestamp: 1_750_263_773_000, recipientId: CUSTOMER, bizOpaqueCallbackData: 'msg_01J',
      pricing: { category: 'marketing', type: 'regular', billable: true, pricingModel: 'PMP' }, conversation: null, errors: [],
    });
  });

  it.each<[string, Record<string, unknown>, Partial<StatusEvent>]>([
    ['free utility in CSW', STATUS.deliveredFree, { status: 'delivered', pricing: { category: 'utility', type: 'free_customer_service', billable: false, pricingModel: 'PMP' } }],
    ['read inside an FEP carries the conversation', STATUS.readFep, { status: 'read', pricing: null, conversation: { id: 'CONVERSATION_ID', expiresAt: 1_750_522_990_000, originType: 'referral_conversion' } }],
    ['CBP pricing has no type', STATUS.cbp, { pricing: { category: 'service', type: null, billable: true, pricingModel: 'CBP' } }],
    ['failed with its reason', STATUS.failed, {
      status: 'failed', bizOpaqueCallbackData: 'msg_02K',
      errors: [{ code: 131049, title: 'This message was not delivered to maintain healthy ecosystem engagement.', message: 'This message was not delivered to maintain healthy ecosystem engagement.', details: 'In order to maintain a healthy ecosystem engagement, the message failed to be delivered.' }],
    }],
  ])('%s', (_label, s, expected) => {
    expect(status(s)).toMatchObject(expected);
  });

  it('several statuses in one webhook come out in order', () => {
    const events = parseWebhook(envelope('messages', statusesValue([STATUS.sent, STATUS.deliveredFree, STATUS.readFep])));
    expect(events.map((e) => (e.kind === 'status' ? e.status : e.kind))).toEqual(['sent', 'delivered', 'read']);
  });
});

describe('management fields', () => {
  const TIME = 1_751_000_000;
  it.each<[string, string, Record<string, unknown>, Record<string, unknown>]>([
    ['template rejected', 'message_template_status_update', TEMPLATE_STATUS, {
      kind: 'template_status', wabaId: WABA_ID, timestamp: TIME * 1000, templateId: '1689556908129832', name: 'order_confirmation', language: 'en-US',
      event: 'REJECTED', reason: 'INVALID_FORMAT', category: 'UTILITY', otherInfo: null, disableDate: null,
      rejectionInfo: { reason: 'parameters placed next to each other', recommendation: 'Add text between the parameters.' },
    }],
    ['template paused', 'message_template_status_update', TEMPLATE_PAUSED, {
      kind: 'template_status', event: 'PAUSED', otherInfo: { title: 'FIRST_PAUSE', description: 'Your template has been paused for 3 hours.' },
    }],
    ['template quality', 'message_template_quality_update', TEMPLATE_QUALITY, {
      kind: 'template_quality', templateId: '806312974732579', name: 'welcome_template', previousScore: 'GREEN', newScore: 'YELLOW',
    }],
    ['template category changed', 'template_category_update', TEMPLATE_CATEGORY, {
      kind: 'template_category', templateId: '278077987965514', previousCategory: 'UTILITY', newCategory: 'MARKETING', correctCategory: null, categoryUpdateAt: null,
    }],
    ['template category impending', 'template_category_update', TEMPLATE_CATEGORY_IMPENDING, {
      kind: 'template_category', newCategory: 'UTILITY', correctCategory: 'MARKETING', categoryUpdateAt: 1_751_328_000_000,
    }],
    ['phone throughput upgrade', 'phone_number_quality_update', PHONE_QUALITY, {
      kind: 'phone_quality', displayPhoneNumber: DISPLAY_NUMBER, event: 'THROUGHPUT_UPGRADE', currentLimit: 'TIER_100K', oldLimit: null,
    }],
    ['phone upgrade (legacy)', 'phone_number_quality_update', PHONE_QUALITY_LEGACY, { kind: 'phone_quality', event: 'UPGRADE', currentLimit: 'TIER_10K', oldLimit: 'TIER_1K' }],
    ['capability 2000', 'business_capability_update', CAPABILITY, { kind: 'capability', messagingLimit: 'TIER_2K', maxPhoneNumbersPerBusiness: 20, maxPhoneNumbersPerWaba: null }],
    ['capability unlimited (legacy per phone)', 'business_capability_update', CAPABILITY_LEGACY, { kind: 'capability', messagingLimit: 'TIER_UNLIMITED', maxPhoneNumbersPerWaba: 25 }],
    ['account restriction', 'account_update', ACCOUNT_RESTRICTION, {
      kind: 'account_update', event: 'ACCOUNT_RESTRICTION', phoneNumber: DISPLAY_NUMBER,
      restrictions: [{ type: 'RESTRICTED_BIZ_INITIATED_MESSAGING', expiresAt: 1_752_000_000_000 }], volumeTier: null,
    }],
    ['volume tier update', 'account_update', VOLUME_TIER, {
      kind: 'account_update', event: 'VOLUME_BASED_PRICING_TIER_UPDATE', restrictions: [],
      volumeTier: { tier: '25000001:50000000', category: 'UTILITY', effectiveMonth: '2025-11', region: 'India' },
    }],
  ])('%s', (_label, field, value, expected) => {
    expect(one(envelope(field, value, TIME))).toMatchObject(expected);
  });

  it('user preferences: one event per stop/resume', () => {
    const events = parseWebhook(envelope('user_preferences', USER_PREFERENCES));
    expect(events).toEqual([
      { kind: 'user_preference', wabaId: WABA_ID, phoneNumberId: PHONE_NUMBER_ID, displayPhoneNumber: DISPLAY_NUMBER, waId: CUSTOMER, category: 'marketing_messages', value: 'stop', detail: 'User requested to stop marketing messages', timestamp: 1_731_705_721_000 },
      { kind: 'user_preference', wabaId: WABA_ID, phoneNumberId: PHONE_NUMBER_ID, displayPhoneNumber: DISPLAY_NUMBER, waId: '16505550000', category: 'marketing_messages', value: 'resume', detail: 'User requested to resume marketing messages', timestamp: 1_731_705_800_000 },
    ]);
  });

  it('value.errors becomes an error event', () => {
    expect(one(envelope('messages', VALUE_ERRORS))).toEqual({
      kind: 'error', wabaId: WABA_ID, phoneNumberId: PHONE_NUMBER_ID, displayPhoneNumber: DISPLAY_NUMBER,
      errors: [{ code: 131000, title: 'Something went wrong', message: 'Something went wrong', details: 'Unknown error' }],
    });
  });

  it('an unhandled field is reported, not dropped', () => {
    expect(one(envelope('account_alerts', { alert_type: 'X' }))).toEqual({ kind: 'unhandled', wabaId: WABA_ID, field: 'account_alerts' });
  });
});

describe('malformed input never throws', () => {
  it.each<[string, unknown, string]>([
    ['null', null, 'body is not a JSON object'],
    ['array', [], 'body is not a JSON object'],
    ['string', 'hello', 'body is not a JSON object'],
    ['wrong object', { object: 'page', entry: [] }, 'object is "page", not "whatsapp_business_account"'],
    ['entry not an array', { object: 'whatsapp_business_account', entry: {} }, 'entry is not an array'],
    ['entry item not an object', { object: 'whatsapp_business_account', entry: [5] }, 'not an object'],
    ['changes missing', { object: 'whatsapp_business_account', entry: [{ id: '1' }] }, 'changes is not an array'],
    ['change without field', { object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ value: {} }] }] }, 'change.field is missing or has the wrong type'],
    ['change without value', { object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field: 'messages' }] }] }, 'change.value is missing or not an object'],
    ['messages without metadata', envelope('messages', { messages: [INBOUND.text] }), 'metadata.phone_number_id is missing'],
    ['message without id', envelope('messages', messagesValue([{ ...INBOUND.text, id: undefined }])), 'message.id is missing or has the wrong type'],
    ['message with a bad timestamp', envelope('messages', messagesValue([{ ...INBOUND.text, timestamp: 'soon' }])), 'message.timestamp is missing or has the wrong type'],
    ['text without text', envelope('messages', messagesValue([{ ...INBOUND.text, text: 'hi' }])), 'message.text is missing or has the wrong type'],
    ['image without id', envelope('messages', messagesValue([{ ...INBOUND.image, image: { mime_type: 'image/jpeg' } }])), 'image.id is missing or has the wrong type'],
    ['location without latitude', envelope('messages', messagesValue([{ ...INBOUND.location, location: { longitude: 1 } }])), 'location.latitude is missing or has the wrong type'],
    ['reaction without target', envelope('messages', messagesValue([{ ...INBOUND.reaction, reaction: { emoji: 'x' } }])), 'reaction.message_id is missing or has the wrong type'],
    ['unknown status value', envelope('messages', statusesValue([{ ...STATUS.sent, status: 'deleted' }])), 'unknown status "deleted"'],
    ['status without recipient', envelope('messages', statusesValue([{ ...STATUS.sent, recipient_id: null }])), 'status.recipient_id is missing or has the wrong type'],
    ['pricing without category', envelope('messages', statusesValue([{ ...STATUS.sent, pricing: { billable: true } }])), 'pricing.category is missing or has the wrong type'],
    ['template status without id', envelope('message_template_status_update', { event: 'APPROVED' }), 'message_template_id is missing or has the wrong type'],
    ['account update without event', envelope('account_update', {}), 'event is missing or has the wrong type'],
    ['bad user preference', envelope('user_preferences', { ...USER_PREFERENCES, user_preferences: [{ wa_id: '1', value: 'maybe' }] }), 'unknown preference value "maybe"'],
  ])('%s', (_label, body, reason) => {
    const events = parseWebhook(body);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'malformed', reason });
  });

  it('one bad message does not hide the good ones next to it', () => {
    const events = parseWebhook(envelope('messages', messagesValue([INBOUND.text, 'garbage' as unknown as Record<string, unknown>, INBOUND.image])));
    expect(events.map((e) => e.kind)).toEqual(['message', 'malformed', 'message']);
    expect(events[1]).toEqual({ kind: 'malformed', reason: 'not an object', path: '$.entry[0].changes[0].value.messages[1]' });
  });

  it('parses several entries and changes', () => {
    const body = {
      object: 'whatsapp_business_account',
      entry: [
        { id: 'A', changes: [{ field: 'messages', value: messagesValue([INBOUND.text]) }, { field: 'messages', value: statusesValue([STATUS.sent]) }] },
        { id: 'B', time: 1, changes: [{ field: 'business_capability_update', value: CAPABILITY }] },
      ],
    };
    expect(parseWebhook(body).map((e) => [e.kind, 'wabaId' in e ? e.wabaId : null])).toEqual([['message', 'A'], ['status', 'A'], ['capability', 'B']]);
  });
});

describe('eventDedupeKey', () => {
  it('keys messages by wamid and statuses by wamid + status', () => {
    const [m] = parseWebhook(envelope('messages', messagesValue([INBOUND.text])));
    const [s] = parseWebhook(envelope('messages', statusesValue([STATUS.sent])));
    expect(eventDedupeKey(m!)).toBe('message:wamid.TEXT');
    expect(eventDedupeKey(s!)).toBe('status:wamid.OURS:sent');
    expect(eventDedupeKey({ kind: 'malformed', reason: 'x', path: '$' })).toBeNull();
  });
});

describe('inboundMessageTime', () => {
  const second = 1_749_416_383_000;
  it('refines Meta\'s whole second with the time received within it', () => {
    expect(inboundMessageTime(second, second + 557)).toBe(second + 557);
  });
  it('stays within Meta\'s second for a webhook received seconds later, and never goes before it', () => {
    expect(inboundMessageTime(second, second + 42_000)).toBe(second + 999);
    expect(inboundMessageTime(second, second - 3_000)).toBe(second);
  });
});
