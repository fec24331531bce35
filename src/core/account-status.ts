// What an account_update webhook means for a number's sending status. A ban disables the WABA's
// numbers; a reinstatement gives them back; a scheduled ban changes nothing yet.
// https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/account_update

/** The number status to record after the update, or null to leave it as it is. */
export function statusAfterAccountUpdate(event: string, banState: string | null): 'BANNED' | 'CONNECTED' | null {
  if (event !== 'DISABLED_UPDATE') return null;
  switch (banState) {
    case 'DISABLE': return 'BANNED';
    case 'REINSTATE': return 'CONNECTED';
    default: return null; // SCHEDULE_FOR_DISABLE or unknown: still sending until Meta acts
  }
}
