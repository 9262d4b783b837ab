// Generated from openapi.json by `npm run openapi:write` (openapi-typescript); do not edit.
export interface paths {
    "/api/users/bulk/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create or update many recipients at once
         * @description Up to 1000 users, each as POST /api/users/ takes one but with the password optional, in one transaction: all of them or none. A problem with any item is a 400 naming it as users.<index>.<field>. An email already taken is such a problem, unless update_existing is true: then that user's given fields change as PATCH /api/users/{id}/ would change them. Answers 201 when it created any user, 200 when it only updated. Repeating an import with update_existing is safe.
         */
        post: operations["importUsers"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/users/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List or find recipients, newest first
         * @description With email, phone_number or telegram_id, only the users who have that contact: how a backend finds the id of a user it created before. A contact that could not be stored is a 400 naming it.
         */
        get: operations["listUsers"];
        put?: never;
        /** Create a recipient */
        post: operations["createUser"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/users/{id}/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a recipient */
        get: operations["getUser"];
        put?: never;
        post?: never;
        /**
         * Erase a recipient and their notifications
         * @description Deletes the user with their notifications, attempts, outbox entries and preferences, for good. Pending notifications are never sent; a provider call already under way cannot be called back. Suppressed addresses stay suppressed (DELETE /api/suppressions/{id}/ lifts one).
         */
        delete: operations["deleteUser"];
        options?: never;
        head?: never;
        /**
         * Change a recipient
         * @description Changes only the fields given (contacts, locale, timezone, quiet_hours); null clears an optional field. The password cannot be changed here. Notifications already scheduled keep their time.
         */
        patch: operations["updateUser"];
        trace?: never;
    };
    "/api/users/{id}/telegram-link/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Make a link that connects the user's Telegram chat
         * @description A t.me link that opens the bot with a single-use code, valid TELEGRAM_LINK_TTL_SECONDS. When the person presses Start, a worker sets the user's telegram_id to their chat and the bot answers with TELEGRAM_LINK_WELCOME. 409 when Telegram or connect links are not configured (TELEGRAM_BOT_TOKEN, TELEGRAM_LINKS=true); 503 when Telegram does not tell the bot's username (getMe).
         */
        post: operations["createTelegramLink"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/notifications/bulk/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create many notifications at once
         * @description Up to 500 notifications, each exactly as POST /api/notifications/ takes one, stored in one transaction: all of them or none. A problem with any item is a 400 naming it as notifications.<index>.<field> (an unknown user too), and nothing is stored. One Idempotency-Key covers the whole request: repeated, it answers the notifications it created the first time, as they stand now.
         */
        post: operations["createNotifications"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/notifications/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List notifications, newest first */
        get: operations["listNotifications"];
        put?: never;
        /**
         * Create a notification
         * @description Stores the notification and answers at once with status pending; a worker delivers it through the first channel that works. With an Idempotency-Key, a repeated request returns the first notification as it stands now instead of creating another. With `template` instead of `message` it is rendered now, per channel, in the user's locale. `send_at` and the user's quiet hours (unless `priority` is critical) make it wait: status stays pending and next_attempt_at says when. With `expires_at` or `ttl_seconds` it is never delivered after that time and ends with status expired instead (already at creation when it could only go after it).
         */
        post: operations["createNotification"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/notifications/{id}/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a notification with every delivery attempt */
        get: operations["getNotification"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/outbox/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** What the delivery sandbox sent instead of the real providers, newest first */
        get: operations["listOutbox"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/notifications/{id}/retry/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Retry a failed or cancelled notification now
         * @description Puts it back to pending and queues a new round at once. Past attempts stay; retry_count goes on counting. The new round starts a fresh series: channels that failed permanently before are tried again, and MAX_RETRIES counts from this round (history_from_round). 409 when it is pending, sent or expired, when it was delivered before it was cancelled, or while an attempt of its cancelled round is still under way.
         */
        post: operations["retryNotification"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/notifications/{id}/cancel/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel a pending notification
         * @description Status cancelled, no further rounds. A worker in the middle of a round makes no further provider call and cannot mark it sent or failed; a call already under way may still reach the recipient, and its attempt is recorded. 409 when it is already sent, failed, cancelled or expired.
         */
        post: operations["cancelNotification"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/notifications/events/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Live changes, as server-sent events
         * @description A text/event-stream that stays open. Each event's data is JSON: `created` and `updated` `{"type", "id", "status"}` when a notification is created, changes status or is scheduled for its next round, one per notification also when many change at once (a broadcast fanned out or cancelled, a stopping worker freeing what it held); `attempt` `{"type", "id", "channel", "status"}` when one of its attempts starts or ends, or a delivery receipt changes it (the status is then its delivery: `delivered`, `undelivered` or `unknown`, or `accepted` for an in-transit report with a new code); `user` `{"type", "id", "change"}` when a recipient is created, changed (profile, preferences, a Telegram chat connected through a connect link) or erased: `id` is the user's, `change` is `created`, `updated` or `erased`; contacts are never in an event, read the user for them; `suppression` `{"type", "id", "change"}` when a suppression is `created` (a provider proved an address dead, or the API or CLI added one) or `deleted` (removed, or lifted by a connect link): `id` is the suppression's, and no address is in the event; `ready` once the stream is live, and `resync` when changes may have been missed or were not told one by one (retention deleted old notifications): reload what you show. Ignore event types you do not know: new ones may come. Send the API key as a Bearer header (read the stream with fetch; EventSource cannot send headers).
         */
        get: operations["streamNotificationEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/channels/overview/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Per channel: configured or not, sent and failed in the last hour, last success, common failures
         * @description Channels in CHANNEL_ORDER first. Counts are of attempts finished in the last hour; common_failures groups each channel's last 100 failed attempts by reason (top 3). fallback_address is the address the channel uses for users without one of their own (Telegram's TELEGRAM_CHAT_ID) and its suppression: while suppressed, those users are skipped on the channel.
         */
        get: operations["getChannelOverview"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/templates/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List templates by key */
        get: operations["listTemplates"];
        put?: never;
        /**
         * Create a template
         * @description Each body is Liquid (liquidjs, strict). A syntax error or an unknown filter is a 400 naming the field and its line.
         */
        post: operations["createTemplate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/templates/{key}/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a template */
        get: operations["getTemplate"];
        /**
         * Replace a template
         * @description Replaces the whole template. Notifications already created from it keep the text they were rendered with.
         */
        put: operations["updateTemplate"];
        post?: never;
        /**
         * Delete a template
         * @description Notifications already created from it keep their rendered text.
         */
        delete: operations["deleteTemplate"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/templates/render/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Preview a template that is not saved
         * @description Checks and renders the template given in the body, with no side effect: what the dashboard's editor shows while you type. Syntax errors come back per field with their line, as saving would answer; render errors as creating a notification would.
         */
        post: operations["renderTemplateDraft"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/templates/{key}/render/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Preview a template's rendering
         * @description Renders as creating a notification would, with no side effect: the bodies, or the same 400 creation would answer.
         */
        post: operations["renderTemplate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhooks/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List webhook endpoints, oldest first */
        get: operations["listWebhooks"];
        put?: never;
        /**
         * Register a webhook endpoint
         * @description Returns the endpoint with its signing secret, shown this once. Events reach it from within 5 seconds (each process re-reads the subscriptions that often).
         */
        post: operations["createWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhooks/{id}/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a webhook endpoint (without its secret) */
        get: operations["getWebhook"];
        put?: never;
        post?: never;
        /** Delete a webhook endpoint and its deliveries */
        delete: operations["deleteWebhook"];
        options?: never;
        head?: never;
        /**
         * Change a webhook endpoint
         * @description Only the fields given change. enabled: true re-enables an endpoint the service disabled.
         */
        patch: operations["updateWebhook"];
        trace?: never;
    };
    "/api/webhooks/{id}/rotate-secret/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Issue a new signing secret
         * @description Returns the new secret, shown this once. For 24 hours the previous secret signs too (two signatures in webhook-signature), so receivers can switch without losing events.
         */
        post: operations["rotateWebhookSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhooks/{id}/deliveries/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The endpoint's deliveries, newest first, each with its attempts */
        get: operations["listWebhookDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhooks/{id}/deliveries/{delivery_id}/replay/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a delivery again now
         * @description Pending again, due now, with a fresh retry schedule and the same webhook-id (receivers deduplicate on it). 404 while it is being sent; 409 when the endpoint is disabled.
         */
        post: operations["replayWebhookDelivery"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhooks/{id}/test/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a webhook.test event to this endpoint
         * @description To this endpoint only, whatever it subscribes to; signed and retried like any event.
         */
        post: operations["testWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/broadcasts/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List broadcasts, newest first */
        get: operations["listBroadcasts"];
        put?: never;
        /**
         * Send one message to many users
         * @description Stores the broadcast and its audience and answers 202 at once with status pending; the workers then create one notification per recipient in batches (each delivered like any notification). With `template` it is rendered per recipient in their locale, and checked now against the first recipient in every locale of the template, so a template that cannot render is a 400. Unknown ids are skipped and named in unknown_users. An Idempotency-Key works as for notifications.
         */
        post: operations["createBroadcast"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/broadcasts/{id}/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a broadcast: its progress and its notifications' counts by status
         * @description List its notifications with GET /api/notifications/?broadcast={id} (and &status=failed for the failed ones).
         */
        get: operations["getBroadcast"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/broadcasts/{id}/cancel/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel a broadcast
         * @description Stops the fan-out (a batch in progress finishes first) and cancels its notifications still pending; those already sent or failed stay. Cancelling again is harmless. 409 when the broadcast is done and none of its notifications is pending any more: nothing is left to cancel, and it stays done.
         */
        post: operations["cancelBroadcast"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/users/{id}/preferences/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a user's channel preferences */
        get: operations["getPreferences"];
        /**
         * Replace a user's channel preferences
         * @description Replaces the whole document: what is left out is allowed again. Applies to notifications delivered from now on, including those already pending.
         */
        put: operations["replacePreferences"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/suppressions/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List suppressed addresses, newest first */
        get: operations["listSuppressions"];
        put?: never;
        /**
         * Suppress an address by hand
         * @description Nothing is sent to the address on that channel, for any user who has it, until the suppression is removed. 409 when it is suppressed already.
         */
        post: operations["addSuppression"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/suppressions/{id}/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Remove a suppression
         * @description For an address that works again (the user unblocked the bot, fixed the mailbox): deliveries to it resume. Answers the removed suppression.
         */
        delete: operations["removeSuppression"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/u/{token}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The unsubscribe page of an email's link (changes nothing)
         * @description Shows a button that POSTs to the same address. A GET never unsubscribes: link scanners follow links in mail. No API key.
         */
        get: operations["unsubscribePage"];
        put?: never;
        /**
         * One-click unsubscribe (RFC 8058)
         * @description Turns the link's category off for email, for the link's user (a preference, which they can turn on again). Sent by mail providers with the body List-Unsubscribe=One-Click, and by the page's button. No API key, no cookie.
         */
        post: operations["unsubscribe"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/callbacks/sms-ru/{token}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * SMS.ru's delivery-status callback
         * @description Register {PUBLIC_URL}/callbacks/sms-ru/{SMS_RU_CALLBACK_TOKEN} in your SMS.ru account. Each sms_status entry is recorded as a receipt of the accepted SMS it names, as a poll's answer would be; entries for unknown messages are ignored. Answers the plain text 100 that SMS.ru expects. No API key: a wrong token, or none configured, answers 404.
         */
        post: operations["smsRuStatusCallback"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: never;
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    importUsers: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "users": [
                 *         {
                 *           "email": "bob@example.com",
                 *           "first_name": "Bob",
                 *           "phone_number": "+79990001122"
                 *         },
                 *         {
                 *           "email": "alice@example.com",
                 *           "telegram_id": "123456789",
                 *           "locale": "de"
                 *         }
                 *       ],
                 *       "update_existing": true
                 *     }
                 */
                "application/json": {
                    /** @description 1 to 1000 users, each as POST /api/users/ takes one (the password optional) */
                    users: {
                        /** @description Unique (case-insensitive) */
                        email: string;
                        /** @description Optional here: without one the user has no password. Stored only as a scrypt hash; an existing user's is left as it is */
                        password?: string;
                        first_name?: string;
                        last_name?: string;
                        /** @description Any common notation; stored in E.164, e.g. +79990001122 */
                        phone_number?: string | null;
                        /** @description Telegram chat id: digits, a leading minus for groups */
                        telegram_id?: string | number | null;
                        /**
                         * @description BCP 47 language tag templates render in (e.g. en, pt-BR); null: the template's default
                         * @example pt-BR
                         */
                        locale?: string | null;
                        /**
                         * @description IANA time zone (e.g. Europe/Berlin) for quiet hours; null: no quiet hours
                         * @example Europe/Berlin
                         */
                        timezone?: string | null;
                        quiet_hours?: {
                            /** @description HH:MM, 24-hour */
                            start: string;
                            /** @description HH:MM, 24-hour */
                            end: string;
                        } | null;
                    }[];
                    /**
                     * @description false: an email already taken fails the whole import. true: that user's given fields are changed as PATCH would; the others, and the password, stay
                     * @default false
                     */
                    update_existing?: boolean;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "results": [
                     *         {
                     *           "id": 1,
                     *           "email": "bob@example.com",
                     *           "first_name": "Bob",
                     *           "last_name": "",
                     *           "phone_number": "+79990001122",
                     *           "telegram_id": "123456789",
                     *           "locale": null,
                     *           "timezone": "Europe/Berlin",
                     *           "quiet_hours": {
                     *             "start": "22:00",
                     *             "end": "08:00"
                     *           }
                     *         }
                     *       ],
                     *       "created": 1,
                     *       "updated": 0
                     *     }
                     */
                    "application/json": {
                        /** @description Every user of the request, in its order, as stored now */
                        results: {
                            id: number;
                            email: string;
                            first_name: string;
                            last_name: string;
                            phone_number: string | null;
                            telegram_id: string | null;
                            locale: string | null;
                            timezone: string | null;
                            quiet_hours: {
                                /** @description HH:MM, 24-hour */
                                start: string;
                                /** @description HH:MM, 24-hour */
                                end: string;
                            } | null;
                        }[];
                        /** @description How many were created */
                        created: number;
                        /** @description How many existed and were updated (update_existing) */
                        updated: number;
                    };
                };
            };
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "results": [
                     *         {
                     *           "id": 1,
                     *           "email": "bob@example.com",
                     *           "first_name": "Bob",
                     *           "last_name": "",
                     *           "phone_number": "+79990001122",
                     *           "telegram_id": "123456789",
                     *           "locale": null,
                     *           "timezone": "Europe/Berlin",
                     *           "quiet_hours": {
                     *             "start": "22:00",
                     *             "end": "08:00"
                     *           }
                     *         }
                     *       ],
                     *       "created": 1,
                     *       "updated": 0
                     *     }
                     */
                    "application/json": {
                        /** @description Every user of the request, in its order, as stored now */
                        results: {
                            id: number;
                            email: string;
                            first_name: string;
                            last_name: string;
                            phone_number: string | null;
                            telegram_id: string | null;
                            locale: string | null;
                            timezone: string | null;
                            quiet_hours: {
                                /** @description HH:MM, 24-hour */
                                start: string;
                                /** @description HH:MM, 24-hour */
                                end: string;
                            } | null;
                        }[];
                        /** @description How many were created */
                        created: number;
                        /** @description How many existed and were updated (update_existing) */
                        updated: number;
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Invalid API key: it is unknown or has been revoked."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Over API_RATE_LIMIT_PER_MINUTE for this API key; the Retry-After header says when to retry */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Rate limit exceeded: at most 6000 requests a minute per API key; retry in 1 second."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
        };
    };
    listUsers: {
        parameters: {
            query?: {
                /** @description Only the user with this email, whatever its case */
                email?: string;
                /**
                 * @description Only users with this number, written any way POST /api/users/ accepts it
                 * @example +7 999 000-11-22
                 */
                phone_number?: string;
                /** @description Only users with this chat id */
                telegram_id?: string;
                /**
                 * @description Only those with a smaller id (older). Pass the last id of a page to read the next one: each page then costs the same however deep, and rows created meanwhile never repeat
                 * @example 1041
                 */
                before?: string;
                /** @description 1-based page number */
                page?: string;
                /** @description Default 50, at most 200 */
                page_size?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "count": 1,
                     *       "count_exact": true,
                     *       "next": null,
                     *       "previous": null,
                     *       "results": [
                     *         {
                     *           "id": 1,
                     *           "email": "bob@example.com",
                     *           "first_name": "Bob",
                     *           "last_name": "",
                     *           "phone_number": "+79990001122",
                     *           "telegram_id": "123456789",
                     *           "locale": null,
                     *           "timezone": "Europe/Berlin",
                     *           "quiet_hours": {
                     *             "start": "22:00",
                     *             "end": "08:00"
                     *           }
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": {
                        /** @description How many match: counted exactly up to 10,000, PostgreSQL's estimate beyond (count_exact false) */
                        count: number;
                        /** @description false when count is an estimate; next still says exactly whether another page exists */
                        count_exact: boolean;
                        next: string | null;
                        previous: string | null;
                        results: {
                            id: number;
                            email: string;
                            first_name: string;
                            last_name: string;
                            phone_number: string | null;
                            telegram_id: string | null;
                            locale: string | null;
                            timezone: string | null;
                            quiet_hours: {
                                /** @description HH:MM, 24-hour */
                                start: string;
                                /** @description HH:MM, 24-hour */
                                end: string;
                            } | null;
                        }[];
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Invalid API key: it is unknown or has been revoked."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Over API_RATE_LIMIT_PER_MINUTE for this API key; the Retry-After header says when to retry */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Rate limit exceeded: at most 6000 requests a minute per API key; retry in 1 second."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
        };
    };
    createUser: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "email": "bob@example.com",
                 *       "password": "correct horse",
                 *       "first_name": "Bob",
                 *       "phone_number": "+7 999 000-11-22",
                 *       "telegram_id": "123456789"
                 *     }
                 */
                "application/json": {
                    /** @description Unique (case-insensitive) */
                    email: string;
                    /** @description Stored only as a scrypt hash; never returned */
                    password: string;
                    first_name?: string;
                    last_name?: string;
                    /** @description Any common notation; stored in E.164, e.g. +79990001122 */
                    phone_number?: string | null;
                    /** @description Telegram chat id: digits, a leading minus for groups */
                    telegram_id?: string | number | null;
                    /**
                     * @description BCP 47 language tag templates render in (e.g. en, pt-BR); null: the template's default
                     * @example pt-BR
                     */
                    locale?: string | null;
                    /**
                     * @description IANA time zone (e.g. Europe/Berlin) for quiet hours; null: no quiet hours
                     * @example Europe/Berlin
                     */
                    timezone?: string | null;
                    quiet_hours?: {
                        /** @description HH:MM, 24-hour */
                        start: string;
                        /** @description HH:MM, 24-hour */
                        end: string;
                    } | null;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": 1,
                     *       "email": "bob@example.com",
                     *       "first_name": "Bob",
                     *       "last_name": "",
                     *       "phone_number": "+79990001122",
                     *       "telegram_id": "123456789",
                     *       "locale": null,
                     *       "timezone": "Europe/Berlin",
                     *       "quiet_hours": {
                     *         "start": "22:00",
                     *         "end": "08:00"
                     *       }
                     *     }
                     */
                    "application/json": {
                        id: number;
                        email: string;
                        first_name: string;
                        last_name: string;
                        phone_number: string | null;
                        telegram_id: string | null;
                        locale: string | null;
                        timezone: string | null;
                        quiet_hours: {
                            /** @description HH:MM, 24-hour */
                            start: string;
                            /** @description HH:MM, 24-hour */
                            end: string;
                        } | null;
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Invalid API key: it is unknown or has been revoked."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Over API_RATE_LIMIT_PER_MINUTE for this API key; the Retry-After header says when to retry */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Rate limit exceeded: at most 6000 requests a minute per API key; retry in 1 second."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
        };
    };
    getUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The id */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": 1,
                     *       "email": "bob@example.com",
                     *       "first_name": "Bob",
                     *       "last_name": "",
                     *       "phone_number": "+79990001122",
                     *       "telegram_id": "123456789",
                     *       "locale": null,
                     *       "timezone": "Europe/Berlin",
                     *       "quiet_hours": {
                     *         "start": "22:00",
                     *         "end": "08:00"
                     *       }
                     *     }
                     */
                    "application/json": {
                        id: number;
                        email: string;
                        first_name: string;
                        last_name: string;
                        phone_number: string | null;
                        telegram_id: string | null;
                        locale: string | null;
                        timezone: string | null;
                        quiet_hours: {
                            /** @description HH:MM, 24-hour */
                            start: string;
                            /** @description HH:MM, 24-hour */
                            end: string;
                        } | null;
                    };
                };
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Invalid API key: it is unknown or has been revoked."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Over API_RATE_LIMIT_PER_MINUTE for this API key; the Retry-After header says when to retry */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Rate limit exceeded: at most 6000 requests a minute per API key; retry in 1 second."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
        };
    };
    deleteUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The id */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Erased */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Invalid API key: it is unknown or has been revoked."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Over API_RATE_LIMIT_PER_MINUTE for this API key; the Retry-After header says when to retry */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Rate limit exceeded: at most 6000 requests a minute per API key; retry in 1 second."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
        };
    };
    updateUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The id */
                id: number;
            };
            cookie?: never;
        };
        /** @description Only the fields given change; null clears an optional one. The password cannot be changed here. */
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "locale": "de",
                 *       "timezone": "Europe/Berlin",
                 *       "quiet_hours": {
                 *         "start": "22:00",
                 *         "end": "07:30"
                 *       }
                 *     }
                 */
                "application/json": {
                    /** @description Unique (case-insensitive) */
                    email?: string;
                    first_name?: string;
                    last_name?: string;
                    /** @description Any common notation; stored in E.164, e.g. +79990001122 */
                    phone_number?: string | null;
                    /** @description Telegram chat id: digits, a leading minus for groups */
                    telegram_id?: string | number | null;
                    /**
                     * @description BCP 47 language tag templates render in (e.g. en, pt-BR); null: the template's default
                     * @example pt-BR
                     */
                    locale?: string | null;
                    /**
                     * @description IANA time zone (e.g. Europe/Berlin) for quiet hours; null: no quiet hours
                     * @example Europe/Berlin
                     */
                    timezone?: string | null;
                    quiet_hours?: {
                        /** @description HH:MM, 24-hour */
                        start: string;
                        /** @description HH:MM, 24-hour */
                        end: string;
                    } | null;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": 1,
                     *       "email": "bob@example.com",
                     *       "first_name": "Bob",
                     *       "last_name": "",
                     *       "phone_number": "+79990001122",
                     *       "telegram_id": "123456789",
                     *       "locale": null,
                     *       "timezone": "Europe/Berlin",
                     *       "quiet_hours": {
                     *         "start": "22:00",
                     *         "end": "08:00"
                     *       }
                     *     }
                     */
                    "application/json": {
                        id: number;
                        email: string;
                        first_name: string;
                        last_name: string;
                        phone_number: string | null;
                        telegram_id: string | null;
                        locale: string | null;
                        timezone: string | null;
                        quiet_hours: {
                            /** @description HH:MM, 24-hour */
                            start: string;
                            /** @description HH:MM, 24-hour */
                            end: string;
                        } | null;
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Invalid API key: it is unknown or has been revoked."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Over API_RATE_LIMIT_PER_MINUTE for this API key; the Retry-After header says when to retry */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Rate limit exceeded: at most 6000 requests a minute per API key; retry in 1 second."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
        };
    };
    createTelegramLink: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The id */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "url": "https://t.me/acme_notify_bot?start=q5Xb1m4vJ0kPz2Yw8nR3tUcA7eLd6hGf",
                     *       "code": "q5Xb1m4vJ0kPz2Yw8nR3tUcA7eLd6hGf",
                     *       "expires_at": "2026-12-04T09:00:00.000Z"
                     *     }
                     */
                    "application/json": {
                        /** @description Opens the bot in Telegram with the code; give it to the user */
                        url: string;
                        /** @description The start parameter in the link (single-use; stored only as a hash, never shown again) */
                        code: string;
                        /**
                         * Format: date-time
                         * @description The link no longer works after this
                         */
                        expires_at: string;
                    };
                };
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Invalid API key: it is unknown or has been revoked."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Over API_RATE_LIMIT_PER_MINUTE for this API key; the Retry-After header says when to retry */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Rate limit exceeded: at most 6000 requests a minute per API key; retry in 1 second."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
        };
    };
    createNotifications: {
        parameters: {
            query?: never;
            header?: {
                /** @description 1-255 printable ASCII characters, unique per notification you mean to send (e.g. a UUID). A retry with the same key and body returns the first notification (same id, header Idempotent-Replayed: true) and sends nothing again; the same key with another body is a 409. Keys are per API key and remembered IDEMPOTENCY_TTL_HOURS (24 h). */
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "notifications": [
                 *         {
                 *           "user": 1,
                 *           "message": "Your code is 1234"
                 *         },
                 *         {
                 *           "user": 2,
                 *           "template": "otp",
                 *           "data": {
                 *             "code": "5678"
                 *           }
                 *         }
                 *       ]
                 *     }
                 */
                "application/json": {
                    /** @description 1 to 500 notifications, each as POST /api/notifications/ takes one */
                    notifications: {
                        /** @description The recipient's user id */
                        user: number;
                        /** @description The text to deliver (at most MAX_MESSAGE_LENGTH characters). Required unless template is given; not both. */
                        message?: string | null;
                        /**
                         * @description The key of a template to render instead of message: rendered now, for every channel the notification may use, in the user's locale (else the template's default_locale). A missing variable, an unknown filter or a render error is a 400 and nothing is stored.
                         * @example otp
                         */
                        template?: string | null;
                        /**
                         * @description The template's `data` variables (at most 16 KB of JSON); only with template
                         * @example {
                         *       "code": "123456",
                         *       "minutes": 10
                         *     }
                         */
                        data?: {
                            [key: string]: unknown;
                        } | null;
                        send_at?: string | null;
                        expires_at?: string | null;
                        /**
                         * @description expires_at as seconds from now. Not with expires_at.
                         * @example 600
                         */
                        ttl_seconds?: number | null;
                        /** @description critical: delivered even inside the user's quiet hours (never after its expiry). Default normal. */
                        priority?: ("normal" | "critical") | null;
                        /** @description Email subject */
                        subject?: string | null;
                        /**
                         * @description What kind of message it is: a slug of lower-case letters, digits, "-" and "_" (e.g. security, marketing, billing). The user's preferences for the category apply (unless priority is critical or the category is in CRITICAL_CATEGORIES), and its emails carry a one-click unsubscribe link when PUBLIC_URL is set.
                         * @example marketing
                         */
                        category?: string | null;
                        /** @description Ordered channels to try instead of CHANNEL_ORDER: a subset of sms, email, telegram */
                        channels?: string[] | null;
                        /**
                         * @example {
                         *       "order_id": "A-1042"
                         *     }
                         */
                        metadata?: {
                            [key: string]: string;
                        } | null;
                    }[];
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "results": [
                     *         {
                     *           "id": 41,
                     *           "user": 1,
                     *           "message": "Your code is 1234",
                     *           "subject": null,
                     *           "channels": null,
                     *           "status": "sent",
                     *           "retry_count": 0,
                     *           "last_channel": "email",
                     *           "sent_at": "2026-11-19T08:29:23.718Z",
                     *           "created_at": "2026-11-19T08:29:22.896Z",
                     *           "next_attempt_at": null,
                     *           "failure_reason": null,
                     *           "history_from_round": 1,
                     *           "priority": "normal",
                     *           "category": null,
                     *           "metadata": null,
                     *           "expires_at": null,
                     *           "template": null,
                     *           "locale": null,
                     *           "rendered": null,
                     *           "broadcast": null,
                     *           "delivery": "accepted",
                     *           "delivered_at": null,
                     *           "attempts": [
                     *             {
                     *               "channel": "sms",
                     *               "status": "failed",
                     *               "round": 1,
                     *               "error": "На этот номер нельзя отправлять сообщения",
                     *               "error_kind": "permanent",
                     *               "provider_code": "207",
                     *               "provider_message_id": null,
                     *               "started_at": "2026-11-19T08:29:22.950Z",
                     *               "finished_at": "2026-11-19T08:29:23.101Z",
                     *               "delivery": null,
                     *               "delivered_at": null,
                     *               "receipt_code": null,
                     *               "receipt_text": null,
                     *               "receipts": []
                     *             },
                     *             {
                     *               "channel": "email",
                     *               "status": "sent",
                     *               "round": 1,
                     *               "error": null,
                     *               "error_kind": null,
                     *               "provider_code": null,
                     *               "provider_message_id": "<a1b2c3@example.com>",
                     *               "started_at": "2026-11-19T08:29:23.102Z",
                     *               "finished_at": "2026-11-19T08:29:23.718Z",
                     *               "delivery": "accepted",
                     *               "delivered_at": null,
                     *               "receipt_code": null,
                     *               "receipt_text": null,
                     *               "receipts": []
                     *             }
                     *           ]
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": {
                        /** @description The notifications, in the request's order */
                        results: {
                            id: number;
                            user: number;
                            message: string;
                            subject: string | null;
                            channels: ("sms" | "email" | "telegram")[] | null;
                            /** @enum {unknown} */
                            status: "pending" | "sent" | "failed" | "cancelled" | "expired";
                            retry_count: number;
                            last_channel: ("sms" | "email" | "telegram") | null;
                            sent_at: string | null;
                            /** Format: date-time */
                            created_at: string;
                            next_attempt_at: string | null;
                            failure_reason: string | null;
                            /** @description The round a manual retry started (1 if never retried by hand); earlier attempts no longer count against delivery */
                            history_from_round: number;
                            /** @enum {unknown} */
                            priority: "normal" | "critical";
                            category: string | null;
                            /**
                             * @description Your own labels, as given; null when none
                             * @example {
                             *       "order_id": "A-1042"
                             *     }
                             */
                            metadata: {
                                [key: string]: string;
                            } | null;
                            expires_at: string | null;
                            template: string | null;
                            locale: string | null;
                            rendered: {
                                sms?: {
                                    text: string;
                                };
                                email?: {
                                    subject?: string | null;
                                    text: string;
                                    html?: string | null;
                                };
                                telegram?: {
                                    text: string;
                                    parse_mode?: "HTML" | null;
                                };
                            } | null;
                            broadcast: number | null;
                            /** @description The delivery state of the latest attempt a provider accepted (null when none was). status stays sent on undelivered: sent means a provider accepted it */
                            delivery: ("accepted" | "delivered" | "undelivered" | "unknown") | null;
                            delivered_at: string | null;
                            attempts: {
                                /**
                                 * @description A delivery channel
                                 * @enum {unknown}
                                 */
                                channel: "sms" | "email" | "telegram";
                                /** @enum {unknown} */
                                status: "in_progress" | "sent" | "failed" | "skipped" | "interrupted";
                                /** @description 1 for the first round, 2 for the first retry, ... */
                                round: number;
                                error: string | null;
                                error_kind: string | null;
                                provider_code: string | null;
                                provider_message_id: string | null;
                                /** Format: date-time */
                                started_at: string;
                                finished_at: string | null;
                                delivery: ("accepted" | "delivered" | "undelivered" | "unknown") | null;
                                delivered_at: string | null;
                                receipt_code: string | null;
                                receipt_text: string | null;
                                /** @description The provider's receipts for this message, oldest first (one entry per change of code) */
                                receipts: {
                                    /** Format: date-time */
                                    at: string;
                                    state: "in_transit" | "delivered" | "undelivered";
                                    code: string | null;
                                    text: string | null;
                                }[];
                            }[];
                        }[];
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Invalid API key: it is unknown or has been revoked."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Over API_RATE_LIMIT_PER_MINUTE for this API key; the Retry-After header says when to retry */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Rate limit exceeded: at most 6000 requests a minute per API key; retry in 1 second."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
        };
    };
    listNotifications: {
        parameters: {
            query?: {
                /** @description Only this user's notifications */
                user?: string;
                /** @description One of pending, sent, failed, cancelled, expired */
                status?: string;
                /** @description Only those whose last_channel is this channel: the one that delivered it, or the last one tried */
                channel?: string;
                /** @description Only those whose message contains this text (case-insensitive; % and _ are literal) */
                search?: string;
                /**
                 * @description true: only pending notifications waiting for a later time (send_at, quiet hours, a retry); false: only pending ones due now
                 * @example true
                 */
                scheduled?: string;
                /**
                 * @description Only the notifications fanned out from this broadcast
                 * @example 7
                 */
                broadcast?: string;
                /**
                 * @description Only those of this category
                 * @example marketing
                 */
                category?: string;
                /**
                 * @description key:value: only those whose metadata has this key with this value
                 * @example order_id:A-1042
                 */
                metadata?: string;
                /**
                 * @description Only those with a smaller id (older). Pass the last id of a page to read the next one: each page then costs the same however deep, and rows created meanwhile never repeat
                 * @example 1041
                 */
                before?: string;
                /** @description 1-based page number */
                page?: string;
                /** @description Default 50, at most 200 */
                page_size?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "count": 120,
                     *       "count_exact": true,
                     *       "next": "http://127.0.0.1:8000/api/notifications/?page=2&page_size=50",
                     *       "previous": null,
                     *       "results": [
                     *         {
                     *           "id": 41,
                     *           "user": 1,
                     *           "message": "Your code is 1234",
                     *           "subject": null,
                     *           "channels": null,
                     *           "status": "sent",
                     *           "retry_count": 0,
                     *           "last_channel": "email",
                     *           "sent_at": "2026-11-19T08:29:23.718Z",
                     *           "created_at": "2026-11-19T08:29:22.896Z",
                     *           "next_attempt_at": null,
                     *           "failure_reason": null,
                     *           "history_from_round": 1,
                     *           "priority": "normal",
                     *           "category": null,
                     *           "metadata": null,
                     *           "expires_at": null,
                     *           "template": null,
                     *           "locale": null,
                     *           "rendered": null,
                     *           "broadcast": null,
                     *           "delivery": "accepted",
                     *           "delivered_at": null,
                     *           "attempts": [
                     *             {
                     *               "channel": "sms",
                     *               "status": "failed",
                     *               "round": 1,
                     *               "error": "На этот номер нельзя отправлять сообщения",
                     *               "error_kind": "permanent",
                     *               "provider_code": "207",
                     *               "provider_message_id": null,
                     *               "started_at": "2026-11-19T08:29:22.950Z",
                     *               "finished_at": "2026-11-19T08:29:23.101Z",
                     *               "delivery": null,
                     *               "delivered_at": null,
                     *               "receipt_code": null,
                     *               "receipt_text": null,
                     *               "receipts": []
                     *             },
                     *             {
                     *               "channel": "email",
                     *               "status": "sent",
                     *               "round": 1,
                     *               "error": null,
                     *               "error_kind": null,
                     *               "provider_code": null,
                     *               "provider_message_id": "<a1b2c3@example.com>",
                     *               "started_at": "2026-11-19T08:29:23.102Z",
                     *               "finished_at": "2026-11-19T08:29:23.718Z",
                     *               "delivery": "accepted",
                     *               "delivered_at": null,
                     *               "receipt_code": null,
                     *               "receipt_text": null,
                     *               "receipts": []
                     *             }
                     *           ]
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": {
                        /** @description How many match: counted exactly up to 10,000, PostgreSQL's estimate beyond (count_exact false) */
                        count: number;
                        /** @description false when count is an estimate; next still says exactly whether another page exists */
                        count_exact: boolean;
                        next: string | null;
                        previous: string | null;
                        results: {
                            id: number;
                            user: number;
                            message: string;
                            subject: string | null;
                            channels: ("sms" | "email" | "telegram")[] | null;
                            /** @enum {unknown} */
                            status: "pending" | "sent" | "failed" | "cancelled" | "expired";
                            retry_count: number;
                            last_channel: ("sms" | "email" | "telegram") | null;
                            sent_at: string | null;
                            /** Format: date-time */
                            created_at: string;
                            next_attempt_at: string | null;
                            failure_reason: string | null;
                            /** @description The round a manual retry started (1 if never retried by hand); earlier attempts no longer count against delivery */
                            history_from_round: number;
                            /** @enum {unknown} */
                            priority: "normal" | "critical";
                            category: string | null;
                            /**
                             * @description Your own labels, as given; null when none
                             * @example {
                             *       "order_id": "A-1042"
                             *     }
                             */
                            metadata: {
                                [key: string]: string;
                            } | null;
                            expires_at: string | null;
                            template: string | null;
                            locale: string | null;
                            rendered: {
                                sms?: {
                                    text: string;
                                };
                                email?: {
                                    subject?: string | null;
                                    text: string;
                                    html?: string | null;
                                };
                                telegram?: {
                                    text: string;
                                    parse_mode?: "HTML" | null;
                                };
                            } | null;
                            broadcast: number | null;
                            /** @description The delivery state of the latest attempt a provider accepted (null when none was). status stays sent on undelivered: sent means a provider accepted it */
                            delivery: ("accepted" | "delivered" | "undelivered" | "unknown") | null;
                            delivered_at: string | null;
                            attempts: {
                                /**
                                 * @description A delivery channel
                                 * @enum {unknown}
                                 */
                                channel: "sms" | "email" | "telegram";
                                /** @enum {unknown} */
                                status: "in_progress" | "sent" | "failed" | "skipped" | "interrupted";
                                /** @description 1 for the first round, 2 for the first retry, ... */
                                round: number;
                                error: string | null;
                                error_kind: string | null;
                                provider_code: string | null;
                                provider_message_id: string | null;
                                /** Format: date-time */
                                started_at: string;
                                finished_at: string | null;
                                delivery: ("accepted" | "delivered" | "undelivered" | "unknown") | null;
                                delivered_at: string | null;
                                receipt_code: string | null;
                                receipt_text: string | null;
                                /** @description The provider's receipts for this message, oldest first (one entry per change of code) */
                                receipts: {
                                    /** Format: date-time */
                                    at: string;
                                    state: "in_transit" | "delivered" | "undelivered";
                                    code: string | null;
                                    text: string | null;
                                }[];
                            }[];
                        }[];
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Invalid API key: it is unknown or has been revoked."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Over API_RATE_LIMIT_PER_MINUTE for this API key; the Retry-After header says when to retry */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Rate limit exceeded: at most 6000 requests a minute per API key; retry in 1 second."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
        };
    };
    createNotification: {
        parameters: {
            query?: never;
            header?: {
                /** @description 1-255 printable ASCII characters, unique per notification you mean to send (e.g. a UUID). A retry with the same key and body returns the first notification (same id, header Idempotent-Replayed: true) and sends nothing again; the same key with another body is a 409. Keys are per API key and remembered IDEMPOTENCY_TTL_HOURS (24 h). */
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description The recipient's user id */
                    user: number;
                    /** @description The text to deliver (at most MAX_MESSAGE_LENGTH characters). Required unless template is given; not both. */
                    message?: string | null;
                    /**
                     * @description The key of a template to render instead of message: rendered now, for every channel the notification may use, in the user's locale (else the template's default_locale). A missing variable, an unknown filter or a render error is a 400 and nothing is stored.
                     * @example otp
                     */
                    template?: string | null;
                    /**
                     * @description The template's `data` variables (at most 16 KB of JSON); only with template
                     * @example {
                     *       "code": "123456",
                     *       "minutes": 10
                     *     }
                     */
                    data?: {
                        [key: string]: unknown;
                    } | null;
                    send_at?: string | null;
                    expires_at?: string | null;
                    /**
                     * @description expires_at as seconds from now. Not with expires_at.
                     * @example 600
                     */
                    ttl_seconds?: number | null;
                    /** @description critical: delivered even inside the user's quiet hours (never after its expiry). Default normal. */
                    priority?: ("normal" | "critical") | null;
                    /** @description Email subject */
                    subject?: string | null;
                    /**
                     * @description What kind of message it is: a slug of lower-case letters, digits, "-" and "_" (e.g. security, marketing, billing). The user's preferences for the category apply (unless priority is critical or the category is in CRITICAL_CATEGORIES), and its emails carry a one-click unsubscribe link when PUBLIC_URL is set.
                     * @example marketing
                     */
                    category?: string | null;
                    /** @description Ordered channels to try instead of CHANNEL_ORDER: a subset of sms, email, telegram */
                    channels?: string[] | null;
                    /**
                     * @example {
                     *       "order_id": "A-1042"
                     *     }
                     */
                    metadata?: {
                        [key: string]: string;
                    } | null;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": 41,
                     *       "user": 1,
                     *       "message": "Your code is 1234",
                     *       "subject": null,
                     *       "channels": null,
                     *       "status": "sent",
                     *       "retry_count": 0,
                     *       "last_channel": "email",
                     *       "sent_at": "2026-11-19T08:29:23.718Z",
                     *       "created_at": "2026-11-19T08:29:22.896Z",
                     *       "next_attempt_at": null,
                     *       "failure_reason": null,
                     *       "history_from_round": 1,
                     *       "priority": "normal",
                     *       "category": null,
                     *       "metadata": null,
                     *       "expires_at": null,
                     *       "template": null,
                     *       "locale": null,
                     *       "rendered": null,
                     *       "broadcast": null,
                     *       "delivery": "accepted",
                     *       "delivered_at": null,
                     *       "attempts": [
                     *         {
                     *           "channel": "sms",
                     *           "status": "failed",
                     *           "round": 1,
                     *           "error": "На этот номер нельзя отправлять сообщения",
                     *           "error_kind": "permanent",
                     *           "provider_code": "207",
                     *           "provider_message_id": null,
                     *           "started_at": "2026-11-19T08:29:22.950Z",
                     *           "finished_at": "2026-11-19T08:29:23.101Z",
                     *           "delivery": null,
                     *           "delivered_at": null,
                     *           "receipt_code": null,
                     *           "receipt_text": null,
                     *           "receipts": []
                     *         },
                     *         {
                     *           "channel": "email",
                     *           "status": "sent",
                     *           "round": 1,
                     *           "error": null,
                     *           "error_kind": null,
                     *           "provider_code": null,
                     *           "provider_message_id": "<a1b2c3@example.com>",
                     *           "started_at": "2026-11-19T08:29:23.102Z",
                     *           "finished_at": "2026-11-19T08:29:23.718Z",
                     *           "delivery": "accepted",
                     *           "delivered_at": null,
                     *           "receipt_code": null,
                     *           "receipt_text": null,
                     *           "receipts": []
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": {
                        id: number;
                        user: number;
                        message: string;
                        subject: string | null;
                        channels: ("sms" | "email" | "telegram")[] | null;
                        /** @enum {unknown} */
                        status: "pending" | "sent" | "failed" | "cancelled" | "expired";
                        retry_count: number;
                        last_channel: ("sms" | "email" | "telegram") | null;
                        sent_at: string | null;
                        /** Format: date-time */
                        created_at: string;
                        next_attempt_at: string | null;
                        failure_reason: string | null;
                        /** @description The round a manual retry started (1 if never retried by hand); earlier attempts no longer count against delivery */
                        history_from_round: number;
                        /** @enum {unknown} */
                        priority: "normal" | "critical";
                        category: string | null;
                        /**
                         * @description Your own labels, as given; null when none
                         * @example {
                         *       "order_id": "A-1042"
                         *     }
                         */
                        metadata: {
                            [key: string]: string;
                        } | null;
                        expires_at: string | null;
                        template: string | null;
                        locale: string | null;
                        rendered: {
                            sms?: {
                                text: string;
                            };
                            email?: {
                                subject?: string | null;
                                text: string;
                                html?: string | null;
                            };
                            telegram?: {
                                text: string;
                                parse_mode?: "HTML" | null;
                            };
                        } | null;
                        broadcast: number | null;
                        /** @description The delivery state of the latest attempt a provider accepted (null when none was). status stays sent on undelivered: sent means a provider accepted it */
                        delivery: ("accepted" | "delivered" | "undelivered" | "unknown") | null;
                        delivered_at: string | null;
                        attempts: {
                            /**
                             * @description A delivery channel
                             * @enum {unknown}
                             */
                            channel: "sms" | "email" | "telegram";
                            /** @enum {unknown} */
                            status: "in_progress" | "sent" | "failed" | "skipped" | "interrupted";
                            /** @description 1 for the first round, 2 for the first retry, ... */
                            round: number;
                            error: string | null;
                            error_kind: string | null;
                            provider_code: string | null;
                            provider_message_id: string | null;
                            /** Format: date-time */
                            started_at: string;
                            finished_at: string | null;
                            delivery: ("accepted" | "delivered" | "undelivered" | "unknown") | null;
                            delivered_at: string | null;
                            receipt_code: string | null;
                            receipt_text: string | null;
                            /** @description The provider's receipts for this message, oldest first (one entry per change of code) */
                            receipts: {
                                /** Format: date-time */
                                at: string;
                                state: "in_transit" | "delivered" | "undelivered";
                                code: string | null;
                                text: string | null;
                            }[];
                        }[];
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Invalid API key: it is unknown or has been revoked."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Over API_RATE_LIMIT_PER_MINUTE for this API key; the Retry-After header says when to retry */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Rate limit exceeded: at most 6000 requests a minute per API key; retry in 1 second."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
        };
    };
    getNotification: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The id */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": 41,
                     *       "user": 1,
                     *       "message": "Your code is 1234",
                     *       "subject": null,
                     *       "channels": null,
                     *       "status": "sent",
                     *       "retry_count": 0,
                     *       "last_channel": "email",
                     *       "sent_at": "2026-11-19T08:29:23.718Z",
                     *       "created_at": "2026-11-19T08:29:22.896Z",
                     *       "next_attempt_at": null,
                     *       "failure_reason": null,
                     *       "history_from_round": 1,
                     *       "priority": "normal",
                     *       "category": null,
                     *       "metadata": null,
                     *       "expires_at": null,
                     *       "template": null,
                     *       "locale": null,
                     *       "rendered": null,
                     *       "broadcast": null,
                     *       "delivery": "accepted",
                     *       "delivered_at": null,
                     *       "attempts": [
                     *         {
                     *           "channel": "sms",
                     *           "status": "failed",
                     *           "round": 1,
                     *           "error": "На этот номер нельзя отправлять сообщения",
                     *           "error_kind": "permanent",
                     *           "provider_code": "207",
                     *           "provider_message_id": null,
                     *           "started_at": "2026-11-19T08:29:22.950Z",
                     *           "finished_at": "2026-11-19T08:29:23.101Z",
                     *           "delivery": null,
                     *           "delivered_at": null,
                     *           "receipt_code": null,
                     *           "receipt_text": null,
                     *           "receipts": []
                     *         },
                     *         {
                     *           "channel": "email",
                     *           "status": "sent",
                     *           "round": 1,
                     *           "error": null,
                     *           "error_kind": null,
                     *           "provider_code": null,
                     *           "provider_message_id": "<a1b2c3@example.com>",
                     *           "started_at": "2026-11-19T08:29:23.102Z",
                     *           "finished_at": "2026-11-19T08:29:23.718Z",
                     *           "delivery": "accepted",
                     *           "delivered_at": null,
                     *           "receipt_code": null,
                     *           "receipt_text": null,
                     *           "receipts": []
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": {
                        id: number;
                        user: number;
                        message: string;
                        subject: string | null;
                        channels: ("sms" | "email" | "telegram")[] | null;
                        /** @enum {unknown} */
                        status: "pending" | "sent" | "failed" | "cancelled" | "expired";
                        retry_count: number;
                        last_channel: ("sms" | "email" | "telegram") | null;
                        sent_at: string | null;
                        /** Format: date-time */
                        created_at: string;
                        next_attempt_at: string | null;
                        failure_reason: string | null;
                        /** @description The round a manual retry started (1 if never retried by hand); earlier attempts no longer count against delivery */
                        history_from_round: number;
                        /** @enum {unknown} */
                        priority: "normal" | "critical";
                        category: string | null;
                        /**
                         * @description Your own labels, as given; null when none
                         * @example {
                         *       "order_id": "A-1042"
                         *     }
                         */
                        metadata: {
                            [key: string]: string;
                        } | null;
                        expires_at: string | null;
                        template: string | null;
                        locale: string | null;
                        rendered: {
                            sms?: {
                                text: string;
                            };
                            email?: {
                                subject?: string | null;
                                text: string;
                                html?: string | null;
                            };
                            telegram?: {
                                text: string;
                                parse_mode?: "HTML" | null;
                            };
                        } | null;
                        broadcast: number | null;
                        /** @description The delivery state of the latest attempt a provider accepted (null when none was). status stays sent on undelivered: sent means a provider accepted it */
                        delivery: ("accepted" | "delivered" | "undelivered" | "unknown") | null;
                        delivered_at: string | null;
                        attempts: {
                            /**
                             * @description A delivery channel
                             * @enum {unknown}
                             */
                            channel: "sms" | "email" | "telegram";
                            /** @enum {unknown} */
                            status: "in_progress" | "sent" | "failed" | "skipped" | "interrupted";
                            /** @description 1 for the first round, 2 for the first retry, ... */
                            round: number;
                            error: string | null;
                            error_kind: string | null;
                            provider_code: string | null;
                            provider_message_id: string | null;
                            /** Format: date-time */
                            started_at: string;
                            finished_at: string | null;
                            delivery: ("accepted" | "delivered" | "undelivered" | "unknown") | null;
                            delivered_at: string | null;
                            receipt_code: string | null;
                            receipt_text: string | null;
                            /** @description The provider's receipts for this message, oldest first (one entry per change of code) */
                            receipts: {
                                /** Format: date-time */
                                at: string;
                                state: "in_transit" | "delivered" | "undelivered";
                                code: string | null;
                                text: string | null;
                            }[];
                        }[];
                    };
                };
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Invalid API key: it is unknown or has been revoked."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Over API_RATE_LIMIT_PER_MINUTE for this API key; the Retry-After header says when to retry */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Rate limit exceeded: at most 6000 requests a minute per API key; retry in 1 second."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
        };
    };
    listOutbox: {
        parameters: {
            query?: {
                /** @description Only this channel: sms, email, telegram */
                channel?: string;
                /** @description Only this notification's messages */
                notification?: string;
                /**
                 * @description Only those with a smaller id (older). Pass the last id of a page to read the next one: each page then costs the same however deep, and rows created meanwhile never repeat
                 * @example 1041
                 */
                before?: string;
                /** @description 1-based page number */
                page?: string;
                /** @description Default 50, at most 200 */
                page_size?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "count": 1,
                     *       "count_exact": true,
                     *       "next": null,
                     *       "previous": null,
                     *       "results": [
                     *         {
                     *           "id": 3,
                     *           "notification": 41,
                     *           "channel": "sms",
                     *           "to": "+79990001122",
                     *           "subject": null,
                     *           "text": "Your code is 1234",
                     *           "created_at": "2026-11-19T08:29:23.100Z"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": {
                        /** @description How many match: counted exactly up to 10,000, PostgreSQL's estimate beyond (count_exact false) */
                        count: number;
                        /** @description false when count is an estimate; next still says exactly whether another page exists */
                        count_exact: boolean;
                        next: string | null;
                        previous: string | null;
                        results: {
                            id: number;
                            notification: number;
                            /** @enum {unknown} */
                            channel: "sms" | "email" | "telegram";
                            /** @description The address the real provider would have used */
                            to: string;
                            /** @description Email only */
                            subject: string | null;
                            text: string;
                            /** Format: date-time */
                            created_at: string;
                        }[];
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Invalid API key: it is unknown or has been revoked."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Over API_RATE_LIMIT_PER_MINUTE for this API key; the Retry-After header says when to retry */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Rate limit exceeded: at most 6000 requests a minute per API key; retry in 1 second."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
        };
    };
    retryNotification: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The id */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": 41,
                     *       "user": 1,
                     *       "message": "Your code is 1234",
                     *       "subject": null,
                     *       "channels": null,
                     *       "status": "sent",
                     *       "retry_count": 0,
                     *       "last_channel": "email",
                     *       "sent_at": "2026-11-19T08:29:23.718Z",
                     *       "created_at": "2026-11-19T08:29:22.896Z",
                     *       "next_attempt_at": null,
                     *       "failure_reason": null,
                     *       "history_from_round": 1,
                     *       "priority": "normal",
                     *       "category": null,
                     *       "metadata": null,
                     *       "expires_at": null,
                     *       "template": null,
                     *       "locale": null,
                     *       "rendered": null,
                     *       "broadcast": null,
                     *       "delivery": "accepted",
                     *       "delivered_at": null,
                     *       "attempts": [
                     *         {
                     *           "channel": "sms",
                     *           "status": "failed",
                     *           "round": 1,
                     *           "error": "На этот номер нельзя отправлять сообщения",
                     *           "error_kind": "permanent",
                     *           "provider_code": "207",
                     *           "provider_message_id": null,
                     *           "started_at": "2026-11-19T08:29:22.950Z",
                     *           "finished_at": "2026-11-19T08:29:23.101Z",
                     *           "delivery": null,
                     *           "delivered_at": null,
                     *           "receipt_code": null,
                     *           "receipt_text": null,
                     *           "receipts": []
                     *         },
                     *         {
                     *           "channel": "email",
                     *           "status": "sent",
                     *           "round": 1,
                     *           "error": null,
                     *           "error_kind": null,
                     *           "provider_code": null,
                     *           "provider_message_id": "<a1b2c3@example.com>",
                     *           "started_at": "2026-11-19T08:29:23.102Z",
                     *           "finished_at": "2026-11-19T08:29:23.718Z",
                     *           "delivery": "accepted",
                     *           "delivered_at": null,
                     *           "receipt_code": null,
                     *           "receipt_text": null,
                     *           "receipts": []
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": {
                        id: number;
                        user: number;
                        message: string;
                        subject: string | null;
                        channels: ("sms" | "email" | "telegram")[] | null;
                        /** @enum {unknown} */
                        status: "pending" | "sent" | "failed" | "cancelled" | "expired";
                        retry_count: number;
                        last_channel: ("sms" | "email" | "telegram") | null;
                        sent_at: string | null;
                        /** Format: date-time */
                        created_at: string;
                        next_attempt_at: string | null;
                        failure_reason: string | null;
                        /** @description The round a manual retry started (1 if never retried by hand); earlier attempts no longer count against delivery */
                        history_from_round: number;
                        /** @enum {unknown} */
                        priority: "normal" | "critical";
                        category: string | null;
                        /**
                         * @description Your own labels, as given; null when none
                         * @example {
                         *       "order_id": "A-1042"
                         *     }
                         */
                        metadata: {
                            [key: string]: string;
                        } | null;
                        expires_at: string | null;
                        template: string | null;
                        locale: string | null;
                        rendered: {
                            sms?: {
                                text: string;
                            };
                            email?: {
                                subject?: string | null;
                                text: string;
                                html?: string | null;
                            };
                            telegram?: {
                                text: string;
                                parse_mode?: "HTML" | null;
                            };
                        } | null;
                        broadcast: number | null;
                        /** @description The delivery state of the latest attempt a provider accepted (null when none was). status stays sent on undelivered: sent means a provider accepted it */
                        delivery: ("accepted" | "delivered" | "undelivered" | "unknown") | null;
                        delivered_at: string | null;
                        attempts: {
                            /**
                             * @description A delivery channel
                             * @enum {unknown}
                             */
                            channel: "sms" | "email" | "telegram";
                            /** @enum {unknown} */
                            status: "in_progress" | "sent" | "failed" | "skipped" | "interrupted";
                            /** @description 1 for the first round, 2 for the first retry, ... */
                            round: number;
                            error: string | null;
                            error_kind: string | null;
                            provider_code: string | null;
                            provider_message_id: string | null;
                            /** Format: date-time */
                            started_at: string;
                            finished_at: string | null;
                            delivery: ("accepted" | "delivered" | "undelivered" | "unknown") | null;
                            delivered_at: string | null;
                            receipt_code: string | null;
                            receipt_text: string | null;
                            /** @description The provider's receipts for this message, oldest first (one entry per change of code) */
                            receipts: {
                                /** Format: date-time */
                                at: string;
                                state: "in_transit" | "delivered" | "undelivered";
                                code: string | null;
                                text: string | null;
                            }[];
                        }[];
                    };
                };
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Invalid API key: it is unknown or has been revoked."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Over API_RATE_LIMIT_PER_MINUTE for this API key; the Retry-After header says when to retry */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Rate limit exceeded: at most 6000 requests a minute per API key; retry in 1 second."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
        };
    };
    cancelNotification: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The id */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": 41,
                     *       "user": 1,
                     *       "message": "Your code is 1234",
                     *       "subject": null,
                     *       "channels": null,
                     *       "status": "sent",
                     *       "retry_count": 0,
                     *       "last_channel": "email",
                     *       "sent_at": "2026-11-19T08:29:23.718Z",
                     *       "created_at": "2026-11-19T08:29:22.896Z",
                     *       "next_attempt_at": null,
                     *       "failure_reason": null,
                     *       "history_from_round": 1,
                     *       "priority": "normal",
                     *       "category": null,
                     *       "metadata": null,
                     *       "expires_at": null,
                     *       "template": null,
                     *       "locale": null,
                     *       "rendered": null,
                     *       "broadcast": null,
                     *       "delivery": "accepted",
                     *       "delivered_at": null,
                     *       "attempts": [
                     *         {
                     *           "channel": "sms",
                     *           "status": "failed",
                     *           "round": 1,
                     *           "error": "На этот номер нельзя отправлять сообщения",
                     *           "error_kind": "permanent",
                     *           "provider_code": "207",
                     *           "provider_message_id": null,
                     *           "started_at": "2026-11-19T08:29:22.950Z",
                     *           "finished_at": "2026-11-19T08:29:23.101Z",
                     *           "delivery": null,
                     *           "delivered_at": null,
                     *           "receipt_code": null,
                     *           "receipt_text": null,
                     *           "receipts": []
                     *         },
                     *         {
                     *           "channel": "email",
                     *           "status": "sent",
                     *           "round": 1,
                     *           "error": null,
                     *           "error_kind": null,
                     *           "provider_code": null,
                     *           "provider_message_id": "<a1b2c3@example.com>",
                     *           "started_at": "2026-11-19T08:29:23.102Z",
                     *           "finished_at": "2026-11-19T08:29:23.718Z",
                     *           "delivery": "accepted",
                     *           "delivered_at": null,
                     *           "receipt_code": null,
                     *           "receipt_text": null,
                     *           "receipts": []
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": {
                        id: number;
                        user: number;
                        message: string;
                        subject: string | null;
                        channels: ("sms" | "email" | "telegram")[] | null;
                        /** @enum {unknown} */
                        status: "pending" | "sent" | "failed" | "cancelled" | "expired";
                        retry_count: number;
                        last_channel: ("sms" | "email" | "telegram") | null;
                        sent_at: string | null;
                        /** Format: date-time */
                        created_at: string;
                        next_attempt_at: string | null;
                        failure_reason: string | null;
                        /** @description The round a manual retry started (1 if never retried by hand); earlier attempts no longer count against delivery */
                        history_from_round: number;
                        /** @enum {unknown} */
                        priority: "normal" | "critical";
                        category: string | null;
                        /**
                         * @description Your own labels, as given; null when none
                         * @example {
                         *       "order_id": "A-1042"
                         *     }
                         */
                        metadata: {
                            [key: string]: string;
                        } | null;
                        expires_at: string | null;
                        template: string | null;
                        locale: string | null;
                        rendered: {
                            sms?: {
                                text: string;
                            };
                            email?: {
                                subject?: string | null;
                                text: string;
                                html?: string | null;
                            };
                            telegram?: {
                                text: string;
                                parse_mode?: "HTML" | null;
                            };
                        } | null;
                        broadcast: number | null;
                        /** @description The delivery state of the latest attempt a provider accepted (null when none was). status stays sent on undelivered: sent means a provider accepted it */
                        delivery: ("accepted" | "delivered" | "undelivered" | "unknown") | null;
                        delivered_at: string | null;
                        attempts: {
                            /**
                             * @description A delivery channel
                             * @enum {unknown}
                             */
                            channel: "sms" | "email" | "telegram";
                            /** @enum {unknown} */
                            status: "in_progress" | "sent" | "failed" | "skipped" | "interrupted";
                            /** @description 1 for the first round, 2 for the first retry, ... */
                            round: number;
                            error: string | null;
                            error_kind: string | null;
                            provider_code: string | null;
                            provider_message_id: string | null;
                            /** Format: date-time */
                            started_at: string;
                            finished_at: string | null;
                            delivery: ("accepted" | "delivered" | "undelivered" | "unknown") | null;
                            delivered_at: string | null;
                            receipt_code: string | null;
                            receipt_text: string | null;
                            /** @description The provider's receipts for this message, oldest first (one entry per change of code) */
                            receipts: {
                                /** Format: date-time */
                                at: string;
                                state: "in_transit" | "delivered" | "undelivered";
                                code: string | null;
                                text: string | null;
                            }[];
                        }[];
                    };
                };
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Invalid API key: it is unknown or has been revoked."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Over API_RATE_LIMIT_PER_MINUTE for this API key; the Retry-After header says when to retry */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Rate limit exceeded: at most 6000 requests a minute per API key; retry in 1 second."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
        };
    };
    streamNotificationEvents: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The event stream */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example event: ready
                     *     data: {"type":"ready"}
                     *
                     *     event: created
                     *     data: {"type":"created","id":41,"status":"pending"}
                     *
                     *     event: attempt
                     *     data: {"type":"attempt","id":41,"channel":"sms","status":"sent"}
                     */
                    "text/event-stream": string;
                };
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Invalid API key: it is unknown or has been revoked."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Over API_RATE_LIMIT_PER_MINUTE for this API key; the Retry-After header says when to retry */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Rate limit exceeded: at most 6000 requests a minute per API key; retry in 1 second."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
        };
    };
    getChannelOverview: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "window_seconds": 3600,
                     *       "failure_sample": 100,
                     *       "channels": [
                     *         {
                     *           "channel": "sms",
                     *           "configured": true,
                     *           "not_configured_reason": null,
                     *           "paused_reason": null,
                     *           "order_position": 1,
                     *           "last_hour": {
                     *             "sent": 412,
                     *             "failed": 3,
                     *             "skipped": 0
                     *           },
                     *           "last_success_at": "2026-11-30T10:00:00.000Z",
                     *           "fallback_address": null,
                     *           "common_failures": [
                     *             {
                     *               "reason": "На этот номер нельзя отправлять сообщения",
                     *               "error_kind": "permanent",
                     *               "provider_code": "207",
                     *               "count": 3,
                     *               "last_seen_at": "2026-11-30T09:58:12.000Z"
                     *             }
                     *           ]
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": {
                        /** @description The span of the last_hour counts */
                        window_seconds: number;
                        /** @description How many of each channel's most recent failures common_failures is counted over */
                        failure_sample: number;
                        channels: {
                            /**
                             * @description A delivery channel
                             * @enum {unknown}
                             */
                            channel: "sms" | "email" | "telegram";
                            configured: boolean;
                            not_configured_reason: string | null;
                            paused_reason: string | null;
                            /** @description Its place in CHANNEL_ORDER (1 first), or null when CHANNEL_ORDER leaves it out */
                            order_position: number | null;
                            last_hour: {
                                sent: number;
                                failed: number;
                                skipped: number;
                            };
                            last_success_at: string | null;
                            /** @description The address the channel uses for users without one of their own (Telegram's TELEGRAM_CHAT_ID), or null when none is configured */
                            fallback_address: {
                                /** @description TELEGRAM_CHAT_ID, as suppressions spell it */
                                address: string;
                                /** @description Its suppression, or null: while suppressed, every user without an address of their own is skipped on this channel (error_kind suppressed). DELETE /api/suppressions/{id}/ lifts it. */
                                suppression: {
                                    id: number;
                                    /** @enum {unknown} */
                                    channel: "sms" | "email" | "telegram";
                                    /** @description As normalised: E.164 for sms, lower case for email, the chat id for telegram */
                                    address: string;
                                    /**
                                     * @description bot_blocked (Telegram 403: bot blocked, user deactivated), hard_bounce (SMTP 550/551/553 to RCPT TO), invalid_number (SMS.ru 202/207), unsubscribed, manual
                                     * @enum {unknown}
                                     */
                                    reason: "bot_blocked" | "hard_bounce" | "invalid_number" | "unsubscribed" | "manual";
                                    /**
                                     * @description delivery: added by the worker on the provider's reply; api, cli: by hand
                                     * @enum {unknown}
                                     */
                                    source: "delivery" | "api" | "cli";
                                    /** @description From a delivery: provider_code, text (the provider's reply), notification_id, attempt_id. By hand: the note given. */
                                    evidence: {
                                        [key: string]: unknown;
                                    } | null;
                                    /** Format: date-time */
                                    created_at: string;
                                } | null;
                            } | null;
                            /** @description At most 3, most common first */
                            common_failures: {
                                reason: string;
                                error_kind: string | null;
                                provider_code: string | null;
                                count: number;
                                /** Format: date-time */
                                last_seen_at: string;
                            }[];
                        }[];
                    };
                };
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Invalid API key: it is unknown or has been revoked."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Over API_RATE_LIMIT_PER_MINUTE for this API key; the Retry-After header says when to retry */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Rate limit exceeded: at most 6000 requests a minute per API key; retry in 1 second."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
        };
    };
    listTemplates: {
        parameters: {
            query?: {
                /** @description 1-based page number */
                page?: string;
                /** @description Default 50, at most 200 */
                page_size?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "count": 1,
                     *       "count_exact": true,
                     *       "next": null,
                     *       "previous": null,
                     *       "results": [
                     *         {
                     *           "key": "otp",
                     *           "description": "One-time sign-in code",
                     *           "default_locale": "en",
                     *           "locales": {
                     *             "en": {
                     *               "sms": {
                     *                 "text": "Your code is {{ data.code }}"
                     *               },
                     *               "email": {
                     *                 "subject": "Your sign-in code",
                     *                 "text": "Hello {{ user.first_name }}, your code is {{ data.code }}.",
                     *                 "html": "<p>Hello {{ user.first_name }}, your code is <b>{{ data.code }}</b>.</p>"
                     *               },
                     *               "telegram": {
                     *                 "text": "Your code: <b>{{ data.code }}</b>",
                     *                 "parse_mode": "HTML"
                     *               }
                     *             },
                     *             "ru": {
                     *               "sms": {
                     *                 "text": "Ваш код: {{ data.code }}"
                     *               }
                     *             }
                     *           },
                     *           "created_at": "2026-11-30T10:00:00.000Z",
                     *           "updated_at": "2026-11-30T10:00:00.000Z"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": {
                        /** @description How many match: counted exactly up to 10,000, PostgreSQL's estimate beyond (count_exact false) */
                        count: number;
                        /** @description false when count is an estimate; next still says exactly whether another page exists */
                        count_exact: boolean;
                        next: string | null;
                        previous: string | null;
                        results: {
                            key: string;
                            description: string;
                            default_locale: string;
                            locales: {
                                [key: string]: {
                                    sms?: {
                                        /** @description Liquid; rendered raw */
                                        text: string;
                                    };
                                    email?: {
                                        subject?: string | null;
                                        /** @description Liquid; rendered raw */
                                        text: string;
                                        html?: string | null;
                                    };
                                    telegram?: {
                                        /** @description Liquid; HTML-escaped when parse_mode is HTML, else raw */
                                        text: string;
                                        parse_mode?: "HTML" | null;
                                    };
                                };
                            };
                            /** Format: date-time */
                            created_at: string;
                            /** Format: date-time */
                            updated_at: string;
                        }[];
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Invalid API key: it is unknown or has been revoked."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Over API_RATE_LIMIT_PER_MINUTE for this API key; the Retry-After header says when to retry */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Rate limit exceeded: at most 6000 requests a minute per API key; retry in 1 second."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
        };
    };
    createTemplate: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "key": "otp",
                 *       "description": "One-time sign-in code",
                 *       "default_locale": "en",
                 *       "locales": {
                 *         "en": {
                 *           "sms": {
                 *             "text": "Your code is {{ data.code }}"
                 *           },
                 *           "email": {
                 *             "subject": "Your sign-in code",
                 *             "text": "Hello {{ user.first_name }}, your code is {{ data.code }}.",
                 *             "html": "<p>Hello {{ user.first_name }}, your code is <b>{{ data.code }}</b>.</p>"
                 *           },
                 *           "telegram": {
                 *             "text": "Your code: <b>{{ data.code }}</b>",
                 *             "parse_mode": "HTML"
                 *           }
                 *         },
                 *         "ru": {
                 *           "sms": {
                 *             "text": "Ваш код: {{ data.code }}"
                 *           }
                 *         }
                 *       }
                 *     }
                 */
                "application/json": {
                    /** @description Unique slug: lowercase letters, digits, - and _ */
                    key: string;
                    description?: string | null;
                    /** @description The locale used when the user's is missing; must be in locales */
                    default_locale: string;
                    /** @description Per BCP 47 locale (en, ru, pt-BR, ...) a body per channel */
                    locales: {
                        [key: string]: {
                            sms?: {
                                /** @description Liquid; rendered raw */
                                text: string;
                            };
                            email?: {
                                subject?: string | null;
                                /** @description Liquid; rendered raw */
                                text: string;
                                html?: string | null;
                            };
                            telegram?: {
                                /** @description Liquid; HTML-escaped when parse_mode is HTML, else raw */
                                text: string;
                                parse_mode?: "HTML" | null;
                            };
                        };
                    };
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "key": "otp",
                     *       "description": "One-time sign-in code",
                     *       "default_locale": "en",
                     *       "locales": {
                     *         "en": {
                     *           "sms": {
                     *             "text": "Your code is {{ data.code }}"
                     *           },
                     *           "email": {
                     *             "subject": "Your sign-in code",
                     *             "text": "Hello {{ user.first_name }}, your code is {{ data.code }}.",
                     *             "html": "<p>Hello {{ user.first_name }}, your code is <b>{{ data.code }}</b>.</p>"
                     *           },
                     *           "telegram": {
                     *             "text": "Your code: <b>{{ data.code }}</b>",
                     *             "parse_mode": "HTML"
                     *           }
                     *         },
                     *         "ru": {
                     *           "sms": {
                     *             "text": "Ваш код: {{ data.code }}"
                     *           }
                     *         }
                     *       },
                     *       "created_at": "2026-11-30T10:00:00.000Z",
                     *       "updated_at": "2026-11-30T10:00:00.000Z"
                     *     }
                     */
                    "application/json": {
                        key: string;
                        description: string;
                        default_locale: string;
                        locales: {
                            [key: string]: {
                                sms?: {
                                    /** @description Liquid; rendered raw */
                                    text: string;
                                };
                                email?: {
                                    subject?: string | null;
                                    /** @description Liquid; rendered raw */
                                    text: string;
                                    html?: string | null;
                                };
                                telegram?: {
                                    /** @description Liquid; HTML-escaped when parse_mode is HTML, else raw */
                                    text: string;
                                    parse_mode?: "HTML" | null;
                                };
                            };
                        };
                        /** Format: date-time */
                        created_at: string;
                        /** Format: date-time */
                        updated_at: string;
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Invalid API key: it is unknown or has been revoked."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Over API_RATE_LIMIT_PER_MINUTE for this API key; the Retry-After header says when to retry */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Rate limit exceeded: at most 6000 requests a minute per API key; retry in 1 second."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
        };
    };
    getTemplate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The template's key
                 * @example otp
                 */
                key: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "key": "otp",
                     *       "description": "One-time sign-in code",
                     *       "default_locale": "en",
                     *       "locales": {
                     *         "en": {
                     *           "sms": {
                     *             "text": "Your code is {{ data.code }}"
                     *           },
                     *           "email": {
                     *             "subject": "Your sign-in code",
                     *             "text": "Hello {{ user.first_name }}, your code is {{ data.code }}.",
                     *             "html": "<p>Hello {{ user.first_name }}, your code is <b>{{ data.code }}</b>.</p>"
                     *           },
                     *           "telegram": {
                     *             "text": "Your code: <b>{{ data.code }}</b>",
                     *             "parse_mode": "HTML"
                     *           }
                     *         },
                     *         "ru": {
                     *           "sms": {
                     *             "text": "Ваш код: {{ data.code }}"
                     *           }
                     *         }
                     *       },
                     *       "created_at": "2026-11-30T10:00:00.000Z",
                     *       "updated_at": "2026-11-30T10:00:00.000Z"
                     *     }
                     */
                    "application/json": {
                        key: string;
                        description: string;
                        default_locale: string;
                        locales: {
                            [key: string]: {
                                sms?: {
                                    /** @description Liquid; rendered raw */
                                    text: string;
                                };
                                email?: {
                                    subject?: string | null;
                                    /** @description Liquid; rendered raw */
                                    text: string;
                                    html?: string | null;
                                };
                                telegram?: {
                                    /** @description Liquid; HTML-escaped when parse_mode is HTML, else raw */
                                    text: string;
                                    parse_mode?: "HTML" | null;
                                };
                            };
                        };
                        /** Format: date-time */
                        created_at: string;
                        /** Format: date-time */
                        updated_at: string;
                    };
                };
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Invalid API key: it is unknown or has been revoked."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Over API_RATE_LIMIT_PER_MINUTE for this API key; the Retry-After header says when to retry */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Rate limit exceeded: at most 6000 requests a minute per API key; retry in 1 second."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
        };
    };
    updateTemplate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The template's key
                 * @example otp
                 */
                key: string;
            };
            cookie?: never;
        };
        /** @description Replaces the whole template */
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "description": "One-time sign-in code",
                 *       "default_locale": "en",
                 *       "locales": {
                 *         "en": {
                 *           "sms": {
                 *             "text": "Your code is {{ data.code }}"
                 *           },
                 *           "email": {
                 *             "subject": "Your sign-in code",
                 *             "text": "Hello {{ user.first_name }}, your code is {{ data.code }}.",
                 *             "html": "<p>Hello {{ user.first_name }}, your code is <b>{{ data.code }}</b>.</p>"
                 *           },
                 *           "telegram": {
                 *             "text": "Your code: <b>{{ data.code }}</b>",
                 *             "parse_mode": "HTML"
                 *           }
                 *         },
                 *         "ru": {
                 *           "sms": {
                 *             "text": "Ваш код: {{ data.code }}"
                 *           }
                 *         }
                 *       }
                 *     }
                 */
                "application/json": {
                    /** @description If given, must equal the key in the path */
                    key?: string;
                    description?: string | null;
                    /** @description The locale used when the user's is missing; must be in locales */
                    default_locale: string;
                    /** @description Per BCP 47 locale (en, ru, pt-BR, ...) a body per channel */
                    locales: {
                        [key: string]: {
                            sms?: {
                                /** @description Liquid; rendered raw */
                                text: string;
                            };
                            email?: {
                                subject?: string | null;
                                /** @description Liquid; rendered raw */
                                text: string;
                                html?: string | null;
                            };
                            telegram?: {
                                /** @description Liquid; HTML-escaped when parse_mode is HTML, else raw */
                                text: string;
                                parse_mode?: "HTML" | null;
                            };
                        };
                    };
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "key": "otp",
                     *       "description": "One-time sign-in code",
                     *       "default_locale": "en",
                     *       "locales": {
                     *         "en": {
                     *           "sms": {
                     *             "text": "Your code is {{ data.code }}"
                     *           },
                     *           "email": {
                     *             "subject": "Your sign-in code",
                     *             "text": "Hello {{ user.first_name }}, your code is {{ data.code }}.",
                     *             "html": "<p>Hello {{ user.first_name }}, your code is <b>{{ data.code }}</b>.</p>"
                     *           },
                     *           "telegram": {
                     *             "text": "Your code: <b>{{ data.code }}</b>",
                     *             "parse_mode": "HTML"
                     *           }
                     *         },
                     *         "ru": {
                     *           "sms": {
                     *             "text": "Ваш код: {{ data.code }}"
                     *           }
                     *         }
                     *       },
                     *       "created_at": "2026-11-30T10:00:00.000Z",
                     *       "updated_at": "2026-11-30T10:00:00.000Z"
                     *     }
                     */
                    "application/json": {
                        key: string;
                        description: string;
                        default_locale: string;
                        locales: {
                            [key: string]: {
                                sms?: {
                                    /** @description Liquid; rendered raw */
                                    text: string;
                                };
                                email?: {
                                    subject?: string | null;
                                    /** @description Liquid; rendered raw */
                                    text: string;
                                    html?: string | null;
                                };
                                telegram?: {
                                    /** @description Liquid; HTML-escaped when parse_mode is HTML, else raw */
                                    text: string;
                                    parse_mode?: "HTML" | null;
                                };
                            };
                        };
                        /** Format: date-time */
                        created_at: string;
                        /** Format: date-time */
                        updated_at: string;
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Invalid API key: it is unknown or has been revoked."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Over API_RATE_LIMIT_PER_MINUTE for this API key; the Retry-After header says when to retry */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Rate limit exceeded: at most 6000 requests a minute per API key; retry in 1 second."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
        };
    };
    deleteTemplate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The template's key
                 * @example otp
                 */
                key: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Invalid API key: it is unknown or has been revoked."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Over API_RATE_LIMIT_PER_MINUTE for this API key; the Retry-After header says when to retry */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Rate limit exceeded: at most 6000 requests a minute per API key; retry in 1 second."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
        };
    };
    renderTemplateDraft: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "template": {
                 *         "default_locale": "en",
                 *         "locales": {
                 *           "en": {
                 *             "sms": {
                 *               "text": "Your code is {{ data.code }}"
                 *             }
                 *           }
                 *         }
                 *       },
                 *       "data": {
                 *         "code": "123456"
                 *       }
                 *     }
                 */
                "application/json": {
                    /** @description The template as POST /api/templates/ takes it; key optional */
                    template: {
                        key?: string;
                        description?: string | null;
                        /** @description The locale used when the user's is missing; must be in locales */
                        default_locale: string;
                        /** @description Per BCP 47 locale (en, ru, pt-BR, ...) a body per channel */
                        locales: {
                            [key: string]: {
                                sms?: {
                                    /** @description Liquid; rendered raw */
                                    text: string;
                                };
                                email?: {
                                    subject?: string | null;
                                    /** @description Liquid; rendered raw */
                                    text: string;
                                    html?: string | null;
                                };
                                telegram?: {
                                    /** @description Liquid; HTML-escaped when parse_mode is HTML, else raw */
                                    text: string;
                                    parse_mode?: "HTML" | null;
                                };
                            };
                        };
                    };
                    data?: {
                        [key: string]: unknown;
                    } | null;
                    /** @description Whose `user` variables (and locale) to render with */
                    user?: number | {
                        id?: number;
                        email?: string;
                        first_name?: string;
                        last_name?: string;
                        phone_number?: string | null;
                        telegram_id?: string | null;
                        locale?: string | null;
                    } | null;
                    locale?: string | null;
                    /** @description Which channels to render; all by default */
                    channels?: string[] | null;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "template": "otp",
                     *       "locale": "en",
                     *       "rendered": {
                     *         "sms": {
                     *           "text": "Your code is 123456"
                     *         }
                     *       }
                     *     }
                     */
                    "application/json": {
                        template: string;
                        /** @description The locale chosen (the one asked for, or the fallback) */
                        locale: string;
                        /**
                         * @description What the template rendered to per channel; a channel missing here has no body and is skipped (no_template_body)
                         * @example {
                         *       "sms": {
                         *         "text": "Your code is 123456"
                         *       },
                         *       "email": {
                         *         "subject": "Your code",
                         *         "text": "Your code is 123456",
                         *         "html": "<p>Your code is <b>123456</b></p>"
                         *       }
                         *     }
                         */
                        rendered: {
                            sms?: {
                                text: string;
                            };
                            email?: {
                                subject?: string | null;
                                text: string;
                                html?: string | null;
                            };
                            telegram?: {
                                text: string;
                                parse_mode?: "HTML" | null;
                            };
                        };
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Invalid API key: it is unknown or has been revoked."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Over API_RATE_LIMIT_PER_MINUTE for this API key; the Retry-After header says when to retry */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Rate limit exceeded: at most 6000 requests a minute per API key; retry in 1 second."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
        };
    };
    renderTemplate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The template's key
                 * @example otp
                 */
                key: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "data": {
                 *         "code": "123456"
                 *       },
                 *       "user": {
                 *         "first_name": "Ada"
                 *       },
                 *       "locale": "en"
                 *     }
                 */
                "application/json": {
                    data?: {
                        [key: string]: unknown;
                    } | null;
                    /** @description Whose `user` variables (and locale) to render with */
                    user?: number | {
                        id?: number;
                        email?: string;
                        first_name?: string;
                        last_name?: string;
                        phone_number?: string | null;
                        telegram_id?: string | null;
                        locale?: string | null;
                    } | null;
                    locale?: string | null;
                    /** @description Which channels to render; all by default */
                    channels?: string[] | null;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "template": "otp",
                     *       "locale": "en",
                     *       "rendered": {
                     *         "sms": {
                     *           "text": "Your code is 123456"
                     *         }
                     *       }
                     *     }
                     */
                    "application/json": {
                        template: string;
                        /** @description The locale chosen (the one asked for, or the fallback) */
                        locale: string;
                        /**
                         * @description What the template rendered to per channel; a channel missing here has no body and is skipped (no_template_body)
                         * @example {
                         *       "sms": {
                         *         "text": "Your code is 123456"
                         *       },
                         *       "email": {
                         *         "subject": "Your code",
                         *         "text": "Your code is 123456",
                         *         "html": "<p>Your code is <b>123456</b></p>"
                         *       }
                         *     }
                         */
                        rendered: {
                            sms?: {
                                text: string;
                            };
                            email?: {
                                subject?: string | null;
                                text: string;
                                html?: string | null;
                            };
                            telegram?: {
                                text: string;
                                parse_mode?: "HTML" | null;
                            };
                        };
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Invalid API key: it is unknown or has been revoked."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Over API_RATE_LIMIT_PER_MINUTE for this API key; the Retry-After header says when to retry */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Rate limit exceeded: at most 6000 requests a minute per API key; retry in 1 second."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
        };
    };
    listWebhooks: {
        parameters: {
            query?: {
                /** @description 1-based page number */
                page?: string;
                /** @description Default 50, at most 200 */
                page_size?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "count": 1,
                     *       "count_exact": true,
                     *       "next": null,
                     *       "previous": null,
                     *       "results": [
                     *         {
                     *           "id": 1,
                     *           "url": "https://example.com/hooks/notifications",
                     *           "description": "",
                     *           "events": [
                     *             "notification.sent",
                     *             "notification.failed"
                     *           ],
                     *           "enabled": true,
                     *           "disabled_reason": null,
                     *           "failing_since": null,
                     *           "created_at": "2026-11-30T10:00:00.000Z",
                     *           "updated_at": "2026-11-30T10:00:00.000Z"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": {
                        /** @description How many match: counted exactly up to 10,000, PostgreSQL's estimate beyond (count_exact false) */
                        count: number;
                        /** @description false when count is an estimate; next still says exactly whether another page exists */
                        count_exact: boolean;
                        next: string | null;
                        previous: string | null;
                        results: {
                            id: number;
                            url: string;
                            description: string;
                            events: string[];
                            enabled: boolean;
                            /** @description Why the service disabled it (every delivery failed for WEBHOOK_DISABLE_AFTER_DAYS) */
                            disabled_reason: string | null;
                            /** @description Since when every attempt has failed; null after a success */
                            failing_since: string | null;
                            /** Format: date-time */
                            created_at: string;
                            /** Format: date-time */
                            updated_at: string;
                        }[];
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Invalid API key: it is unknown or has been revoked."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Over API_RATE_LIMIT_PER_MINUTE for this API key; the Retry-After header says when to retry */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Rate limit exceeded: at most 6000 requests a minute per API key; retry in 1 second."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
        };
    };
    createWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "url": "https://example.com/hooks/notifications",
                 *       "events": [
                 *         "notification.sent",
                 *         "notification.failed"
                 *       ]
                 *     }
                 */
                "application/json": {
                    /** @description http(s) URL that receives a POST per event. Refused when its host resolves to a loopback, private, link-local or metadata address, unless WEBHOOK_ALLOW_PRIVATE_NETWORKS=true */
                    url: string;
                    /** @description Event types to receive: notification.sent, notification.failed, notification.cancelled, notification.expired, attempt.failed, notification.delivered, notification.undelivered, user.telegram_connected, user.unsubscribed, suppression.created, suppression.deleted; or ["*"] for all, including types added later */
                    events: string[];
                    description?: string;
                    /** @description false: no events are sent to it (true again re-enables a disabled one) */
                    enabled?: boolean;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": 1,
                     *       "url": "https://example.com/hooks/notifications",
                     *       "description": "",
                     *       "events": [
                     *         "notification.sent",
                     *         "notification.failed"
                     *       ],
                     *       "enabled": true,
                     *       "disabled_reason": null,
                     *       "failing_since": null,
                     *       "created_at": "2026-11-30T10:00:00.000Z",
                     *       "updated_at": "2026-11-30T10:00:00.000Z",
                     *       "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
                     *     }
                     */
                    "application/json": {
                        id: number;
                        url: string;
                        description: string;
                        events: string[];
                        enabled: boolean;
                        /** @description Why the service disabled it (every delivery failed for WEBHOOK_DISABLE_AFTER_DAYS) */
                        disabled_reason: string | null;
                        /** @description Since when every attempt has failed; null after a success */
                        failing_since: string | null;
                        /** Format: date-time */
                        created_at: string;
                        /** Format: date-time */
                        updated_at: string;
                        /** @description whsec_ + base64 key for verifying signatures. Shown only here (and when rotated): store it now */
                        secret: string;
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Invalid API key: it is unknown or has been revoked."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Over API_RATE_LIMIT_PER_MINUTE for this API key; the Retry-After header says when to retry */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Rate limit exceeded: at most 6000 requests a minute per API key; retry in 1 second."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
        };
    };
    getWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The id */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": 1,
                     *       "url": "https://example.com/hooks/notifications",
                     *       "description": "",
                     *       "events": [
                     *         "notification.sent",
                     *         "notification.failed"
                     *       ],
                     *       "enabled": true,
                     *       "disabled_reason": null,
                     *       "failing_since": null,
                     *       "created_at": "2026-11-30T10:00:00.000Z",
                     *       "updated_at": "2026-11-30T10:00:00.000Z"
                     *     }
                     */
                    "application/json": {
                        id: number;
                        url: string;
                        description: string;
                        events: string[];
                        enabled: boolean;
                        /** @description Why the service disabled it (every delivery failed for WEBHOOK_DISABLE_AFTER_DAYS) */
                        disabled_reason: string | null;
                        /** @description Since when every attempt has failed; null after a success */
                        failing_since: string | null;
                        /** Format: date-time */
                        created_at: string;
                        /** Format: date-time */
                        updated_at: string;
                    };
                };
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Invalid API key: it is unknown or has been revoked."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Over API_RATE_LIMIT_PER_MINUTE for this API key; the Retry-After header says when to retry */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Rate limit exceeded: at most 6000 requests a minute per API key; retry in 1 second."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
        };
    };
    deleteWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The id */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Invalid API key: it is unknown or has been revoked."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Over API_RATE_LIMIT_PER_MINUTE for this API key; the Retry-After header says when to retry */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Rate limit exceeded: at most 6000 requests a minute per API key; retry in 1 second."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
        };
    };
    updateWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The id */
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "enabled": true
                 *     }
                 */
                "application/json": {
                    /** @description http(s) URL that receives a POST per event. Refused when its host resolves to a loopback, private, link-local or metadata address, unless WEBHOOK_ALLOW_PRIVATE_NETWORKS=true */
                    url?: string;
                    /** @description Event types to receive: notification.sent, notification.failed, notification.cancelled, notification.expired, attempt.failed, notification.delivered, notification.undelivered, user.telegram_connected, user.unsubscribed, suppression.created, suppression.deleted; or ["*"] for all, including types added later */
                    events?: string[];
                    description?: string;
                    /** @description false: no events are sent to it (true again re-enables a disabled one) */
                    enabled?: boolean;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": 1,
                     *       "url": "https://example.com/hooks/notifications",
                     *       "description": "",
                     *       "events": [
                     *         "notification.sent",
                     *         "notification.failed"
                     *       ],
                     *       "enabled": true,
                     *       "disabled_reason": null,
                     *       "failing_since": null,
                     *       "created_at": "2026-11-30T10:00:00.000Z",
                     *       "updated_at": "2026-11-30T10:00:00.000Z"
                     *     }
                     */
                    "application/json": {
                        id: number;
                        url: string;
                        description: string;
                        events: string[];
                        enabled: boolean;
                        /** @description Why the service disabled it (every delivery failed for WEBHOOK_DISABLE_AFTER_DAYS) */
                        disabled_reason: string | null;
                        /** @description Since when every attempt has failed; null after a success */
                        failing_since: string | null;
                        /** Format: date-time */
                        created_at: string;
                        /** Format: date-time */
                        updated_at: string;
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Invalid API key: it is unknown or has been revoked."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Over API_RATE_LIMIT_PER_MINUTE for this API key; the Retry-After header says when to retry */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Rate limit exceeded: at most 6000 requests a minute per API key; retry in 1 second."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
        };
    };
    rotateWebhookSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The id */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": 1,
                     *       "url": "https://example.com/hooks/notifications",
                     *       "description": "",
                     *       "events": [
                     *         "notification.sent",
                     *         "notification.failed"
                     *       ],
                     *       "enabled": true,
                     *       "disabled_reason": null,
                     *       "failing_since": null,
                     *       "created_at": "2026-11-30T10:00:00.000Z",
                     *       "updated_at": "2026-11-30T10:00:00.000Z",
                     *       "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
                     *     }
                     */
                    "application/json": {
                        id: number;
                        url: string;
                        description: string;
                        events: string[];
                        enabled: boolean;
                        /** @description Why the service disabled it (every delivery failed for WEBHOOK_DISABLE_AFTER_DAYS) */
                        disabled_reason: string | null;
                        /** @description Since when every attempt has failed; null after a success */
                        failing_since: string | null;
                        /** Format: date-time */
                        created_at: string;
                        /** Format: date-time */
                        updated_at: string;
                        /** @description whsec_ + base64 key for verifying signatures. Shown only here (and when rotated): store it now */
                        secret: string;
                    };
                };
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Invalid API key: it is unknown or has been revoked."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Over API_RATE_LIMIT_PER_MINUTE for this API key; the Retry-After header says when to retry */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Rate limit exceeded: at most 6000 requests a minute per API key; retry in 1 second."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
        };
    };
    listWebhookDeliveries: {
        parameters: {
            query?: {
                /**
                 * @description Only those with a smaller id (older). Pass the last id of a page to read the next one: each page then costs the same however deep, and rows created meanwhile never repeat
                 * @example 1041
                 */
                before?: string;
                /** @description 1-based page number */
                page?: string;
                /** @description Default 50, at most 200 */
                page_size?: string;
            };
            header?: never;
            path: {
                /** @description The id */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "count": 1,
                     *       "count_exact": true,
                     *       "next": null,
                     *       "previous": null,
                     *       "results": [
                     *         {
                     *           "id": 7,
                     *           "event_id": "msg_2Yf8kQ1nZr4tXo0bL3cV9a",
                     *           "event_type": "notification.sent",
                     *           "status": "succeeded",
                     *           "attempt_count": 1,
                     *           "next_attempt_at": null,
                     *           "created_at": "2026-11-30T10:00:01.000Z",
                     *           "finished_at": "2026-11-30T10:00:01.210Z",
                     *           "attempts": [
                     *             {
                     *               "attempted_at": "2026-11-30T10:00:01.020Z",
                     *               "response_status": 200,
                     *               "response_body": "ok",
                     *               "error": null,
                     *               "duration_ms": 190
                     *             }
                     *           ]
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": {
                        /** @description How many match: counted exactly up to 10,000, PostgreSQL's estimate beyond (count_exact false) */
                        count: number;
                        /** @description false when count is an estimate; next still says exactly whether another page exists */
                        count_exact: boolean;
                        next: string | null;
                        previous: string | null;
                        results: {
                            id: number;
                            /** @description The webhook-id header: the same on every attempt and replay */
                            event_id: string;
                            event_type: string;
                            /** @enum {unknown} */
                            status: "pending" | "succeeded" | "failed";
                            /** @description Attempts since it was created or last replayed */
                            attempt_count: number;
                            /** @description While pending: when it is sent next */
                            next_attempt_at: string | null;
                            /** Format: date-time */
                            created_at: string;
                            finished_at: string | null;
                            /** @description Every attempt, oldest first */
                            attempts: {
                                /** Format: date-time */
                                attempted_at: string;
                                /** @description The endpoint's HTTP status; null when it gave none */
                                response_status: number | null;
                                /** @description The first 1 KB of its answer */
                                response_body: string | null;
                                error: string | null;
                                duration_ms: number;
                            }[];
                        }[];
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Invalid API key: it is unknown or has been revoked."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Over API_RATE_LIMIT_PER_MINUTE for this API key; the Retry-After header says when to retry */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Rate limit exceeded: at most 6000 requests a minute per API key; retry in 1 second."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
        };
    };
    replayWebhookDelivery: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The webhook's id */
                id: number;
                /** @description The delivery's id */
                delivery_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": 7,
                     *       "event_id": "msg_2Yf8kQ1nZr4tXo0bL3cV9a",
                     *       "event_type": "notification.sent",
                     *       "status": "succeeded",
                     *       "attempt_count": 1,
                     *       "next_attempt_at": null,
                     *       "created_at": "2026-11-30T10:00:01.000Z",
                     *       "finished_at": "2026-11-30T10:00:01.210Z",
                     *       "attempts": [
                     *         {
                     *           "attempted_at": "2026-11-30T10:00:01.020Z",
                     *           "response_status": 200,
                     *           "response_body": "ok",
                     *           "error": null,
                     *           "duration_ms": 190
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": {
                        id: number;
                        /** @description The webhook-id header: the same on every attempt and replay */
                        event_id: string;
                        event_type: string;
                        /** @enum {unknown} */
                        status: "pending" | "succeeded" | "failed";
                        /** @description Attempts since it was created or last replayed */
                        attempt_count: number;
                        /** @description While pending: when it is sent next */
                        next_attempt_at: string | null;
                        /** Format: date-time */
                        created_at: string;
                        finished_at: string | null;
                        /** @description Every attempt, oldest first */
                        attempts: {
                            /** Format: date-time */
                            attempted_at: string;
                            /** @description The endpoint's HTTP status; null when it gave none */
                            response_status: number | null;
                            /** @description The first 1 KB of its answer */
                            response_body: string | null;
                            error: string | null;
                            duration_ms: number;
                        }[];
                    };
                };
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Invalid API key: it is unknown or has been revoked."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Over API_RATE_LIMIT_PER_MINUTE for this API key; the Retry-After header says when to retry */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Rate limit exceeded: at most 6000 requests a minute per API key; retry in 1 second."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
        };
    };
    testWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The id */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": 7,
                     *       "event_id": "msg_2Yf8kQ1nZr4tXo0bL3cV9a",
                     *       "event_type": "notification.sent",
                     *       "status": "succeeded",
                     *       "attempt_count": 1,
                     *       "next_attempt_at": null,
                     *       "created_at": "2026-11-30T10:00:01.000Z",
                     *       "finished_at": "2026-11-30T10:00:01.210Z",
                     *       "attempts": [
                     *         {
                     *           "attempted_at": "2026-11-30T10:00:01.020Z",
                     *           "response_status": 200,
                     *           "response_body": "ok",
                     *           "error": null,
                     *           "duration_ms": 190
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": {
                        id: number;
                        /** @description The webhook-id header: the same on every attempt and replay */
                        event_id: string;
                        event_type: string;
                        /** @enum {unknown} */
                        status: "pending" | "succeeded" | "failed";
                        /** @description Attempts since it was created or last replayed */
                        attempt_count: number;
                        /** @description While pending: when it is sent next */
                        next_attempt_at: string | null;
                        /** Format: date-time */
                        created_at: string;
                        finished_at: string | null;
                        /** @description Every attempt, oldest first */
                        attempts: {
                            /** Format: date-time */
                            attempted_at: string;
                            /** @description The endpoint's HTTP status; null when it gave none */
                            response_status: number | null;
                            /** @description The first 1 KB of its answer */
                            response_body: string | null;
                            error: string | null;
                            duration_ms: number;
                        }[];
                    };
                };
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Invalid API key: it is unknown or has been revoked."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Over API_RATE_LIMIT_PER_MINUTE for this API key; the Retry-After header says when to retry */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Rate limit exceeded: at most 6000 requests a minute per API key; retry in 1 second."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
        };
    };
    listBroadcasts: {
        parameters: {
            query?: {
                /** @description 1-based page number */
                page?: string;
                /** @description Default 50, at most 200 */
                page_size?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "count": 1,
                     *       "count_exact": true,
                     *       "next": null,
                     *       "previous": null,
                     *       "results": [
                     *         {
                     *           "id": 7,
                     *           "status": "fanning_out",
                     *           "all_users": false,
                     *           "total": 3,
                     *           "fanned_out": 2,
                     *           "counts": {
                     *             "pending": 1,
                     *             "sent": 1,
                     *             "failed": 0,
                     *             "cancelled": 0,
                     *             "expired": 0
                     *           },
                     *           "unknown_users": [
                     *             999
                     *           ],
                     *           "unknown_user_count": 1,
                     *           "message": "We are down for maintenance at 02:00 UTC",
                     *           "subject": null,
                     *           "channels": null,
                     *           "template": null,
                     *           "data": null,
                     *           "category": "service",
                     *           "metadata": null,
                     *           "priority": "normal",
                     *           "send_at": null,
                     *           "expires_at": null,
                     *           "created_at": "2026-12-01T10:00:00.000Z",
                     *           "finished_at": null
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": {
                        /** @description How many match: counted exactly up to 10,000, PostgreSQL's estimate beyond (count_exact false) */
                        count: number;
                        /** @description false when count is an estimate; next still says exactly whether another page exists */
                        count_exact: boolean;
                        next: string | null;
                        previous: string | null;
                        results: {
                            id: number;
                            /**
                             * @description pending: not fanned out yet (or waiting for send_at); fanning_out: notifications being created in batches; done: every recipient has one; cancelled
                             * @enum {unknown}
                             */
                            status: "pending" | "fanning_out" | "done" | "cancelled";
                            all_users: boolean;
                            /** @description Distinct known users it goes to */
                            total: number;
                            /** @description Recipients whose notification has been created so far */
                            fanned_out: number;
                            /** @description Its notifications by status (counted from an index of the broadcast's own notifications) */
                            counts: {
                                pending: number;
                                sent: number;
                                failed: number;
                                cancelled: number;
                                expired: number;
                            };
                            /** @description Ids given that are no user (the first 100); they were skipped */
                            unknown_users: number[];
                            /** @description How many ids given were no user */
                            unknown_user_count: number;
                            message: string | null;
                            subject: string | null;
                            channels: string[] | null;
                            template: string | null;
                            data: {
                                [key: string]: unknown;
                            } | null;
                            category: string | null;
                            /**
                             * @description Your own labels, as given; null when none
                             * @example {
                             *       "order_id": "A-1042"
                             *     }
                             */
                            metadata: {
                                [key: string]: string;
                            } | null;
                            /** @enum {unknown} */
                            priority: "normal" | "critical";
                            send_at: string | null;
                            expires_at: string | null;
                            /** Format: date-time */
                            created_at: string;
                            finished_at: string | null;
                        }[];
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Invalid API key: it is unknown or has been revoked."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Over API_RATE_LIMIT_PER_MINUTE for this API key; the Retry-After header says when to retry */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Rate limit exceeded: at most 6000 requests a minute per API key; retry in 1 second."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
        };
    };
    createBroadcast: {
        parameters: {
            query?: never;
            header?: {
                /** @description 1-255 printable ASCII characters, unique per notification you mean to send (e.g. a UUID). A retry with the same key and body returns the first notification (same id, header Idempotent-Replayed: true) and sends nothing again; the same key with another body is a 409. Keys are per API key and remembered IDEMPOTENCY_TTL_HOURS (24 h). */
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description The recipients' user ids (at most 100000; duplicates are removed, unknown ids are reported in unknown_users and skipped). Not with all_users. */
                    users?: number[];
                    /** @description true: every user that exists when the broadcast is created. Not with users. */
                    all_users?: boolean;
                    /** @description The text to deliver (at most MAX_MESSAGE_LENGTH characters). Required unless template is given; not both. */
                    message?: string | null;
                    /**
                     * @description The key of a template to render instead of message: rendered now, for every channel the notification may use, in the user's locale (else the template's default_locale). A missing variable, an unknown filter or a render error is a 400 and nothing is stored.
                     * @example otp
                     */
                    template?: string | null;
                    /**
                     * @description The template's `data` variables (at most 16 KB of JSON); only with template
                     * @example {
                     *       "code": "123456",
                     *       "minutes": 10
                     *     }
                     */
                    data?: {
                        [key: string]: unknown;
                    } | null;
                    send_at?: string | null;
                    expires_at?: string | null;
                    /**
                     * @description expires_at as seconds from now. Not with expires_at.
                     * @example 600
                     */
                    ttl_seconds?: number | null;
                    /** @description critical: delivered even inside the user's quiet hours (never after its expiry). Default normal. */
                    priority?: ("normal" | "critical") | null;
                    /** @description Email subject */
                    subject?: string | null;
                    /**
                     * @description What kind of message it is: a slug of lower-case letters, digits, "-" and "_" (e.g. security, marketing, billing). The user's preferences for the category apply (unless priority is critical or the category is in CRITICAL_CATEGORIES), and its emails carry a one-click unsubscribe link when PUBLIC_URL is set.
                     * @example marketing
                     */
                    category?: string | null;
                    /** @description Ordered channels to try instead of CHANNEL_ORDER: a subset of sms, email, telegram */
                    channels?: string[] | null;
                    /**
                     * @example {
                     *       "order_id": "A-1042"
                     *     }
                     */
                    metadata?: {
                        [key: string]: string;
                    } | null;
                };
            };
        };
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": 7,
                     *       "status": "fanning_out",
                     *       "all_users": false,
                     *       "total": 3,
                     *       "fanned_out": 2,
                     *       "counts": {
                     *         "pending": 1,
                     *         "sent": 1,
                     *         "failed": 0,
                     *         "cancelled": 0,
                     *         "expired": 0
                     *       },
                     *       "unknown_users": [
                     *         999
                     *       ],
                     *       "unknown_user_count": 1,
                     *       "message": "We are down for maintenance at 02:00 UTC",
                     *       "subject": null,
                     *       "channels": null,
                     *       "template": null,
                     *       "data": null,
                     *       "category": "service",
                     *       "metadata": null,
                     *       "priority": "normal",
                     *       "send_at": null,
                     *       "expires_at": null,
                     *       "created_at": "2026-12-01T10:00:00.000Z",
                     *       "finished_at": null
                     *     }
                     */
                    "application/json": {
                        id: number;
                        /**
                         * @description pending: not fanned out yet (or waiting for send_at); fanning_out: notifications being created in batches; done: every recipient has one; cancelled
                         * @enum {unknown}
                         */
                        status: "pending" | "fanning_out" | "done" | "cancelled";
                        all_users: boolean;
                        /** @description Distinct known users it goes to */
                        total: number;
                        /** @description Recipients whose notification has been created so far */
                        fanned_out: number;
                        /** @description Its notifications by status (counted from an index of the broadcast's own notifications) */
                        counts: {
                            pending: number;
                            sent: number;
                            failed: number;
                            cancelled: number;
                            expired: number;
                        };
                        /** @description Ids given that are no user (the first 100); they were skipped */
                        unknown_users: number[];
                        /** @description How many ids given were no user */
                        unknown_user_count: number;
                        message: string | null;
                        subject: string | null;
                        channels: string[] | null;
                        template: string | null;
                        data: {
                            [key: string]: unknown;
                        } | null;
                        category: string | null;
                        /**
                         * @description Your own labels, as given; null when none
                         * @example {
                         *       "order_id": "A-1042"
                         *     }
                         */
                        metadata: {
                            [key: string]: string;
                        } | null;
                        /** @enum {unknown} */
                        priority: "normal" | "critical";
                        send_at: string | null;
                        expires_at: string | null;
                        /** Format: date-time */
                        created_at: string;
                        finished_at: string | null;
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Invalid API key: it is unknown or has been revoked."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Over API_RATE_LIMIT_PER_MINUTE for this API key; the Retry-After header says when to retry */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Rate limit exceeded: at most 6000 requests a minute per API key; retry in 1 second."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
        };
    };
    getBroadcast: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The id */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": 7,
                     *       "status": "fanning_out",
                     *       "all_users": false,
                     *       "total": 3,
                     *       "fanned_out": 2,
                     *       "counts": {
                     *         "pending": 1,
                     *         "sent": 1,
                     *         "failed": 0,
                     *         "cancelled": 0,
                     *         "expired": 0
                     *       },
                     *       "unknown_users": [
                     *         999
                     *       ],
                     *       "unknown_user_count": 1,
                     *       "message": "We are down for maintenance at 02:00 UTC",
                     *       "subject": null,
                     *       "channels": null,
                     *       "template": null,
                     *       "data": null,
                     *       "category": "service",
                     *       "metadata": null,
                     *       "priority": "normal",
                     *       "send_at": null,
                     *       "expires_at": null,
                     *       "created_at": "2026-12-01T10:00:00.000Z",
                     *       "finished_at": null
                     *     }
                     */
                    "application/json": {
                        id: number;
                        /**
                         * @description pending: not fanned out yet (or waiting for send_at); fanning_out: notifications being created in batches; done: every recipient has one; cancelled
                         * @enum {unknown}
                         */
                        status: "pending" | "fanning_out" | "done" | "cancelled";
                        all_users: boolean;
                        /** @description Distinct known users it goes to */
                        total: number;
                        /** @description Recipients whose notification has been created so far */
                        fanned_out: number;
                        /** @description Its notifications by status (counted from an index of the broadcast's own notifications) */
                        counts: {
                            pending: number;
                            sent: number;
                            failed: number;
                            cancelled: number;
                            expired: number;
                        };
                        /** @description Ids given that are no user (the first 100); they were skipped */
                        unknown_users: number[];
                        /** @description How many ids given were no user */
                        unknown_user_count: number;
                        message: string | null;
                        subject: string | null;
                        channels: string[] | null;
                        template: string | null;
                        data: {
                            [key: string]: unknown;
                        } | null;
                        category: string | null;
                        /**
                         * @description Your own labels, as given; null when none
                         * @example {
                         *       "order_id": "A-1042"
                         *     }
                         */
                        metadata: {
                            [key: string]: string;
                        } | null;
                        /** @enum {unknown} */
                        priority: "normal" | "critical";
                        send_at: string | null;
                        expires_at: string | null;
                        /** Format: date-time */
                        created_at: string;
                        finished_at: string | null;
                    };
                };
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Invalid API key: it is unknown or has been revoked."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Over API_RATE_LIMIT_PER_MINUTE for this API key; the Retry-After header says when to retry */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Rate limit exceeded: at most 6000 requests a minute per API key; retry in 1 second."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
        };
    };
    cancelBroadcast: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The id */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": 7,
                     *       "status": "fanning_out",
                     *       "all_users": false,
                     *       "total": 3,
                     *       "fanned_out": 2,
                     *       "counts": {
                     *         "pending": 1,
                     *         "sent": 1,
                     *         "failed": 0,
                     *         "cancelled": 0,
                     *         "expired": 0
                     *       },
                     *       "unknown_users": [
                     *         999
                     *       ],
                     *       "unknown_user_count": 1,
                     *       "message": "We are down for maintenance at 02:00 UTC",
                     *       "subject": null,
                     *       "channels": null,
                     *       "template": null,
                     *       "data": null,
                     *       "category": "service",
                     *       "metadata": null,
                     *       "priority": "normal",
                     *       "send_at": null,
                     *       "expires_at": null,
                     *       "created_at": "2026-12-01T10:00:00.000Z",
                     *       "finished_at": null
                     *     }
                     */
                    "application/json": {
                        id: number;
                        /**
                         * @description pending: not fanned out yet (or waiting for send_at); fanning_out: notifications being created in batches; done: every recipient has one; cancelled
                         * @enum {unknown}
                         */
                        status: "pending" | "fanning_out" | "done" | "cancelled";
                        all_users: boolean;
                        /** @description Distinct known users it goes to */
                        total: number;
                        /** @description Recipients whose notification has been created so far */
                        fanned_out: number;
                        /** @description Its notifications by status (counted from an index of the broadcast's own notifications) */
                        counts: {
                            pending: number;
                            sent: number;
                            failed: number;
                            cancelled: number;
                            expired: number;
                        };
                        /** @description Ids given that are no user (the first 100); they were skipped */
                        unknown_users: number[];
                        /** @description How many ids given were no user */
                        unknown_user_count: number;
                        message: string | null;
                        subject: string | null;
                        channels: string[] | null;
                        template: string | null;
                        data: {
                            [key: string]: unknown;
                        } | null;
                        category: string | null;
                        /**
                         * @description Your own labels, as given; null when none
                         * @example {
                         *       "order_id": "A-1042"
                         *     }
                         */
                        metadata: {
                            [key: string]: string;
                        } | null;
                        /** @enum {unknown} */
                        priority: "normal" | "critical";
                        send_at: string | null;
                        expires_at: string | null;
                        /** Format: date-time */
                        created_at: string;
                        finished_at: string | null;
                    };
                };
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Invalid API key: it is unknown or has been revoked."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Over API_RATE_LIMIT_PER_MINUTE for this API key; the Retry-After header says when to retry */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Rate limit exceeded: at most 6000 requests a minute per API key; retry in 1 second."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
        };
    };
    getPreferences: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The id */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "channels": {
                     *         "sms": false
                     *       },
                     *       "categories": {
                     *         "marketing": {
                     *           "email": false,
                     *           "telegram": false
                     *         }
                     *       }
                     *     }
                     */
                    "application/json": {
                        /** @description false turns a channel off; a channel left out is allowed */
                        channels: {
                            sms?: boolean;
                            email?: boolean;
                            telegram?: boolean;
                        };
                        categories: {
                            [key: string]: {
                                sms?: boolean;
                                email?: boolean;
                                telegram?: boolean;
                            };
                        };
                    };
                };
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Invalid API key: it is unknown or has been revoked."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Over API_RATE_LIMIT_PER_MINUTE for this API key; the Retry-After header says when to retry */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Rate limit exceeded: at most 6000 requests a minute per API key; retry in 1 second."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
        };
    };
    replacePreferences: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The id */
                id: number;
            };
            cookie?: never;
        };
        /** @description The channels the user turned off, everywhere (channels) or for one category (categories). Anything not set is allowed. A channel turned off is skipped with reason preference, except for critical notifications (priority critical, or a category in CRITICAL_CATEGORIES). */
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "channels": {
                 *         "sms": false
                 *       },
                 *       "categories": {
                 *         "marketing": {
                 *           "email": false,
                 *           "telegram": false
                 *         }
                 *       }
                 *     }
                 */
                "application/json": {
                    /** @description false turns a channel off; a channel left out is allowed */
                    channels?: {
                        sms?: boolean;
                        email?: boolean;
                        telegram?: boolean;
                    };
                    /** @description Per category (a notification's category slug): the channels turned off for it */
                    categories?: {
                        [key: string]: {
                            sms?: boolean;
                            email?: boolean;
                            telegram?: boolean;
                        };
                    };
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "channels": {
                     *         "sms": false
                     *       },
                     *       "categories": {
                     *         "marketing": {
                     *           "email": false,
                     *           "telegram": false
                     *         }
                     *       }
                     *     }
                     */
                    "application/json": {
                        /** @description false turns a channel off; a channel left out is allowed */
                        channels: {
                            sms?: boolean;
                            email?: boolean;
                            telegram?: boolean;
                        };
                        categories: {
                            [key: string]: {
                                sms?: boolean;
                                email?: boolean;
                                telegram?: boolean;
                            };
                        };
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Invalid API key: it is unknown or has been revoked."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Over API_RATE_LIMIT_PER_MINUTE for this API key; the Retry-After header says when to retry */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Rate limit exceeded: at most 6000 requests a minute per API key; retry in 1 second."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
        };
    };
    listSuppressions: {
        parameters: {
            query?: {
                /** @description Only this channel: sms, email, telegram */
                channel?: string;
                /**
                 * @description Only this address, however it is spelled (it is normalised as contacts are)
                 * @example +7 999 000-11-22
                 */
                address?: string;
                /** @description Only the addresses this user has */
                user?: string;
                /**
                 * @description Only those with a smaller id (older). Pass the last id of a page to read the next one: each page then costs the same however deep, and rows created meanwhile never repeat
                 * @example 1041
                 */
                before?: string;
                /** @description 1-based page number */
                page?: string;
                /** @description Default 50, at most 200 */
                page_size?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "count": 1,
                     *       "count_exact": true,
                     *       "next": null,
                     *       "previous": null,
                     *       "results": [
                     *         {
                     *           "id": 3,
                     *           "channel": "telegram",
                     *           "address": "123456789",
                     *           "reason": "bot_blocked",
                     *           "source": "delivery",
                     *           "evidence": {
                     *             "provider_code": "403",
                     *             "text": "Forbidden: bot was blocked by the user",
                     *             "notification_id": 41,
                     *             "attempt_id": 77
                     *           },
                     *           "created_at": "2026-12-01T09:00:00.000Z"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": {
                        /** @description How many match: counted exactly up to 10,000, PostgreSQL's estimate beyond (count_exact false) */
                        count: number;
                        /** @description false when count is an estimate; next still says exactly whether another page exists */
                        count_exact: boolean;
                        next: string | null;
                        previous: string | null;
                        results: {
                            id: number;
                            /** @enum {unknown} */
                            channel: "sms" | "email" | "telegram";
                            /** @description As normalised: E.164 for sms, lower case for email, the chat id for telegram */
                            address: string;
                            /**
                             * @description bot_blocked (Telegram 403: bot blocked, user deactivated), hard_bounce (SMTP 550/551/553 to RCPT TO), invalid_number (SMS.ru 202/207), unsubscribed, manual
                             * @enum {unknown}
                             */
                            reason: "bot_blocked" | "hard_bounce" | "invalid_number" | "unsubscribed" | "manual";
                            /**
                             * @description delivery: added by the worker on the provider's reply; api, cli: by hand
                             * @enum {unknown}
                             */
                            source: "delivery" | "api" | "cli";
                            /** @description From a delivery: provider_code, text (the provider's reply), notification_id, attempt_id. By hand: the note given. */
                            evidence: {
                                [key: string]: unknown;
                            } | null;
                            /** Format: date-time */
                            created_at: string;
                        }[];
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Invalid API key: it is unknown or has been revoked."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Over API_RATE_LIMIT_PER_MINUTE for this API key; the Retry-After header says when to retry */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Rate limit exceeded: at most 6000 requests a minute per API key; retry in 1 second."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
        };
    };
    addSuppression: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "channel": "email",
                 *       "address": "bob@example.com",
                 *       "reason": "manual",
                 *       "note": "asked by phone"
                 *     }
                 */
                "application/json": {
                    /** @description sms, email, telegram */
                    channel: string;
                    /** @description A phone number, an email address or a chat id */
                    address: string;
                    /** @description One of bot_blocked, hard_bounce, invalid_number, unsubscribed, manual; default manual */
                    reason?: string | null;
                    /** @description Why, for the people reading the list */
                    note?: string | null;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": 3,
                     *       "channel": "telegram",
                     *       "address": "123456789",
                     *       "reason": "bot_blocked",
                     *       "source": "delivery",
                     *       "evidence": {
                     *         "provider_code": "403",
                     *         "text": "Forbidden: bot was blocked by the user",
                     *         "notification_id": 41,
                     *         "attempt_id": 77
                     *       },
                     *       "created_at": "2026-12-01T09:00:00.000Z"
                     *     }
                     */
                    "application/json": {
                        id: number;
                        /** @enum {unknown} */
                        channel: "sms" | "email" | "telegram";
                        /** @description As normalised: E.164 for sms, lower case for email, the chat id for telegram */
                        address: string;
                        /**
                         * @description bot_blocked (Telegram 403: bot blocked, user deactivated), hard_bounce (SMTP 550/551/553 to RCPT TO), invalid_number (SMS.ru 202/207), unsubscribed, manual
                         * @enum {unknown}
                         */
                        reason: "bot_blocked" | "hard_bounce" | "invalid_number" | "unsubscribed" | "manual";
                        /**
                         * @description delivery: added by the worker on the provider's reply; api, cli: by hand
                         * @enum {unknown}
                         */
                        source: "delivery" | "api" | "cli";
                        /** @description From a delivery: provider_code, text (the provider's reply), notification_id, attempt_id. By hand: the note given. */
                        evidence: {
                            [key: string]: unknown;
                        } | null;
                        /** Format: date-time */
                        created_at: string;
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Invalid API key: it is unknown or has been revoked."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Over API_RATE_LIMIT_PER_MINUTE for this API key; the Retry-After header says when to retry */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Rate limit exceeded: at most 6000 requests a minute per API key; retry in 1 second."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
        };
    };
    removeSuppression: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The id */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": 3,
                     *       "channel": "telegram",
                     *       "address": "123456789",
                     *       "reason": "bot_blocked",
                     *       "source": "delivery",
                     *       "evidence": {
                     *         "provider_code": "403",
                     *         "text": "Forbidden: bot was blocked by the user",
                     *         "notification_id": 41,
                     *         "attempt_id": 77
                     *       },
                     *       "created_at": "2026-12-01T09:00:00.000Z"
                     *     }
                     */
                    "application/json": {
                        id: number;
                        /** @enum {unknown} */
                        channel: "sms" | "email" | "telegram";
                        /** @description As normalised: E.164 for sms, lower case for email, the chat id for telegram */
                        address: string;
                        /**
                         * @description bot_blocked (Telegram 403: bot blocked, user deactivated), hard_bounce (SMTP 550/551/553 to RCPT TO), invalid_number (SMS.ru 202/207), unsubscribed, manual
                         * @enum {unknown}
                         */
                        reason: "bot_blocked" | "hard_bounce" | "invalid_number" | "unsubscribed" | "manual";
                        /**
                         * @description delivery: added by the worker on the provider's reply; api, cli: by hand
                         * @enum {unknown}
                         */
                        source: "delivery" | "api" | "cli";
                        /** @description From a delivery: provider_code, text (the provider's reply), notification_id, attempt_id. By hand: the note given. */
                        evidence: {
                            [key: string]: unknown;
                        } | null;
                        /** Format: date-time */
                        created_at: string;
                    };
                };
            };
            /** @description No API key, or one that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Invalid API key: it is unknown or has been revoked."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Either {"detail": "..."} or {"field": ["what is wrong", ...]} */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Over API_RATE_LIMIT_PER_MINUTE for this API key; the Retry-After header says when to retry */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Rate limit exceeded: at most 6000 requests a minute per API key; retry in 1 second."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
        };
    };
    unsubscribePage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The token of the List-Unsubscribe link */
                token: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The page with the button */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example <!doctype html>
                     *     <html lang="en"><head><title>The page with the button</title></head><body>...</body></html>
                     */
                    "text/html": string;
                };
            };
            /** @description The link is not valid */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example <!doctype html>
                     *     <html lang="en"><head><title>The link is not valid</title></head><body>...</body></html>
                     */
                    "text/html": string;
                };
            };
        };
    };
    unsubscribe: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The token of the List-Unsubscribe link */
                token: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Unsubscribed */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example <!doctype html>
                     *     <html lang="en"><head><title>Unsubscribed</title></head><body>...</body></html>
                     */
                    "text/html": string;
                };
            };
            /** @description The link is not valid; nothing changed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example <!doctype html>
                     *     <html lang="en"><head><title>The link is not valid; nothing changed</title></head><body>...</body></html>
                     */
                    "text/html": string;
                };
            };
        };
    };
    smsRuStatusCallback: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description SMS_RU_CALLBACK_TOKEN */
                token: string;
            };
            cookie?: never;
        };
        /** @description An SMS.ru callback: fields data[0], data[1], ..., each lines joined by "\n": the event type (sms_status), the sms_id, the status code (as in /sms/status) and the Unix time of the change. Other event types are ignored. */
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "data[0]": "sms_status\n000000-000001\n103\n1764720000",
                 *       "data[1]": "sms_status\n000000-000002\n102\n1764720003"
                 *     }
                 */
                "application/x-www-form-urlencoded": {
                    [key: string]: string;
                };
            };
        };
        responses: {
            /** @description Taken (SMS.ru stops repeating it) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /** @example 100 */
                    "text/plain": string;
                };
            };
            /** @description Not an SMS.ru callback; nothing was recorded */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Not an SMS.ru callback: the body must be a form (application/x-www-form-urlencoded) of fields data[0], data[1], ..., each the lines of one event: its type (sms_status), the sms_id and the status code."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
            /** @description Wrong token, or no SMS_RU_CALLBACK_TOKEN configured (as for an unknown path) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "detail": "Not found."
                     *     }
                     */
                    "application/json": {
                        detail?: string;
                    } & {
                        [key: string]: string[];
                    };
                };
            };
        };
    };
}
