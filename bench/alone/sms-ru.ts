/**
 * The bench's loopback SMS.ru on a fixed port, for bench/alone/worker.sh: every send succeeds at
 * once, as in `npm run bench`.
 */
import { Receipts } from "../providers/receipts.js";
import { createSmsRuServer } from "../providers/sms-ru-server.js";

const server = createSmsRuServer(new Receipts());
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.ALONE_SMS_PORT ?? 3997), "127.0.0.1");
