/**
 * A loopback SMTP server for tests: it parses every mail it takes with mailparser and keeps it,
 * and can be told to refuse the next recipient, the next DATA or the next login with a given
 * reply. Plain by default; `starttls` offers STARTTLS and `secure` speaks TLS from the first
 * byte, both with smtp-server's built-in self-signed localhost certificate.
 */
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from "smtp-server";

export interface ReceivedMail {
  /** Envelope sender (MAIL FROM). */
  mailFrom: string;
  /** Envelope recipients (RCPT TO). */
  rcptTo: string[];
  /** The address and display name of the From header. */
  from: string;
  fromName: string;
  subject: string;
  text: string;
  /** The HTML alternative, "" when the mail had none. */
  html: string;
  messageId: string;
  authUser: string | null;
  /** Whether the session was encrypted (implicit TLS or STARTTLS). */
  secure: boolean;
  /** Each header as it arrived (unfolded), by lower-case name; the last one when repeated. */
  headers: Record<string, string>;
}

export interface SmtpSinkOptions {
  /** When set, AUTH is required and only this user with `password` gets in. */
  user?: string;
  password?: string;
  starttls?: boolean;
  secure?: boolean;
  /** How long the server takes over each message before it answers: a slow or distant server. */
  dataDelayMs?: number;
}

interface Rejection {
  code: number;
  message: string;
}

export class SmtpSink {
  readonly mails: ReceivedMail[] = [];
  private dataDelayMs = 0;
  /** Every RCPT TO address the server was asked for, accepted or refused. */
  readonly recipientsAsked: string[] = [];
  readonly host = "127.0.0.1";
  private nextRecipientRejection: Rejection | null = null;
  private nextDataRejection: Rejection | null = null;
  private nextAuthRejection: Rejection | null = null;

  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
  ) {}

  static async start(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
    let sink: SmtpSink | null = null;
    const server = new SMTPServer({
      secure: options.secure ?? false,
      disabledCommands: options.starttls || options.secure ? [] : ["STARTTLS"],
      authOptional: options.user === undefined,
      allowInsecureAuth: true,
      logger: false,
      closeTimeout: 100,
      onAuth: (auth, _session, callback) => {
        const rejection = sink?.takeAuthRejection() ?? null;
        if (rejection) return callback(smtpError(rejection));
        if (auth.username !== options.user || auth.password !== options.password) {
          return callback(smtpError({ code: 535, message: "Authentication credentials invalid" }));
        }
        callback(null, { user: auth.username });
      },
      onRcptTo: (address, _session, callback) => {
        sink?.recipientsAsked.push(address.address);
        const rejection = sink?.takeRecipientRejection() ?? null;
        callback(rejection ? smtpError(rejection) : null);
      },
      onData: (stream, session, callback) => {
        if (!sink) return callback(new Error("sink not ready"));
        sink.receive(stream, session).then(
          () => callback(),
          (error: Error) => callback(error),
        );
      },
    });
    server.on("error", () => {}); // client disconnects in failure tests are expected
    const listening = server.listen(0, "127.0.0.1");
    await once(listening, "listening");
    sink = new SmtpSink(server, (listening.address() as AddressInfo).port);
    sink.dataDelayMs = options.dataDelayMs ?? 0;
    return sink;
  }

  rejectNextRecipient(code: number, message: string): void {
    this.nextRecipientRejection = { code, message };
  }

  rejectNextData(code: number, message: string): void {
    this.nextDataRejection = { code, message };
  }

  failNextAuth(code = 535, message = "5.7.8 Authentication credentials invalid"): void {
    this.nextAuthRejection = { code, message };
  }

  reset(): void {
    this.mails.length = 0;
    this.recipientsAsked.length = 0;
    this.nextRecipientRejection = this.nextDataRejection = this.nextAuthRejection = null;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async receive(stream: SMTPServerDataStream, session: SMTPServerSession): Promise<void> {
    const parsed = await simpleParser(stream);
    if (this.dataDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.dataDelayMs));
    const rejection = this.nextDataRejection;
    this.nextDataRejection = null;
    if (rejection) throw smtpError(rejection);
    const mailFrom = session.envelope.mailFrom;
    this.mails.push({
      mailFrom: mailFrom ? mailFrom.address : "",
      rcptTo: session.envelope.rcptTo.map((rcpt) => rcpt.address),
      from: parsed.from?.value[0]?.address ?? "",
      fromName: parsed.from?.value[0]?.name ?? "",
      subject: parsed.subject ?? "",
      text: parsed.text ?? "",
      html: typeof parsed.html === "string" ? parsed.html : "",
      messageId: parsed.messageId ?? "",
      authUser: typeof session.user === "string" ? session.user : null,
      secure: session.secure,
      headers: Object.fromEntries(
        parsed.headerLines.map(({ key, line }) => [
          key,
          line
            .slice(line.indexOf(":") + 1)
            .replace(/\r?\n[ \t]+/g, " ")
            .trim(),
        ]),
      ),
    });
  }

  private takeRecipientRejection(): Rejection | null {
    const rejection = this.nextRecipientRejection;
    this.nextRecipientRejection = null;
    return rejection;
  }

  private takeAuthRejection(): Rejection | null {
    const rejection = this.nextAuthRejection;
    this.nextAuthRejection = null;
    return rejection;
  }
}

function smtpError({ code, message }: Rejection): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode: code });
}
