import type { LostAlert } from '../../outbox/alert-repository.js';

/** Why an alert did not reach its manager, in a manager's words (Meta's codes: ../shared/whatsapp-cloud-api.md). */
export function lostAlertReason(a: Pick<LostAlert, 'errorCode'> & { sentAsTemplate: boolean }): string {
  switch (a.errorCode) {
    case 131047:
      return 'This manager had not written to the business number in the last 24 hours, and no approved alert template is set up to reach them.';
    case 131026:
      return 'WhatsApp could not deliver it to this number (it may not use WhatsApp, or its app is too old).';
    case 130429:
    case 131056:
      return 'WhatsApp kept refusing it as too many messages at once, for a whole day.';
    case 190:
      return 'The connection to WhatsApp has expired; your IT team needs to renew it.';
    default:
      return a.sentAsTemplate
        ? `WhatsApp refused the alert template${a.errorCode === null ? '' : ` (error ${a.errorCode})`}; your IT team has the details.`
        : `WhatsApp refused it${a.errorCode === null ? '' : ` (error ${a.errorCode})`}; your IT team has the details.`;
  }
}
