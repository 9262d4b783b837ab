/**
 * A loopback stand-in for SMS.ru's HTTP API (POST /sms/send, one number as `to` or several as
 * `multi[number]=text`, and /sms/status, with json=1). It
 * records each request (the form fields, the query string, so tests can check nothing secret went
 * into the URL) and answers with scripted replies shaped like SMS.ru's documented ones, or by
 * default with success. /sms/status answers for every sms_id asked about, as SMS.ru documents:
 * the status scripted for it with `setReceipt` (delivered, each not-delivered code), 102 (in
 * transit, "nothing yet") for a message it accepted and nobody scripted, -1 for an id it never gave.
 */
import type { IncomingMessage } from "node:http";
import { SMS_RU_RECEIPT_TEXTS } from "../../src/channels/sms-ru/sms-ru-receipt-codes.js";
import { type FakeReply, ScriptedHttpServer } from "./scripted-http-server.js";

export type { FakeReply } from "./scripted-http-server.js";

export interface SmsRuRequest {
  method: string;
  path: string;
  /** The raw query string ("" when there is none). */
  query: string;
  contentType: string | undefined;
  fields: Record<string, string>;
}

/** status_text of /sms/send codes as SMS.ru's code table gives them. */
export const SMS_RU_STATUS_TEXTS: Record<number, string> = {
  100: "Сообщение принято к отправке",
  200: "Неправильный api_id",
  201: "Не хватает средств на лицевом счету",
  202: "Неправильно указан номер телефона получателя, либо на него нет маршрута",
  203: "Нет текста сообщения",
  204: "Имя отправителя не согласовано с администрацией",
  205: "Сообщение слишком длинное (превышает 8 СМС)",
  206: "Будет превышен или уже превышен дневной лимит на отправку сообщений",
  207: "На этот номер нет маршрута для доставки сообщений",
  208: "Параметр time указан неправильно",
  209: "Вы добавили этот номер (или один из номеров) в стоп-лист",
  210: "Используется GET, где необходимо использовать POST",
  211: "Метод не найден",
  212: "Текст сообщения необходимо передать в кодировке UTF-8 (вы передали в другой кодировке)",
  213: "Указано более 100 номеров в списке получателей",
  214: 'Номер находится зарубежом (включена настройка "Отправлять только на номера РФ")',
  215: "Этот номер находится в стоп-листе SMS.RU (от получателя поступала жалоба на спам)",
  216: "В тексте сообщения содержится запрещенное слово",
  217: 'В тексте сообщения содержится реклама кредита, но нет фразы "Оцените свои финансовые возможности и риски"',
  220: "Сервис временно недоступен, попробуйте чуть позже",
  230: "Превышен общий лимит количества сообщений на этот номер в день",
  231: "Превышен лимит одинаковых сообщений на этот номер в минуту",
  232: "Превышен лимит одинаковых сообщений на этот номер в день",
  233: 'Превышен лимит отправки повторных сообщений с кодом на этот номер за короткий промежуток времени ("защита от мошенников", можно отключить в разделе "Настройки")',
  300: "Неправильный token (возможно истек срок действия, либо ваш IP изменился)",
  301: "Неправильный api_id, либо логин/пароль",
  302: "Пользователь авторизован, но аккаунт не подтвержден (пользователь не ввел код, присланный в регистрационной смс)",
  500: "Ошибка на сервере. Повторите запрос.",
  501: "Превышен лимит: IP пользователя из сети TOR, слишком много таких сообщений за короткий промежуток времени (можно настроить в ЛК).",
  502: "Превышен лимит: IP пользователя не совпадает с его страной, слишком много таких сообщений за короткий промежуток времени (можно настроить в ЛК).",
  503: "Превышен лимит: Слишком много сообщений в эту страну за короткий промежуток времени (можно настроить в ЛК).",
  504: "Превышен лимит: Слишком много кодов авторизаций зарубеж за короткий промежуток времени (можно настроить в ЛК).",
  505: "Превышен лимит: Слишком много сообщений на один IP адрес (можно настроить в ЛК).",
  506: "Подсеть IP адреса пользователя заблокирована, так как используется для атак.",
  507: "IP адрес пользователя указан неверно, либо идет из частный подсети (192.*, 10.*, итд).",
  508: "Превышен лимит: Превышено количество допустимых звонков за 5 минут",
};

export function smsRuStatusText(code: number): string {
  return SMS_RU_STATUS_TEXTS[code] ?? `Код ${code}`;
}

/** Replies as SMS.ru gives them, by status_code. */
export const smsRuReplies = {
  sent(number: string, smsId = "000000-10000000", balance = 4122.56): FakeReply {
    return {
      body: {
        status: "OK",
        status_code: 100,
        sms: { [number]: { status: "OK", status_code: 100, sms_id: smsId } },
        balance,
      },
    };
  },
  /** The whole request refused (auth, money, sender...): no `sms` map at all. */
  requestError(code: number): FakeReply {
    return { body: { status: "ERROR", status_code: code, status_text: smsRuStatusText(code) } };
  },
  /** The request went through but this number's entry failed. */
  numberError(number: string, code: number, balance = 4122.56): FakeReply {
    return {
      body: {
        status: "OK",
        status_code: 100,
        sms: { [number]: { status: "ERROR", status_code: code, status_text: smsRuStatusText(code) } },
        balance,
      },
    };
  },
};

export class FakeSmsRu {
  /** Requests to /sms/send (and any other path but /sms/status). */
  readonly requests: SmsRuRequest[] = [];
  /**
   * Every message the requests to /sms/send carried, in order: one per `to` request, one per
   * `multi[number]` field of a request for several numbers (messages sent together share a call).
   */
  get messages(): { number: string; text: string; request: SmsRuRequest }[] {
    return this.requests.flatMap((request) =>
      Object.entries(FakeSmsRu.messagesOf(request)).map(([number, text]) => ({ number, text, request })),
    );
  }

  /** Requests to /sms/status. */
  readonly statusRequests: SmsRuRequest[] = [];
  private replies: FakeReply[] = [];
  /** Chooses the reply to a /sms/send request by what it carries; undefined: the usual reply. */
  private chooseReply: ((messages: Record<string, string>) => FakeReply | undefined) | null = null;
  /** The sms_ids this fake gave out, with the status code each reports now. */
  private readonly receipts = new Map<string, number>();
  private nextSmsId = 1;
  private server!: ScriptedHttpServer;

  static async start(): Promise<FakeSmsRu> {
    const fake = new FakeSmsRu();
    fake.server = await ScriptedHttpServer.start((req, body) => fake.handle(req, body));
    return fake;
  }

  get url(): string {
    return this.server.url;
  }

  /** Queues replies for the next requests, in order; once they run out, requests succeed. */
  replyNext(...replies: FakeReply[]): void {
    this.replies.push(...replies);
  }

  /**
   * Replies to each /sms/send request as `choose` says from its messages (number → text), before
   * any queued reply; where it returns undefined, as usual. For outcomes that must not depend on
   * how the messages happen to be grouped into calls, or on their timing.
   */
  replyBy(choose: (messages: Record<string, string>) => FakeReply | undefined): void {
    this.chooseReply = choose;
  }

  /** What sms/status reports for `smsId` from now on (103 delivered, 104-108 or 150 not delivered). */
  setReceipt(smsId: string, statusCode: number): void {
    this.receipts.set(smsId, statusCode);
  }

  /** The sms_ids given out so far, oldest first. */
  get smsIds(): string[] {
    return [...this.receipts.keys()];
  }

  reset(): void {
    this.requests.length = 0;
    this.statusRequests.length = 0;
    this.replies = [];
    this.chooseReply = null;
    this.receipts.clear();
    this.nextSmsId = 1;
  }

  close(): Promise<void> {
    return this.server.close();
  }

  private handle(req: IncomingMessage, body: string) {
    const url = new URL(req.url ?? "/", this.url);
    const fields = Object.fromEntries(new URLSearchParams(body));
    const request = {
      method: req.method ?? "",
      path: url.pathname,
      query: url.search.replace(/^\?/, ""),
      contentType: req.headers["content-type"],
      fields,
    };
    if (url.pathname === "/sms/status") {
      this.statusRequests.push(request);
      const reply = this.statusReply(fields);
      return { reply, fallback: () => reply };
    }
    this.requests.push(request);
    const fallback = () => this.sentReply(fields);
    const reply = this.chooseReply?.(FakeSmsRu.messagesOf(request)) ?? this.replies.shift() ?? fallback();
    this.rememberSmsIds(reply);
    return { reply, fallback };
  }

  /**
   * Success for every number of the request: `to` (one number, as SMS.ru also accepts a
   * comma-separated list) or each `multi[number]` field, with a fresh sms_id each.
   */
  private sentReply(fields: Record<string, string>): FakeReply {
    const numbers =
      fields.to !== undefined
        ? fields.to.split(",")
        : Object.keys(fields).flatMap((key) => /^multi\[(.+)\]$/.exec(key)?.[1] ?? []);
    const sms = Object.fromEntries(
      numbers.map((number) => [
        number,
        { status: "OK", status_code: 100, sms_id: `000000-${String(this.nextSmsId++).padStart(8, "0")}` },
      ]),
    );
    return { body: { status: "OK", status_code: 100, sms, balance: 4122.56 } };
  }

  /** The messages of a recorded /sms/send request as number → text, whichever form it took. */
  static messagesOf(request: SmsRuRequest): Record<string, string> {
    const { fields } = request;
    if (fields.to !== undefined) return { [fields.to]: fields.msg ?? "" };
    return Object.fromEntries(
      Object.entries(fields).flatMap(([key, text]) => {
        const number = /^multi\[(.+)\]$/.exec(key)?.[1];
        return number ? [[number, text]] : [];
      }),
    );
  }

  private rememberSmsIds(reply: FakeReply): void {
    if (!("body" in reply)) return;
    const sms = (reply.body as { sms?: Record<string, { sms_id?: string }> }).sms ?? {};
    for (const entry of Object.values(sms)) {
      if (entry.sms_id && !this.receipts.has(entry.sms_id)) this.receipts.set(entry.sms_id, 102);
    }
  }

  /** SMS.ru's reply to /sms/status?json=1 for the comma-separated sms_id list. */
  private statusReply(fields: Record<string, string>): FakeReply {
    if (!fields.api_id) return smsRuReplies.requestError(200);
    const sms: Record<string, unknown> = {};
    for (const smsId of (fields.sms_id ?? "").split(",").filter(Boolean)) {
      const code = this.receipts.get(smsId);
      sms[smsId] =
        code === undefined
          ? { status: "ERROR", status_code: -1, status_text: SMS_RU_RECEIPT_TEXTS[-1] }
          : { status: "OK", status_code: code, cost: 0.5, status_text: SMS_RU_RECEIPT_TEXTS[code] };
    }
    return { body: { status: "OK", status_code: 100, sms, balance: 4122.06 } };
  }
}
