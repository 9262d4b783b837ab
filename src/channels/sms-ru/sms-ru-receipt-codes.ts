/**
 * What each status_code of SMS.ru's /sms/status means, from the code table of SMS.ru's status
 * documentation (https://sms.ru/api/status): -1 message not found; 100 in SMS.ru's queue; 101
 * being passed to the operator; 102 sent (in transit); 103 delivered; 104-108 cannot be
 * delivered: lifetime expired, deleted by the operator, phone failure, unknown reason, rejected;
 * 110 read (Viber); 150 cannot be delivered: no route to the number. Codes not listed are taken as
 * not final, so a new code never ends a delivery on a guess: the message stays accepted until a
 * known code comes or SMS_RECEIPT_MAX_AGE_SECONDS makes it unknown.
 */
import type { ReceiptReport } from "../channel.js";

export const SMS_RU_RECEIPT_TEXTS: Record<number, string> = {
  [-1]: "Сообщение не найдено",
  100: "Сообщение находится в нашей очереди",
  101: "Сообщение передается оператору",
  102: "Сообщение отправлено (в пути)",
  103: "Сообщение доставлено",
  104: "Не может быть доставлено: время жизни истекло",
  105: "Не может быть доставлено: удалено оператором",
  106: "Не может быть доставлено: сбой в телефоне",
  107: "Не может быть доставлено: неизвестная причина",
  108: "Не может быть доставлено: отклонено",
  110: "Сообщение прочитано",
  150: "Не может быть доставлено: не найден маршрут на данный номер",
};

export const SMS_RU_DELIVERED = 103;
/** Each "cannot be delivered" code. */
export const SMS_RU_UNDELIVERED_CODES = [104, 105, 106, 107, 108, 150] as const;

export function receiptStateOf(statusCode: number): ReceiptReport["state"] {
  if (statusCode === SMS_RU_DELIVERED || statusCode === 110) return "delivered";
  if ((SMS_RU_UNDELIVERED_CODES as readonly number[]).includes(statusCode)) return "undelivered";
  return "in_transit";
}
