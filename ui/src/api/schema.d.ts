// Why: the Vigil API as TypeScript types, generated from openapi.json by `npm run gen:api`. Do not edit by hand.
/* eslint-disable */
export interface paths {
    "/api/v1/alerts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Alerts, newest first. */
        get: operations["get_alerts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/alerts/{id}/ack": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Acknowledge an alert. Idempotent: the first acknowledgement (time and token name) stays.
         *     Publishes `alert:acknowledged`.
         */
        post: operations["post_alerts_id_ack"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/alerts/ack": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Acknowledge many alerts in one call: by ids, by a filter (`camera_id`, `severity`, `type`,
         *     `before`), or `all`; a body naming none acknowledges none. Publishes `alert:acknowledged` for
         *     each.
         */
        post: operations["post_alerts_ack"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The audit log, newest first. */
        get: operations["get_audit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit/export.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The audit log as CSV (the same filters; newest first). */
        get: operations["get_audit_export_csv"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/lock": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * The desk was locked (the live grid stays, read-only, until someone signs in): for the audit
         *     log.
         */
        post: operations["post_auth_lock"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign in. Wrong or unknown credentials: 401 `AUTH_CREDENTIALS_INVALID`; too many failures
         *     for this username or address: 429 `RATE_LIMIT_EXCEEDED` with `Retry-After`.
         */
        post: operations["post_auth_login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sign out: ends this session (its access and refresh tokens) and closes its sockets. */
        post: operations["post_auth_logout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller: user or token, role, permissions and cameras. */
        get: operations["get_auth_me"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/reauth": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Enter the password again: admin routes (users, tokens, the audit log) answer 403
         *     `AUTH_REAUTH_REQUIRED` to a signed-in admin whose last password entry is over five minutes old.
         */
        post: operations["post_auth_reauth"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Spend a refresh token for a new access and refresh token. */
        post: operations["post_auth_refresh"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/setup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * First run: create the first admin with the one-time set-up link's code (printed by
         *     `vigil serve` while nobody has an account), and sign them in.
         */
        post: operations["post_auth_setup"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/unlock": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** The desk was unlocked by the caller (who has just signed in): for the audit log. */
        post: operations["post_auth_unlock"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/bookmarks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete a bookmark: its author's or, for an admin, anyone's. */
        delete: operations["delete_bookmarks_id"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/cameras": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the cameras in service (and, with `include_removed`, those deleted with their footage kept). */
        get: operations["get_cameras"];
        put?: never;
        /** Register a camera. The password is stored in the credential store and never returned. */
        post: operations["post_cameras"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/cameras/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One camera. */
        get: operations["get_cameras_id"];
        put?: never;
        post?: never;
        /**
         * Remove a camera and its stored password, with its recordings or keeping them
         *     (`keep_footage`). Deleting a camera's footage also needs `recording:delete`.
         */
        delete: operations["delete_cameras_id"];
        options?: never;
        head?: never;
        /** Change some fields; absent fields are kept, `null` clears optional ones. */
        patch: operations["patch_cameras_id"];
        trace?: never;
    };
    "/api/v1/cameras/{id}/bookmarks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Bookmarks of a camera in a window (default: the last 24 h). */
        get: operations["get_cameras_id_bookmarks"];
        put?: never;
        /** Mark a moment (or a span with `end`) on a camera's timeline. */
        post: operations["post_cameras_id_bookmarks"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/cameras/{id}/detection": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** What the camera detects and where (defaults until set). */
        get: operations["get_cameras_id_detection"];
        /**
         * Replace the camera's detection settings: a sub-stream for detection, labels, least score,
         *     box sizes, include/exclude zones. A running detector restarts with them.
         */
        put: operations["put_cameras_id_detection"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/cameras/{id}/hls/init/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An init segment named by the live playlist (`{generation}.mp4`). */
        get: operations["get_cameras_id_hls_init_name"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/cameras/{id}/hls/live.m3u8": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Live HLS (fMP4 segments of ~2 s, the newest `HLS_MAX_SEGMENTS` kept). The first request waits
         *     for the first segment.
         */
        get: operations["get_cameras_id_hls_live_m3u8"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/cameras/{id}/hls/segment/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A media segment named by the live playlist (`{sequence}.m4s`). */
        get: operations["get_cameras_id_hls_segment_name"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/cameras/{id}/probe": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Test a saved camera's source with its stored credentials. */
        post: operations["post_cameras_id_probe"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/cameras/{id}/ptz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * What the camera offers to steer: its presets. `PTZ_UNSUPPORTED` (409) for a camera that is
         *     not ONVIF or has no PTZ service — the UI shows no PTZ pad for it.
         */
        get: operations["get_cameras_id_ptz"];
        put?: never;
        /**
         * Steer the camera: `{action: "move", pan, tilt, zoom}` (speeds −1…1, until `stop`),
         *     `{action: "stop"}`, `{action: "goto_preset", preset}`, `{action: "set_preset", name}` (answers
         *     the new preset's token).
         */
        post: operations["post_cameras_id_ptz"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/cameras/{id}/start": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Enable the camera's stream. */
        post: operations["post_cameras_id_start"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/cameras/{id}/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Stream health: state, last error, totals and rates, drops per consumer, recording counters. */
        get: operations["get_cameras_id_status"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/cameras/{id}/stop": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Disable the camera's stream. */
        post: operations["post_cameras_id_stop"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/cameras/{id}/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * MJPEG over WebSocket: binary JPEG messages at the chosen quality (`low`, `medium` — the
         *     default — or `high`); send `{"quality":"high"}` to switch, `{"type":"ping"}` for a pong.
         */
        get: operations["get_cameras_id_stream"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/cameras/{id}/stream/info": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Live stream endpoints of a camera, its codec (MIME type for `MediaSource.isTypeSupported`),
         *     MJPEG quality levels and viewer counts.
         */
        get: operations["get_cameras_id_stream_info"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/cameras/{id}/stream/mse": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Low-latency live fMP4 for MediaSource: a JSON `init` message (MIME type), the init segment,
         *     then a fragment per frame from the latest keyframe on (docs/live.md).
         */
        get: operations["get_cameras_id_stream_mse"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/cameras/{id}/stream/snapshot": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The camera's current picture as JPEG (from the live decode when someone watches, else the
         *     next keyframe).
         */
        get: operations["get_cameras_id_stream_snapshot"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/cameras/{id}/timeline": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Recorded spans, gaps and markers of a camera over a window (default: the last 24 h). */
        get: operations["get_cameras_id_timeline"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/cameras/{id}/vod.m3u8": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * HLS (fMP4) VOD playlist of what was recorded between `start` (default: end − 1 h) and `end`
         *     (default: now), beginning at `start`.
         */
        get: operations["get_cameras_id_vod_m3u8"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/cameras/probe": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Test a source before saving a camera: codec, size, frame rate. A malformed source is a 400 on
         *     `source.url` (or `source.path`); a source that cannot be opened or sends no video is a 200 with
         *     outcome `failed`, its code and the field it is about (the probe ran; that is what it found).
         */
        post: operations["post_cameras_probe"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/detection-events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Detection events (one per tracked object) overlapping `[start, end)`, newest first. */
        get: operations["get_detection_events"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/detection-events/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One detection event. */
        get: operations["get_detection_events_id"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/detection/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The detection service: `ready`, `unavailable` (with a code and the reason) or `disabled`; the
         *     model, inference counters and each camera's detector counters.
         */
        get: operations["get_detection_status"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/detections": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Stored sightings, newest first. */
        get: operations["get_detections"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/detections/{id}/snapshot": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The annotated JPEG of a detection. Snapshots never change, so clients may keep them a day. */
        get: operations["get_detections_id_snapshot"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/discovery/probe": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Read one ONVIF device: maker, model, serial number, firmware, and every media profile
         *     (codec, resolution, frame rate, bit rate, stream and snapshot URIs), whether it has PTZ, and
         *     whether it already is a camera here. A device that cannot be read is a 200 with outcome
         *     `failed`: `SOURCE_UNAUTHORIZED` (field `password`), `SOURCE_UNREACHABLE`, `SOURCE_INVALID`,
         *     `NO_VIDEO`, `CODEC_UNSUPPORTED`. A malformed address is a 400.
         */
        post: operations["post_discovery_probe"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/discovery/scan": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Look for ONVIF cameras on the LAN (WS-Discovery). Answers at once; each device that answers
         *     is a `discovery:found` event on the events socket, the end a `discovery:done`. While a scan
         *     runs, another request joins it.
         */
        post: operations["post_discovery_scan"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Stream events. Authenticate with `Authorization`, `?token=` or — keeping the token out of
         *     URLs — `{"type":"auth","token":"..."}` as the first message within 10 s. The server then sends
         *     `hello` and every event; send `{"type":"ping"}` for a `pong`.
         */
        get: operations["get_events"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/exports": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Export a range of a camera as one MP4 (stream copy). Progress arrives as `export:progress`
         *     events; when `export:done` arrives, download from `download_url`.
         */
        post: operations["post_exports"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/exports/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_exports_id"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/exports/{id}/file": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The finished export's file, with HTTP Range. */
        get: operations["get_exports_id_file"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness and database health. No authentication. */
        get: operations["get_health"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/layouts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's layouts. */
        get: operations["get_layouts"];
        put?: never;
        /** Save a new layout (tiles on a 12-column grid; `is_default` makes the others not default). */
        post: operations["post_layouts"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/layouts/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One of the caller's layouts. */
        get: operations["get_layouts_id"];
        /** Replace a layout (same body as creating one). */
        put: operations["put_layouts_id"];
        post?: never;
        /** Delete one of the caller's layouts. */
        delete: operations["delete_layouts_id"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/locks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Locks, by camera and start. */
        get: operations["get_locks"];
        put?: never;
        /** Keep a camera's footage over a span: never deleted by retention or free-space eviction. */
        post: operations["post_locks"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/locks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Unlock: the footage follows retention and free space again. */
        delete: operations["delete_locks_id"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prometheus metrics (text format 0.0.4). */
        get: operations["get_metrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/notifications/channels": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every alert channel. */
        get: operations["get_notifications_channels"];
        put?: never;
        /**
         * Add a channel: `{kind: "webhook", name, url, secret}` (the secret signs every body; absent,
         *     Vigil makes one and answers it once).
         */
        post: operations["post_notifications_channels"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/notifications/channels/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One channel. */
        get: operations["get_notifications_channels_id"];
        put?: never;
        post?: never;
        /** Delete a channel with its deliveries (pending ones are dropped) and its signing key. */
        delete: operations["delete_notifications_channels_id"];
        options?: never;
        head?: never;
        /** Change a channel's name, URL, signing key or whether it is on. */
        patch: operations["patch_notifications_channels_id"];
        trace?: never;
    };
    "/api/v1/notifications/channels/{id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A channel's deliveries, newest first: sent, waiting for a retry (with the last error), or
         *     given up (with the reason).
         */
        get: operations["get_notifications_channels_id_deliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/notifications/channels/{id}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a test message through the channel now (through the outbox, with its retries). */
        post: operations["post_notifications_channels_id_test"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/notifications/mqtt": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The bridge's settings (where they come from), whether a password is stored, and its
         *     connection: off, connecting, connected (since), failing (why); messages queued and dropped.
         */
        get: operations["get_notifications_mqtt"];
        /**
         * Save the bridge's settings and restart it with them (`enabled: false` turns it off).
         *     `password`: absent keeps the stored one, empty removes it.
         */
        put: operations["put_notifications_mqtt"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/notifications/mqtt/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Connect with these settings (saved or not; without `password`, the stored one), publish a
         *     test message on `<topic_prefix>/test` and wait for the broker to acknowledge it. The answer
         *     says whether it did, and if not why (unreachable, refused the password, no answer in 10 s).
         */
        post: operations["post_notifications_mqtt_test"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/notifications/rules": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The routing rules (an empty list: every warning-or-worse alert to every channel). */
        get: operations["get_notifications_rules"];
        /**
         * Replace the routing rules. An alert goes to a channel when a rule naming it (or naming no
         *     channel) matches its type, severity, camera, label and armed hours (local time).
         */
        put: operations["put_notifications_rules"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This document. */
        get: operations["get_openapi_json"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/recordings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Recorded segments, oldest first, paged. */
        get: operations["get_recordings"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/recordings/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_recordings_id"];
        put?: never;
        post?: never;
        /** Delete a recorded segment and its file. */
        delete: operations["delete_recordings_id"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/recordings/{id}/file": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The segment file (fragmented MP4), with HTTP Range (a download: `recording:export`). */
        get: operations["get_recordings_id_file"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/recordings/{id}/init.mp4": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The init segment (`ftyp`+`moov`) of a recording, for HLS. */
        get: operations["get_recordings_id_init_mp4"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/recordings/{id}/media.m4s": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One VOD piece: fragments of a recording with decode times moved onto the playlist's timeline. */
        get: operations["get_recordings_id_media_m4s"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/storage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The tiers (usage, free space, online), each camera's footage, the settings and the last pass. */
        get: operations["get_storage"];
        /**
         * Replace the storage settings (validated field by field; applied at once, kept across restarts).
         *     The first tier cannot change while Vigil runs, nor the path of a tier holding footage.
         */
        put: operations["put_storage"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/storage/archive/credentials": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Keep the archive's access keys in the credential store and reconnect the archive. */
        put: operations["put_storage_archive_credentials"];
        post?: never;
        /** Forget the archive's access keys (the AWS environment variables apply, if any). */
        delete: operations["delete_storage_archive_credentials"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/storage/maintenance": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Run a maintenance pass now and say what it did. */
        post: operations["post_storage_maintenance"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/storage/ops": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Moves and deletions, newest first, with their reasons. */
        get: operations["get_storage_ops"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/storage/usage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Storage usage over time, for the Storage page's chart. */
        get: operations["get_storage_usage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List tokens (never their secrets). */
        get: operations["get_tokens"];
        put?: never;
        /** Create a token. The secret is in this answer only; the server keeps a hash. */
        post: operations["post_tokens"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tokens/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke a token; its open sockets close at once. */
        delete: operations["delete_tokens_id"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List users. */
        get: operations["get_users"];
        put?: never;
        /** Create a user. */
        post: operations["post_users"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One user. */
        get: operations["get_users_id"];
        put?: never;
        post?: never;
        /** Delete a user (their sessions end; the audit log keeps their name). */
        delete: operations["delete_users_id"];
        options?: never;
        head?: never;
        /**
         * Change a user: username, display name, password (reset), role, cameras, enabled. A new
         *     password or disabling ends the user's sessions.
         */
        patch: operations["patch_users_id"];
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /**
         * @description Body of `POST /alerts/ack`: these alerts, or every unacknowledged alert matching the filter
         *     (fields combine), or `all`. A body that names none (`{}`) acknowledges none.
         */
        AckRequest: {
            /** @description Every unacknowledged alert (when no other field narrows it). */
            all?: boolean | null;
            before?: null | components["schemas"]["InstantParam"];
            /** Format: int64 */
            camera_id?: number | null;
            ids?: number[] | null;
            severity?: null | components["schemas"]["SeverityName"];
            type?: null | components["schemas"]["AlertKind"];
        };
        /** @description What a bulk acknowledgement took. */
        AckResult: {
            /** @description How many were acknowledged now (alerts acknowledged before are not counted). */
            acknowledged: number;
            ids: number[];
        };
        /** @description An alert as the API shows it. */
        Alert: {
            acknowledged: boolean;
            acknowledged_at?: string | null;
            acknowledged_by?: string | null;
            /** Format: int64 */
            camera_id?: number | null;
            /**
             * Format: int64
             * @description `detection` incidents: the tracked objects in it (1 for other alerts).
             */
            count: number;
            /** @description RFC 3339 UTC. */
            created_at: string;
            details: Record<string, unknown>;
            /** @description `detection` incidents: when the camera went quiet (RFC 3339); null while it goes on. */
            ended_at?: string | null;
            /**
             * Format: int64
             * @description The detection event, for `detection` alerts.
             */
            event_id?: number | null;
            /** Format: int64 */
            id: number;
            /** @description `detection` incidents: tracked objects by label. */
            labels: {
                [key: string]: number;
            };
            /** @description `detection` incidents: the last activity (RFC 3339). */
            last_at?: string | null;
            message: string;
            /** @description Conditions (a camera offline, storage): when it cleared (RFC 3339); null while it holds. */
            resolved_at?: string | null;
            severity: components["schemas"]["SeverityName"];
            /** @description The picture of a `detection` alert's object. */
            snapshot_url?: string | null;
            /** @description When it began (RFC 3339; the same as `created_at`). */
            started_at: string;
            type: components["schemas"]["AlertKind"];
        };
        /**
         * @description The kinds of alert.
         * @enum {string}
         */
        AlertKind: "camera_offline" | "recording_failed" | "storage_full" | "detection" | "detection_unavailable" | "storage_tier_offline" | "storage_locked_only" | "auth_failures" | "database_restored";
        /**
         * @description `GET /alerts`: the matching alerts and how many of all alerts are still unacknowledged (for a
         *     badge, whatever the filter).
         */
        AlertList: {
            /** @description Newest first. */
            alerts: components["schemas"]["Alert"][];
            /** @description More match: pass this as `cursor` for the next page (null on the last page). */
            next?: string | null;
            /**
             * Format: int64
             * @description Alerts nobody has acknowledged yet, over all alerts.
             */
            unacknowledged: number;
        };
        /**
         * @description The point of a box tested against zones.
         * @enum {string}
         */
        Anchor: "bottom_center" | "center";
        /**
         * @description The archive tier: an S3 bucket (AWS, MinIO, a NAS's S3 service…). Its access keys are set
         *     through `PUT /api/v1/storage/archive/credentials` (kept in the credential store) or come from
         *     the usual AWS environment variables; never here.
         */
        ArchiveConfig: {
            /**
             * @description The S3 endpoint, e.g. `http://nas.local:9000`; omitted for AWS.
             * @default null
             */
            endpoint: string | null;
            /** @default null */
            max_age: null | components["schemas"]["Duration"];
            /**
             * @description Tier name (default `archive`).
             * @default null
             */
            name: string | null;
            /**
             * @description Path-style requests (`endpoint/bucket/key`); default: on when an endpoint is given.
             * @default null
             */
            path_style: boolean | null;
            /**
             * @description Default `us-east-1` (or `AWS_REGION`).
             * @default null
             */
            region: string | null;
            /**
             * @description `s3://bucket/prefix` (the prefix is optional).
             * @default
             */
            url: string;
        };
        /**
         * @description The archive's S3 access keys (write-only: kept in the credential store, never shown or
         *     logged).
         */
        ArchiveKeys: {
            /** @description 1–128 characters, not only spaces, no control characters. */
            access_key_id: string;
            /** @description 1–256 characters. */
            secret_access_key: string;
        };
        /**
         * @description What was done. The wire name is the snake_case variant.
         * @enum {string}
         */
        AuditAction: "login" | "login_failed" | "logout" | "refresh_reused" | "live_open" | "live_close" | "playback" | "export" | "download" | "recording_delete" | "camera_create" | "camera_update" | "camera_delete" | "footage_lock" | "footage_unlock" | "settings_change" | "user_create" | "user_update" | "user_delete" | "token_create" | "token_revoke" | "rtmp_publish_accepted" | "rtmp_publish_refused" | "desk_lock" | "desk_unlock" | "database_restored" | "ptz";
        /**
         * @description How it ended.
         * @enum {string}
         */
        AuditOutcome: "ok" | "refused" | "failed";
        AuditPage: {
            /** @description Newest first. */
            entries: components["schemas"]["AuditRecord"][];
            /** @description More match: pass this as `cursor` for the next page (null on the last page). */
            next?: string | null;
        };
        /** @description One audit entry. */
        AuditRecord: {
            action: components["schemas"]["AuditAction"];
            /**
             * @description `user:alice`, `token:<name>`, `admin token`, `rtmp`; a failed sign-in's tried name ends
             *     in `?`.
             */
            actor: string;
            /** @description RFC 3339 UTC. */
            at: string;
            /** Format: int64 */
            camera_id?: number | null;
            /** @description The peer address. */
            client?: string | null;
            details: Record<string, unknown>;
            /** Format: int64 */
            id: number;
            outcome: components["schemas"]["AuditOutcome"];
            target?: string | null;
            /** Format: int64 */
            user_id?: number | null;
        };
        /** @description A bookmark. */
        Bookmark: {
            /** @description RFC 3339 UTC. */
            at: string;
            /** Format: int64 */
            at_ms: number;
            /** Format: int64 */
            camera_id: number;
            created_at: string;
            created_by: string;
            end?: string | null;
            /** Format: int64 */
            end_ms?: number | null;
            /** Format: int64 */
            id: number;
            label: string;
        };
        /** @description Body of `POST /cameras/{id}/bookmarks`. */
        BookmarkInput: {
            /** @description Epoch ms (an RFC 3339 string is accepted too). */
            at: components["schemas"]["InstantParam"];
            end?: null | components["schemas"]["InstantParam"];
            label?: string;
        };
        /**
         * @description A size with a unit: B, KB, MB, GB, TB (powers of 1000) or KiB, MiB, GiB, TiB (of 1024).
         * @example 500GB
         */
        ByteSize: string;
        /** @description A camera as the API shows it. The password is write-only: only `has_password` shows. */
        Camera: {
            /** @description RFC 3339 UTC. */
            created_at: string;
            /** Format: int32 */
            detect_fps: number;
            detection_enabled: boolean;
            enabled: boolean;
            has_password: boolean;
            /** Format: int64 */
            id: number;
            location?: string | null;
            manufacturer?: string | null;
            model?: string | null;
            name: string;
            place?: string | null;
            recording_enabled: boolean;
            recording_error?: null | components["schemas"]["RecordingError"];
            /**
             * @description RFC 3339 UTC: when the camera was deleted with its footage kept (listed only with
             *     `include_removed`; its recordings still play and export). Null for a camera in service.
             */
            removed_at?: string | null;
            serial_number?: string | null;
            source: components["schemas"]["Source"];
            status: components["schemas"]["CameraStatus"];
            updated_at: string;
            username?: string | null;
        };
        /** @description Body of `POST /api/v1/cameras`. */
        CameraCreate: {
            /**
             * Format: int64
             * @description Detection frame rate, 1–30 (default 5).
             */
            detect_fps?: number | null;
            detection_enabled?: boolean | null;
            enabled?: boolean | null;
            location?: string | null;
            manufacturer?: string | null;
            model?: string | null;
            name: string;
            /** @description Write-only; kept in the OS keyring or the encrypted credential file, never in the database. */
            password?: string | null;
            place?: string | null;
            recording_enabled?: boolean | null;
            serial_number?: string | null;
            /** @description Required. */
            source: components["schemas"]["SourceInput"];
            username?: string | null;
        };
        /** @description `GET/PUT /cameras/{id}/detection`: what a camera detects and where. */
        CameraDetection: {
            /** @description Labels, `min_score`, box area bounds (fractions of the frame), zones and masks. */
            filter?: components["schemas"]["Filter"];
            substream_url?: null | components["schemas"]["RtspUrlPlain"];
        };
        /** @description Counters of one camera's detector (`GET /detection/status`, `/metrics`). */
        CameraDetectionStats: {
            /** Format: int64 */
            camera_id: number;
            /** Format: int64 */
            decode_errors: number;
            /**
             * Format: int64
             * @description Sightings stored (a sample of `objects`: see the store).
             */
            detections: number;
            /** Format: int64 */
            events: number;
            /** Format: int64 */
            frames_decoded: number;
            /**
             * Format: int64
             * @description Frames not sent because this camera had `max_pending` in flight or the pool was full.
             */
            frames_dropped_busy: number;
            /**
             * Format: int64
             * @description Frames taken at `detect_fps`.
             */
            frames_sampled: number;
            /**
             * Format: int64
             * @description Sampled frames not sent to the model because nothing moved.
             */
            frames_still: number;
            /**
             * Format: int64
             * @description Sampled frames the motion gate let through.
             */
            frames_with_motion: number;
            /** Format: int64 */
            inferences: number;
            /**
             * Format: int64
             * @description Latest frame-arrival-to-result time, ms.
             */
            last_latency_ms: number;
            /**
             * Format: int64
             * @description Objects the model found that passed the camera's filter (every analysed frame).
             */
            objects: number;
            running: boolean;
            /** @description `main` or `substream`. */
            source: string;
        };
        /** @description Body of `PATCH /api/v1/cameras/{id}`: absent fields are kept, `null` clears optional ones. */
        CameraPatch: {
            /** Format: int64 */
            detect_fps?: number | null;
            detection_enabled?: boolean | null;
            enabled?: boolean | null;
            location?: string | null;
            manufacturer?: string | null;
            model?: string | null;
            name?: string | null;
            /** @description A string sets the password, `null` removes it, absence keeps it. */
            password?: string | null;
            place?: string | null;
            recording_enabled?: boolean | null;
            serial_number?: string | null;
            source?: null | components["schemas"]["SourceInput"];
            username?: string | null;
        };
        CameraRetention: {
            /** @default null */
            continuous: null | components["schemas"]["Duration"];
            /** @default null */
            events: null | components["schemas"]["Duration"];
        };
        /**
         * @description The stream supervisor's state for a camera.
         * @enum {string}
         */
        CameraStatus: "stopped" | "starting" | "running" | "error" | "reconnecting" | "stopping";
        /** @description A camera's footage. */
        CameraStorage: {
            /**
             * Format: int64
             * @description Measured over the last hour, bits a second.
             */
            bitrate_bps: number;
            /** @description Bytes per tier, by tier name. */
            by_tier: Record<string, unknown>;
            /**
             * Format: int64
             * @description Bytes on every tier.
             */
            bytes: number;
            /** Format: int64 */
            camera_id: number;
            /**
             * Format: double
             * @description From its oldest footage to its newest.
             */
            days_held: number;
        };
        /** @description A channel as the API shows it (never its secret). */
        Channel: {
            /** @description RFC 3339 UTC. */
            created_at: string;
            email?: null | components["schemas"]["EmailView"];
            enabled: boolean;
            /** @description Whether a secret is set (a webhook's signing key, an SMTP password). */
            has_secret: boolean;
            /** Format: int64 */
            id: number;
            kind: components["schemas"]["ChannelKind"];
            name: string;
            updated_at: string;
            /** @description A webhook's URL. */
            url?: string | null;
        };
        /** @description Body of `POST /notifications/channels`. */
        ChannelCreate: {
            enabled?: boolean | null;
            /** @enum {string} */
            kind: "webhook";
            name: string;
            /** @description The signing key (8–256 characters); absent: one is made and shown once. */
            secret?: string | null;
            /** @description `http://` or `https://`. */
            url: string;
        } | {
            enabled?: boolean | null;
            from: string;
            /** @description The SMTP server. */
            host: string;
            /** @enum {string} */
            kind: "email";
            /**
             * @description Vigil's address as people reach it (`https://nvr.example:7878`): mails link to the
             *     moment on the timeline.
             */
            link_base?: string | null;
            name: string;
            /** @description Kept in the credential store. */
            password?: string | null;
            /**
             * Format: int32
             * @description Default: 587 (STARTTLS), 465 (TLS), 25 (none).
             */
            port?: number | null;
            security?: components["schemas"]["SmtpSecurity"];
            /** @description 1 to 20 addresses. */
            to: string[];
            username?: string | null;
        };
        /**
         * @description `POST /notifications/channels` answers the channel and, when Vigil made the webhook's signing
         *     key, the key (shown this once).
         */
        ChannelCreated: {
            channel: components["schemas"]["Channel"];
            secret?: string | null;
        };
        /**
         * @description What a channel is.
         * @enum {string}
         */
        ChannelKind: "webhook" | "email";
        /** @description Body of `PATCH /notifications/channels/{id}`: absent fields are kept. */
        ChannelPatch: {
            enabled?: boolean | null;
            from?: string | null;
            /**
             * @description Email: the SMTP server, port, security, user name (empty: none), password, sender,
             *     recipients and link base (empty: none).
             */
            host?: string | null;
            link_base?: string | null;
            name?: string | null;
            password?: string | null;
            /** Format: int32 */
            port?: number | null;
            /** @description A new signing key. */
            secret?: string | null;
            security?: null | components["schemas"]["SmtpSecurity"];
            to?: string[] | null;
            url?: string | null;
            username?: string | null;
        };
        /** @description One delivery of a channel. */
        Delivery: {
            /** Format: int64 */
            alert_id?: number | null;
            /** Format: int64 */
            attempts: number;
            /** Format: int64 */
            channel_id: number;
            /** @description RFC 3339 UTC. */
            created_at: string;
            /** @description When it was sent or given up. */
            done_at?: string | null;
            /** Format: int64 */
            id: number;
            /** @description Why the last attempt failed. */
            last_error?: string | null;
            /** @description When a pending delivery is tried next. */
            next_attempt_at?: string | null;
            /** @description `pending` (waiting for its next attempt), `sent`, or `failed` (given up). */
            state: string;
            /** @description A "send test" delivery. */
            test: boolean;
        };
        /** @description A tracked object. */
        DetectionEventView: {
            /** Format: int64 */
            best_detection_id?: number | null;
            /** Format: int64 */
            camera_id: number;
            /** Format: int64 */
            detections: number;
            end: string;
            /** Format: int64 */
            id: number;
            label: string;
            ongoing: boolean;
            /** @description The best sighting's snapshot. */
            snapshot_url?: string | null;
            /** @description RFC 3339 UTC. */
            start: string;
            /** Format: double */
            top_score: number;
            zones: string[];
        };
        /** @description `GET /detection/status`. */
        DetectionStatus: {
            cameras: components["schemas"]["CameraDetectionStats"][];
            code?: null | components["schemas"]["ErrorCode"];
            /**
             * Format: double
             * @description Mean inference time over the last runs, milliseconds.
             */
            inference_ms: number;
            /** Format: int64 */
            inferences: number;
            labels: string[];
            library?: string | null;
            message?: string | null;
            model?: string | null;
            /** @description `starting` (loading the model), `ready`, `unavailable` or `disabled`. */
            state: string;
            threads_per_worker: number;
            workers: number;
        };
        /** @description A stored sighting. */
        DetectionView: {
            /** @description RFC 3339 UTC of the frame. */
            at: string;
            /** @description `[x, y, width, height]` as fractions of the frame. */
            bbox: number[];
            /** Format: int64 */
            camera_id: number;
            /** Format: int64 */
            event_id?: number | null;
            /** Format: int64 */
            id: number;
            label: string;
            metadata: Record<string, unknown>;
            /** Format: double */
            score: number;
            /** @description `/api/v1/detections/{id}/snapshot` when a snapshot was kept. */
            snapshot_url?: string | null;
        };
        /** @description What the device says it is. */
        DeviceInfo: {
            firmware?: string | null;
            hardware_id?: string | null;
            manufacturer?: string | null;
            model?: string | null;
            serial_number?: string | null;
        };
        /**
         * @description A duration with a unit: s, m, h, d or w (90s, 10m, 7d).
         * @example 7d
         */
        Duration: string;
        /** @description An email channel's settings as the API shows them (never the password). */
        EmailView: {
            from: string;
            host: string;
            link_base?: string | null;
            /** Format: int32 */
            port: number;
            security: components["schemas"]["SmtpSecurity"];
            to: string[];
            username?: string | null;
        };
        /** @description `{"success": true, "data": ...}`. */
        Envelope_AckResult: {
            /** @description What a bulk acknowledgement took. */
            data: {
                /** @description How many were acknowledged now (alerts acknowledged before are not counted). */
                acknowledged: number;
                ids: number[];
            };
            success: boolean;
        };
        /** @description `{"success": true, "data": ...}`. */
        Envelope_Alert: {
            /** @description An alert as the API shows it. */
            data: {
                acknowledged: boolean;
                acknowledged_at?: string | null;
                acknowledged_by?: string | null;
                /** Format: int64 */
                camera_id?: number | null;
                /**
                 * Format: int64
                 * @description `detection` incidents: the tracked objects in it (1 for other alerts).
                 */
                count: number;
                /** @description RFC 3339 UTC. */
                created_at: string;
                details: Record<string, unknown>;
                /** @description `detection` incidents: when the camera went quiet (RFC 3339); null while it goes on. */
                ended_at?: string | null;
                /**
                 * Format: int64
                 * @description The detection event, for `detection` alerts.
                 */
                event_id?: number | null;
                /** Format: int64 */
                id: number;
                /** @description `detection` incidents: tracked objects by label. */
                labels: {
                    [key: string]: number;
                };
                /** @description `detection` incidents: the last activity (RFC 3339). */
                last_at?: string | null;
                message: string;
                /** @description Conditions (a camera offline, storage): when it cleared (RFC 3339); null while it holds. */
                resolved_at?: string | null;
                severity: components["schemas"]["SeverityName"];
                /** @description The picture of a `detection` alert's object. */
                snapshot_url?: string | null;
                /** @description When it began (RFC 3339; the same as `created_at`). */
                started_at: string;
                type: components["schemas"]["AlertKind"];
            };
            success: boolean;
        };
        /** @description `{"success": true, "data": ...}`. */
        Envelope_AlertList: {
            /**
             * @description `GET /alerts`: the matching alerts and how many of all alerts are still unacknowledged (for a
             *     badge, whatever the filter).
             */
            data: {
                /** @description Newest first. */
                alerts: components["schemas"]["Alert"][];
                /** @description More match: pass this as `cursor` for the next page (null on the last page). */
                next?: string | null;
                /**
                 * Format: int64
                 * @description Alerts nobody has acknowledged yet, over all alerts.
                 */
                unacknowledged: number;
            };
            success: boolean;
        };
        /** @description `{"success": true, "data": ...}`. */
        Envelope_AuditPage: {
            data: {
                /** @description Newest first. */
                entries: components["schemas"]["AuditRecord"][];
                /** @description More match: pass this as `cursor` for the next page (null on the last page). */
                next?: string | null;
            };
            success: boolean;
        };
        /** @description `{"success": true, "data": ...}`. */
        Envelope_Bookmark: {
            /** @description A bookmark. */
            data: {
                /** @description RFC 3339 UTC. */
                at: string;
                /** Format: int64 */
                at_ms: number;
                /** Format: int64 */
                camera_id: number;
                created_at: string;
                created_by: string;
                end?: string | null;
                /** Format: int64 */
                end_ms?: number | null;
                /** Format: int64 */
                id: number;
                label: string;
            };
            success: boolean;
        };
        /** @description `{"success": true, "data": ...}`. */
        Envelope_Camera: {
            /** @description A camera as the API shows it. The password is write-only: only `has_password` shows. */
            data: {
                /** @description RFC 3339 UTC. */
                created_at: string;
                /** Format: int32 */
                detect_fps: number;
                detection_enabled: boolean;
                enabled: boolean;
                has_password: boolean;
                /** Format: int64 */
                id: number;
                location?: string | null;
                manufacturer?: string | null;
                model?: string | null;
                name: string;
                place?: string | null;
                recording_enabled: boolean;
                recording_error?: null | components["schemas"]["RecordingError"];
                /**
                 * @description RFC 3339 UTC: when the camera was deleted with its footage kept (listed only with
                 *     `include_removed`; its recordings still play and export). Null for a camera in service.
                 */
                removed_at?: string | null;
                serial_number?: string | null;
                source: components["schemas"]["Source"];
                status: components["schemas"]["CameraStatus"];
                updated_at: string;
                username?: string | null;
            };
            success: boolean;
        };
        /** @description `{"success": true, "data": ...}`. */
        Envelope_CameraDetection: {
            /** @description `GET/PUT /cameras/{id}/detection`: what a camera detects and where. */
            data: {
                /** @description Labels, `min_score`, box area bounds (fractions of the frame), zones and masks. */
                filter?: components["schemas"]["Filter"];
                substream_url?: null | components["schemas"]["RtspUrlPlain"];
            };
            success: boolean;
        };
        /** @description `{"success": true, "data": ...}`. */
        Envelope_Channel: {
            /** @description A channel as the API shows it (never its secret). */
            data: {
                /** @description RFC 3339 UTC. */
                created_at: string;
                email?: null | components["schemas"]["EmailView"];
                enabled: boolean;
                /** @description Whether a secret is set (a webhook's signing key, an SMTP password). */
                has_secret: boolean;
                /** Format: int64 */
                id: number;
                kind: components["schemas"]["ChannelKind"];
                name: string;
                updated_at: string;
                /** @description A webhook's URL. */
                url?: string | null;
            };
            success: boolean;
        };
        /** @description `{"success": true, "data": ...}`. */
        Envelope_ChannelCreated: {
            /**
             * @description `POST /notifications/channels` answers the channel and, when Vigil made the webhook's signing
             *     key, the key (shown this once).
             */
            data: {
                channel: components["schemas"]["Channel"];
                secret?: string | null;
            };
            success: boolean;
        };
        /** @description `{"success": true, "data": ...}`. */
        Envelope_DetectionEventView: {
            /** @description A tracked object. */
            data: {
                /** Format: int64 */
                best_detection_id?: number | null;
                /** Format: int64 */
                camera_id: number;
                /** Format: int64 */
                detections: number;
                end: string;
                /** Format: int64 */
                id: number;
                label: string;
                ongoing: boolean;
                /** @description The best sighting's snapshot. */
                snapshot_url?: string | null;
                /** @description RFC 3339 UTC. */
                start: string;
                /** Format: double */
                top_score: number;
                zones: string[];
            };
            success: boolean;
        };
        /** @description `{"success": true, "data": ...}`. */
        Envelope_DetectionStatus: {
            /** @description `GET /detection/status`. */
            data: {
                cameras: components["schemas"]["CameraDetectionStats"][];
                code?: null | components["schemas"]["ErrorCode"];
                /**
                 * Format: double
                 * @description Mean inference time over the last runs, milliseconds.
                 */
                inference_ms: number;
                /** Format: int64 */
                inferences: number;
                labels: string[];
                library?: string | null;
                message?: string | null;
                model?: string | null;
                /** @description `starting` (loading the model), `ready`, `unavailable` or `disabled`. */
                state: string;
                threads_per_worker: number;
                workers: number;
            };
            success: boolean;
        };
        /** @description `{"success": true, "data": ...}`. */
        Envelope_ExportJob: {
            /** @description An export job. */
            data: {
                /** Format: int64 */
                bytes?: number | null;
                /** Format: int64 */
                camera_id: number;
                /** Format: int64 */
                clip_end_ms?: number | null;
                /**
                 * Format: int64
                 * @description Once done: wall time (epoch ms) of the file's first frame (the keyframe at or before
                 *     `start_ms`, or the first recorded after it) and of its last. Less than asked when the
                 *     range begins or ends where nothing was recorded.
                 */
                clip_start_ms?: number | null;
                /** @description Where to download it once done. */
                download_url?: string | null;
                /** Format: int64 */
                end_ms: number;
                error?: string | null;
                /** Format: int64 */
                id: number;
                /**
                 * Format: double
                 * @description 0.0–1.0.
                 */
                progress: number;
                /** Format: int64 */
                start_ms: number;
                /** @description `running`, `done`, `failed`. */
                status: string;
            };
            success: boolean;
        };
        /** @description `{"success": true, "data": ...}`. */
        Envelope_Layout: {
            /** @description A saved layout. */
            data: {
                /** @description RFC 3339 UTC. */
                created_at: string;
                /** Format: int64 */
                id: number;
                is_default: boolean;
                layout: components["schemas"]["Tile"][];
                name: string;
                updated_at: string;
            };
            success: boolean;
        };
        /** @description `{"success": true, "data": ...}`. */
        Envelope_Lock: {
            /** @description Footage kept whatever retention and free space say. */
            data: {
                /** Format: int64 */
                camera_id: number;
                created_at: string;
                end: string;
                /** Format: int64 */
                end_ms: number;
                /** Format: int64 */
                id: number;
                reason: string;
                start: string;
                /** Format: int64 */
                start_ms: number;
            };
            success: boolean;
        };
        /** @description `{"success": true, "data": ...}`. */
        Envelope_LoginResponse: {
            /** @description A signed-in session's tokens. */
            data: {
                /** @description Bearer token for every request, good for `expires_in` seconds. */
                access_token: string;
                /** Format: int64 */
                expires_in: number;
                /**
                 * @description Good once, for 7 days: `POST /auth/refresh` spends it for a new pair. Presenting a spent
                 *     one ends the session.
                 */
                refresh_token: string;
                user: components["schemas"]["User"];
            };
            success: boolean;
        };
        /** @description `{"success": true, "data": ...}`. */
        Envelope_Me: {
            /** @description Who the caller is and what it may do. */
            data: {
                /** @description Camera ids it may see; `null`: every camera. */
                cameras?: number[] | null;
                /** @description `user`, `token` or `admin_token`. */
                kind: string;
                name: string;
                permissions: components["schemas"]["Permission"][];
                role: components["schemas"]["Role"];
                user?: null | components["schemas"]["User"];
            };
            success: boolean;
        };
        /** @description `{"success": true, "data": ...}`. */
        Envelope_MqttTestResult: {
            /** @description The outcome of "send test". */
            data: {
                /** Format: int64 */
                elapsed_ms: number;
                /** @description What happened, in words for the operator. */
                message: string;
                /** @description Whether the broker acknowledged the test message. */
                ok: boolean;
                /** @description The topic the test message went to. */
                topic: string;
            };
            success: boolean;
        };
        /** @description `{"success": true, "data": ...}`. */
        Envelope_MqttView: {
            /** @description `GET /notifications/mqtt`. */
            data: {
                /** @description Whether a broker password is in the credential store. */
                password_set: boolean;
                settings?: null | components["schemas"]["MqttConfig"];
                source: components["schemas"]["MqttSource"];
                status: components["schemas"]["MqttStatus"];
            };
            success: boolean;
        };
        /** @description `{"success": true, "data": ...}`. */
        Envelope_OnvifProbeOutcome: {
            /** @description What probing a device found. */
            data: (components["schemas"]["OnvifDevice"] & {
                /** @enum {string} */
                outcome: "ok";
            }) | (components["schemas"]["ProbeFailure"] & {
                /** @enum {string} */
                outcome: "failed";
            });
            success: boolean;
        };
        /** @description `{"success": true, "data": ...}`. */
        Envelope_PassView: {
            /** @description The last maintenance pass. */
            data: {
                at?: string | null;
                /** Format: int64 */
                bytes_deleted: number;
                /** Format: int64 */
                bytes_moved: number;
                deleted: number;
                failed: number;
                moved: number;
                /**
                 * Format: int64
                 * @description Milliseconds spent planning.
                 */
                plan_ms: number;
            };
            success: boolean;
        };
        /** @description `{"success": true, "data": ...}`. */
        Envelope_ProbeOutcome: {
            /** @description What a probe found. */
            data: (components["schemas"]["ProbeResult"] & {
                /** @enum {string} */
                outcome: "ok";
            }) | (components["schemas"]["ProbeFailure"] & {
                /** @enum {string} */
                outcome: "failed";
            });
            success: boolean;
        };
        /** @description `{"success": true, "data": ...}`. */
        Envelope_PtzDone: {
            /** @description The answer to a command: the preset saved, for `set_preset`. */
            data: {
                preset?: string | null;
            };
            success: boolean;
        };
        /** @description `{"success": true, "data": ...}`. */
        Envelope_PtzInfo: {
            /** @description What a PTZ camera offers. */
            data: {
                presets: components["schemas"]["Preset"][];
            };
            success: boolean;
        };
        /** @description `{"success": true, "data": ...}`. */
        Envelope_Recording: {
            /** @description A recorded segment. */
            data: {
                /** Format: int64 */
                bytes: number;
                /** Format: int64 */
                camera_id: number;
                /**
                 * Format: int64
                 * @description Wall-clock correction applied at this segment's start (0 normally).
                 */
                clock_jump_ms: number;
                codec: string;
                /** Format: int64 */
                duration_ms: number;
                end: string;
                /** Format: int64 */
                end_ms: number;
                /** Format: int64 */
                height: number;
                /** Format: int64 */
                id: number;
                /** @description RFC 3339 UTC. */
                start: string;
                /** Format: int64 */
                start_ms: number;
                /** @description `recording` (being written), `complete`, `repaired` (cut back after a crash), `missing`. */
                state: string;
                tier: string;
                /** Format: int64 */
                width: number;
            };
            success: boolean;
        };
        /** @description `{"success": true, "data": ...}`. */
        Envelope_RecordingPage: {
            /** @description A page of recordings. */
            data: {
                items: components["schemas"]["Recording"][];
                /** Format: int64 */
                limit: number;
                /** Format: int64 */
                offset: number;
                /** Format: int64 */
                total: number;
            };
            success: boolean;
        };
        /** @description `{"success": true, "data": ...}`. */
        Envelope_ScanStarted: {
            /** @description `POST /discovery/scan`'s answer. */
            data: {
                /** @description A scan was already running: this is that one. */
                already_running: boolean;
                /**
                 * Format: int64
                 * @description Carried by its `discovery:found` and `discovery:done` events.
                 */
                scan_id: number;
                /**
                 * Format: int64
                 * @description How long it listens for answers.
                 */
                seconds: number;
            };
            success: boolean;
        };
        /** @description `{"success": true, "data": ...}`. */
        Envelope_StorageView: {
            /** @description Storage as it is now. */
            data: {
                /** @description Whether archive access keys are kept in the credential store (they are never shown). */
                archive_keys_stored: boolean;
                cameras: components["schemas"]["CameraStorage"][];
                last_pass?: null | components["schemas"]["PassView"];
                settings: components["schemas"]["StorageConfig"];
                tiers: components["schemas"]["TierView"][];
            };
            success: boolean;
        };
        /** @description `{"success": true, "data": ...}`. */
        Envelope_StreamInfo: {
            /** @description `GET /cameras/{id}/stream/info`: what a player needs to pick a live stream. */
            data: {
                /** Format: int64 */
                camera_id: number;
                codec?: string | null;
                /** @description Whether the camera has a sub-stream of its own (grid tiles then play it). */
                has_sub: boolean;
                /** Format: int32 */
                height: number;
                /** @description `video/mp4; codecs="…"` for `MediaSource.isTypeSupported`, once the camera has connected. */
                mime?: string | null;
                state: components["schemas"]["CameraStatus"];
                /** @description Which stream this describes (`sub` falls back to `main` for a camera without one). */
                stream: components["schemas"]["StreamSel"];
                streams: components["schemas"]["StreamEndpoint"][];
                viewers: components["schemas"]["ViewerCounts"];
                /** Format: int32 */
                width: number;
            };
            success: boolean;
        };
        /** @description `{"success": true, "data": ...}`. */
        Envelope_StreamStatus: {
            /** @description `GET /cameras/{id}/status`: the camera's stream right now. */
            data: {
                /** Format: double */
                bitrate_kbps: number;
                /** Format: int64 */
                bytes: number;
                /** Format: int64 */
                camera_id: number;
                codec?: string | null;
                /**
                 * @description RFC 3339: when the current outage began (the first failure, through every retry since);
                 *     null while the camera runs or is stopped.
                 */
                down_since?: string | null;
                /** @description Packets each consumer had to drop. */
                dropped: {
                    [key: string]: number;
                };
                /**
                 * Format: double
                 * @description Rates over about the last second.
                 */
                fps: number;
                /** Format: int32 */
                height: number;
                last_error?: string | null;
                last_error_code?: null | components["schemas"]["ErrorCode"];
                /** @description RFC 3339 time of the last packet. */
                last_packet_at?: string | null;
                /**
                 * Format: int64
                 * @description Running totals since the camera started.
                 */
                packets: number;
                /** Format: double */
                packets_per_second: number;
                /** Format: int64 */
                reconnects: number;
                recording: components["schemas"]["RecordingStatus"];
                /** @description RFC 3339 time of the last state change. */
                since?: string | null;
                status: components["schemas"]["CameraStatus"];
                /** Format: int32 */
                width: number;
            };
            success: boolean;
        };
        /** @description `{"success": true, "data": ...}`. */
        Envelope_TestQueued: {
            /**
             * @description `POST /notifications/channels/{id}/test` answers the queued delivery (follow it in the
             *     channel's deliveries).
             */
            data: {
                /** Format: int64 */
                delivery_id: number;
            };
            success: boolean;
        };
        /** @description `{"success": true, "data": ...}`. */
        Envelope_Timeline: {
            /** @description A camera's recordings over a window, with what happened in it. */
            data: {
                /** Format: int64 */
                camera_id: number;
                /** Format: int64 */
                end_ms: number;
                /**
                 * Format: int64
                 * @description Where the camera's footage begins: the start of its oldest recording still kept, at any
                 *     time (not only in the window); null when it has none. Before it there is no footage yet
                 *     (or none kept), which the UI does not paint as a gap.
                 */
                first_footage_ms?: number | null;
                /** @description Stretches with no recording (from the window's start, clipped to now). */
                gaps: components["schemas"]["Span"][];
                markers: components["schemas"]["Marker"][];
                /** @description Recorded spans (contiguous segments merged). */
                segments: components["schemas"]["Span"][];
                /** Format: int64 */
                start_ms: number;
            };
            success: boolean;
        };
        /** @description `{"success": true, "data": ...}`. */
        Envelope_TokenCreated: {
            /** @description Answer of `POST /api/v1/tokens`: the only time the secret is shown. */
            data: {
                secret: string;
                token: components["schemas"]["TokenInfo"];
            };
            success: boolean;
        };
        /** @description `{"success": true, "data": ...}`. */
        Envelope_UsageHistory: {
            data: {
                /** @description Oldest first; one per tier per maintenance pass (at most a minute apart), kept 90 days. */
                samples: components["schemas"]["UsagePoint"][];
            };
            success: boolean;
        };
        /** @description `{"success": true, "data": ...}`. */
        Envelope_User: {
            /** @description A user (never the password). */
            data: {
                /** @description Camera ids the user may see; `null`: every camera. */
                cameras?: number[] | null;
                /** @description RFC 3339 UTC. */
                created_at: string;
                display_name?: string | null;
                enabled: boolean;
                /** @description Whether a password is set (without one the user cannot sign in yet). */
                has_password: boolean;
                /** Format: int64 */
                id: number;
                last_login_at?: string | null;
                role: components["schemas"]["UserRole"];
                username: string;
            };
            success: boolean;
        };
        /** @description `{"success": true, "data": ...}`. */
        Envelope_Vec_Bookmark: {
            data: {
                /** @description RFC 3339 UTC. */
                at: string;
                /** Format: int64 */
                at_ms: number;
                /** Format: int64 */
                camera_id: number;
                created_at: string;
                created_by: string;
                end?: string | null;
                /** Format: int64 */
                end_ms?: number | null;
                /** Format: int64 */
                id: number;
                label: string;
            }[];
            success: boolean;
        };
        /** @description `{"success": true, "data": ...}`. */
        Envelope_Vec_Camera: {
            data: {
                /** @description RFC 3339 UTC. */
                created_at: string;
                /** Format: int32 */
                detect_fps: number;
                detection_enabled: boolean;
                enabled: boolean;
                has_password: boolean;
                /** Format: int64 */
                id: number;
                location?: string | null;
                manufacturer?: string | null;
                model?: string | null;
                name: string;
                place?: string | null;
                recording_enabled: boolean;
                recording_error?: null | components["schemas"]["RecordingError"];
                /**
                 * @description RFC 3339 UTC: when the camera was deleted with its footage kept (listed only with
                 *     `include_removed`; its recordings still play and export). Null for a camera in service.
                 */
                removed_at?: string | null;
                serial_number?: string | null;
                source: components["schemas"]["Source"];
                status: components["schemas"]["CameraStatus"];
                updated_at: string;
                username?: string | null;
            }[];
            success: boolean;
        };
        /** @description `{"success": true, "data": ...}`. */
        Envelope_Vec_Channel: {
            data: {
                /** @description RFC 3339 UTC. */
                created_at: string;
                email?: null | components["schemas"]["EmailView"];
                enabled: boolean;
                /** @description Whether a secret is set (a webhook's signing key, an SMTP password). */
                has_secret: boolean;
                /** Format: int64 */
                id: number;
                kind: components["schemas"]["ChannelKind"];
                name: string;
                updated_at: string;
                /** @description A webhook's URL. */
                url?: string | null;
            }[];
            success: boolean;
        };
        /** @description `{"success": true, "data": ...}`. */
        Envelope_Vec_Delivery: {
            data: {
                /** Format: int64 */
                alert_id?: number | null;
                /** Format: int64 */
                attempts: number;
                /** Format: int64 */
                channel_id: number;
                /** @description RFC 3339 UTC. */
                created_at: string;
                /** @description When it was sent or given up. */
                done_at?: string | null;
                /** Format: int64 */
                id: number;
                /** @description Why the last attempt failed. */
                last_error?: string | null;
                /** @description When a pending delivery is tried next. */
                next_attempt_at?: string | null;
                /** @description `pending` (waiting for its next attempt), `sent`, or `failed` (given up). */
                state: string;
                /** @description A "send test" delivery. */
                test: boolean;
            }[];
            success: boolean;
        };
        /** @description `{"success": true, "data": ...}`. */
        Envelope_Vec_DetectionEventView: {
            data: {
                /** Format: int64 */
                best_detection_id?: number | null;
                /** Format: int64 */
                camera_id: number;
                /** Format: int64 */
                detections: number;
                end: string;
                /** Format: int64 */
                id: number;
                label: string;
                ongoing: boolean;
                /** @description The best sighting's snapshot. */
                snapshot_url?: string | null;
                /** @description RFC 3339 UTC. */
                start: string;
                /** Format: double */
                top_score: number;
                zones: string[];
            }[];
            success: boolean;
        };
        /** @description `{"success": true, "data": ...}`. */
        Envelope_Vec_DetectionView: {
            data: {
                /** @description RFC 3339 UTC of the frame. */
                at: string;
                /** @description `[x, y, width, height]` as fractions of the frame. */
                bbox: number[];
                /** Format: int64 */
                camera_id: number;
                /** Format: int64 */
                event_id?: number | null;
                /** Format: int64 */
                id: number;
                label: string;
                metadata: Record<string, unknown>;
                /** Format: double */
                score: number;
                /** @description `/api/v1/detections/{id}/snapshot` when a snapshot was kept. */
                snapshot_url?: string | null;
            }[];
            success: boolean;
        };
        /** @description `{"success": true, "data": ...}`. */
        Envelope_Vec_Layout: {
            data: {
                /** @description RFC 3339 UTC. */
                created_at: string;
                /** Format: int64 */
                id: number;
                is_default: boolean;
                layout: components["schemas"]["Tile"][];
                name: string;
                updated_at: string;
            }[];
            success: boolean;
        };
        /** @description `{"success": true, "data": ...}`. */
        Envelope_Vec_Lock: {
            data: {
                /** Format: int64 */
                camera_id: number;
                created_at: string;
                end: string;
                /** Format: int64 */
                end_ms: number;
                /** Format: int64 */
                id: number;
                reason: string;
                start: string;
                /** Format: int64 */
                start_ms: number;
            }[];
            success: boolean;
        };
        /** @description `{"success": true, "data": ...}`. */
        Envelope_Vec_Rule: {
            data: {
                /** @description Camera ids; null: every camera, and alerts about no camera (storage, sign-ins). */
                cameras?: number[] | null;
                /** @description Channel ids; empty: every channel. */
                channels?: number[];
                /** @description Detection labels; empty: any (and alerts without one). */
                labels?: string[];
                /** @description The lowest severity sent (default `warning`). */
                min_severity?: string;
                /** @description Armed hours; empty: always. */
                schedule?: components["schemas"]["Window"][];
                /** @description Alert types; empty: every type. */
                types?: string[];
            }[];
            success: boolean;
        };
        /** @description `{"success": true, "data": ...}`. */
        Envelope_Vec_StorageOp: {
            data: {
                at: string;
                /** Format: int64 */
                bytes: number;
                /** Format: int64 */
                camera_id: number;
                end: string;
                from_tier: string;
                /** Format: int64 */
                id: number;
                /** @description `move` or `delete`. */
                kind: components["schemas"]["StorageOpKind"];
                reason: components["schemas"]["StorageReason"];
                /** Format: int64 */
                recording_id: number;
                start: string;
                to_tier?: string | null;
            }[];
            success: boolean;
        };
        /** @description `{"success": true, "data": ...}`. */
        Envelope_Vec_TokenInfo: {
            data: {
                /** @description Camera ids it may see; `null`: every camera. */
                cameras?: number[] | null;
                /** @description RFC 3339 UTC. */
                created_at: string;
                expires_at?: string | null;
                /** Format: int64 */
                id: number;
                last_used_at?: string | null;
                name: string;
                permissions: components["schemas"]["Permission"][];
                /** @description The first characters of the secret, to tell tokens apart. */
                prefix: string;
                /**
                 * Format: int32
                 * @description Requests per minute; `null` means unlimited.
                 */
                rate_limit_per_min?: number | null;
                remark?: string | null;
                role: components["schemas"]["Role"];
            }[];
            success: boolean;
        };
        /** @description `{"success": true, "data": ...}`. */
        Envelope_Vec_User: {
            data: {
                /** @description Camera ids the user may see; `null`: every camera. */
                cameras?: number[] | null;
                /** @description RFC 3339 UTC. */
                created_at: string;
                display_name?: string | null;
                enabled: boolean;
                /** @description Whether a password is set (without one the user cannot sign in yet). */
                has_password: boolean;
                /** Format: int64 */
                id: number;
                last_login_at?: string | null;
                role: components["schemas"]["UserRole"];
                username: string;
            }[];
            success: boolean;
        };
        /** @description The body of every error response. */
        ErrorBody: {
            error: components["schemas"]["ErrorInfo"];
            /** @description Always `false`. */
            success: boolean;
        };
        /**
         * @description A stable machine code, e.g. `CAMERA_NOT_FOUND`.
         * @enum {string}
         */
        ErrorCode: "VALIDATION_FAILED" | "NOT_FOUND" | "ALREADY_EXISTS" | "AUTH_TOKEN_INVALID" | "AUTH_TOKEN_MISSING" | "AUTH_INSUFFICIENT_PERMISSIONS" | "RATE_LIMIT_EXCEEDED" | "FAILED_PRECONDITION" | "UNAVAILABLE" | "INTERNAL_ERROR" | "ROUTE_NOT_FOUND" | "METHOD_NOT_ALLOWED" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RANGE_NOT_SATISFIABLE" | "ORIGIN_NOT_ALLOWED" | "HOST_NOT_ALLOWED" | "INVALID_MESSAGE" | "DATA_DIR_IN_USE" | "DATABASE_CORRUPT" | "CREDENTIAL_STORE_UNAVAILABLE" | "STORAGE_FULL" | "STORAGE_TIER_OFFLINE" | "STORAGE_CONFIG_CONFLICT" | "LOCK_NOT_FOUND" | "CAMERA_NOT_FOUND" | "CAMERA_SERIAL_DUPLICATE" | "CAMERA_REMOVED" | "CONCURRENT_LIMIT_EXCEEDED" | "SOURCE_UNREACHABLE" | "SOURCE_INVALID" | "SOURCE_INTERRUPTED" | "SOURCE_REORDER_DEEPER" | "SOURCE_UNAUTHORIZED" | "SOURCE_NOT_FOUND" | "SOURCE_NOT_RESPONDING" | "PTZ_UNSUPPORTED" | "SOURCE_REPLY_TOO_LARGE" | "CODEC_UNSUPPORTED" | "NO_VIDEO" | "RECORDING_NOT_FOUND" | "RECORDING_MISSING" | "RECORDING_IN_PROGRESS" | "RECORDING_EMPTY" | "NO_RECORDINGS" | "SEGMENT_NOT_FOUND" | "EXPORT_NOT_FOUND" | "EXPORT_NOT_READY" | "EXPORT_TOO_LONG" | "STREAM_NOT_READY" | "STREAM_LIMIT_EXCEEDED" | "QUALITY_INVALID" | "SNAPSHOT_UNAVAILABLE" | "DETECTION_UNAVAILABLE" | "DETECTION_FAILED" | "DETECTION_NOT_FOUND" | "EVENT_NOT_FOUND" | "SNAPSHOT_NOT_FOUND" | "MODEL_UNAVAILABLE" | "MODEL_CONFIG_INVALID" | "ALERT_NOT_FOUND" | "TOKEN_NOT_FOUND" | "LAYOUT_NOT_FOUND" | "LAYOUT_NAME_TAKEN" | "LAYOUT_CONFLICT" | "BOOKMARK_NOT_FOUND" | "AUTH_CREDENTIALS_INVALID" | "AUTH_REFRESH_INVALID" | "AUTH_REAUTH_REQUIRED" | "USER_NOT_FOUND" | "USERNAME_TAKEN" | "LAST_ADMIN" | "SETTINGS_IN_CONFIG_FILE";
        ErrorInfo: {
            /** @description Stable machine code, e.g. `CAMERA_NOT_FOUND`. */
            code: components["schemas"]["ErrorCode"];
            /** @description Structured details, e.g. `{"fields": {"name": "is required"}}` for validation errors. */
            details?: Record<string, unknown> | null;
            message: string;
            requestId: string;
            /** @description RFC 3339 UTC. */
            timestamp: string;
        };
        /** @description An export job. */
        ExportJob: {
            /** Format: int64 */
            bytes?: number | null;
            /** Format: int64 */
            camera_id: number;
            /** Format: int64 */
            clip_end_ms?: number | null;
            /**
             * Format: int64
             * @description Once done: wall time (epoch ms) of the file's first frame (the keyframe at or before
             *     `start_ms`, or the first recorded after it) and of its last. Less than asked when the
             *     range begins or ends where nothing was recorded.
             */
            clip_start_ms?: number | null;
            /** @description Where to download it once done. */
            download_url?: string | null;
            /** Format: int64 */
            end_ms: number;
            error?: string | null;
            /** Format: int64 */
            id: number;
            /**
             * Format: double
             * @description 0.0–1.0.
             */
            progress: number;
            /** Format: int64 */
            start_ms: number;
            /** @description `running`, `done`, `failed`. */
            status: string;
        };
        /** @description `POST /exports` body. */
        ExportRequest: {
            /** Format: int64 */
            camera_id: number;
            end: components["schemas"]["InstantParam"];
            /** @description Epoch ms or RFC 3339. */
            start: components["schemas"]["InstantParam"];
        };
        /** @description Per-camera filter. The default keeps everything. */
        Filter: {
            /** @default bottom_center */
            anchor: components["schemas"]["Anchor"];
            /**
             * @description Labels to keep; empty keeps every label (blank entries are ignored).
             * @default []
             */
            labels: string[];
            /**
             * Format: float
             * @description Largest box area kept, as a fraction of the frame's area (bounds given the wrong way
             *     round are swapped).
             * @default 1
             */
            max_area: number;
            /**
             * Format: float
             * @description Smallest box area kept, as a fraction of the frame's area.
             * @default 0
             */
            min_area: number;
            /**
             * Format: float
             * @description Minimum score, `0..=1`.
             * @default 0
             */
            min_score: number;
            /** @default [] */
            zones: components["schemas"]["Zone"][];
        };
        /** @description A device that answered a probe. */
        Found: {
            /** @description `host:port` of its device service (from the first service address). */
            address: string;
            /** @description Its WS-Addressing endpoint (`urn:uuid:…`): the same device answers with the same one. */
            endpoint: string;
            /** @description From its `…/hardware/…` scope. */
            hardware?: string | null;
            /** @description From its `onvif://www.onvif.org/name/…` scope. */
            name?: string | null;
            /** @description Every device service URL it gave. */
            xaddrs: string[];
        };
        Health: {
            /**
             * @description Object detection: `ready`, `unavailable` or `disabled` (details in `/detection/status`).
             *     Recording and live view do not depend on it.
             */
            detection: string;
            /** @description `ok` while the database answers. */
            status: string;
            /**
             * @description With HTTPS: the SHA-256 fingerprint of the server's certificate (`AB:CD:…`), to compare
             *     with what a browser on another PC shows; `null` on plain HTTP (loopback).
             */
            tls_fingerprint?: string | null;
            version: string;
        };
        /** @description `stream:heartbeat`: a running camera's rates over the last interval. */
        Heartbeat: {
            /** Format: double */
            bitrate_kbps: number;
            codec?: string | null;
            /**
             * Format: int64
             * @description Packets dropped by any of its consumers so far.
             */
            dropped_frames: number;
            /** Format: double */
            fps: number;
            /** Format: int64 */
            recording_segments: number;
            /** @description `WIDTHxHEIGHT`. */
            resolution: string;
            status: components["schemas"]["CameraStatus"];
            viewers: components["schemas"]["ViewerCounts"];
        };
        /** @description RFC 3339, or epoch milliseconds */
        InstantParam: string | number;
        /** @description A saved layout. */
        Layout: {
            /** @description RFC 3339 UTC. */
            created_at: string;
            /** Format: int64 */
            id: number;
            is_default: boolean;
            layout: components["schemas"]["Tile"][];
            name: string;
            updated_at: string;
        };
        /** @description Body of `POST /layouts` and `PUT /layouts/{id}`. */
        LayoutInput: {
            is_default?: boolean;
            /**
             * @description At most 64 tiles, inside the 12 × 48 grid, apart, on existing cameras (a tile that
             *     overlaps another or reaches past the grid is a 409 `LAYOUT_CONFLICT`, a missing camera
             *     a 404 `CAMERA_NOT_FOUND`, both naming the tile's field).
             */
            layout: components["schemas"]["Tile"][];
            name: string;
        };
        /** @description Footage kept whatever retention and free space say. */
        Lock: {
            /** Format: int64 */
            camera_id: number;
            created_at: string;
            end: string;
            /** Format: int64 */
            end_ms: number;
            /** Format: int64 */
            id: number;
            reason: string;
            start: string;
            /** Format: int64 */
            start_ms: number;
        };
        /** @description A lock to create. */
        LockInput: {
            /** Format: int64 */
            camera_id: number;
            /** @description Epoch ms (or RFC 3339); a span given the wrong way round is swapped. */
            end: components["schemas"]["InstantParam"];
            /** @description Why it is kept (shown in the Storage page). */
            reason?: string;
            /** @description Epoch ms (an RFC 3339 string is accepted too). */
            start: components["schemas"]["InstantParam"];
        };
        /** @description Body of `POST /auth/login`. */
        LoginRequest: {
            password: string;
            username: string;
        };
        /** @description A signed-in session's tokens. */
        LoginResponse: {
            /** @description Bearer token for every request, good for `expires_in` seconds. */
            access_token: string;
            /** Format: int64 */
            expires_in: number;
            /**
             * @description Good once, for 7 days: `POST /auth/refresh` spends it for a new pair. Presenting a spent
             *     one ends the session.
             */
            refresh_token: string;
            user: components["schemas"]["User"];
        };
        /** @description A marker on the timeline: a detection event, another alert, a bookmark. */
        Marker: {
            /** Format: int64 */
            at_ms: number;
            /** Format: int64 */
            end_ms?: number | null;
            /**
             * Format: int64
             * @description The detection event's, the alert's or the bookmark's id.
             */
            id?: number | null;
            /** @description `detection` (a tracked object; `end_ms` is its last sighting), `alert` or `bookmark`. */
            kind: string;
            label: string;
            /** @description `info`, `warning` or `critical` for alerts. */
            severity?: string | null;
            /** @description The event's best snapshot. */
            snapshot_url?: string | null;
        };
        /** @description Who the caller is and what it may do. */
        Me: {
            /** @description Camera ids it may see; `null`: every camera. */
            cameras?: number[] | null;
            /** @description `user`, `token` or `admin_token`. */
            kind: string;
            name: string;
            permissions: components["schemas"]["Permission"][];
            role: components["schemas"]["Role"];
            user?: null | components["schemas"]["User"];
        };
        /**
         * @description `[mqtt]` in `config.toml`, or the settings saved from the UI. The password, if the broker
         *     wants one, is in the credential store (`vigil mqtt-password`, or the UI).
         */
        MqttConfig: {
            /**
             * @description Default: `vigil-<topic prefix>`.
             * @default null
             */
            client_id: string | null;
            /** @default homeassistant */
            discovery_prefix: string;
            /**
             * @description Whether the bridge runs (default true).
             * @default true
             */
            enabled: boolean;
            /** @default vigil */
            topic_prefix: string;
            /**
             * @description `mqtt://host:1883`.
             * @default
             */
            url: string;
            /** @default null */
            username: string | null;
        };
        /**
         * @description Where the settings in force come from.
         * @enum {string}
         */
        MqttSource: "config_file" | "ui" | "unset";
        /**
         * @description The bridge's connection.
         * @enum {string}
         */
        MqttState: "off" | "connecting" | "connected" | "failing";
        /** @description How the bridge is doing. */
        MqttStatus: {
            /** @description When the current connection was made (RFC 3339), while connected. */
            connected_since?: string | null;
            /**
             * Format: int64
             * @description Messages dropped since Vigil started because the broker was too slow or away.
             */
            dropped: number;
            /** @description Why the broker is not reachable, while failing. */
            last_error?: string | null;
            /**
             * Format: int64
             * @description Messages handed to the connection since Vigil started.
             */
            queued: number;
            state: components["schemas"]["MqttState"];
        };
        /** @description The outcome of "send test". */
        MqttTestResult: {
            /** Format: int64 */
            elapsed_ms: number;
            /** @description What happened, in words for the operator. */
            message: string;
            /** @description Whether the broker acknowledged the test message. */
            ok: boolean;
            /** @description The topic the test message went to. */
            topic: string;
        };
        /** @description `PUT /notifications/mqtt`, and what "send test" tries. */
        MqttUpdate: {
            client_id?: string | null;
            /** @description Default `homeassistant`. */
            discovery_prefix?: string | null;
            /** @description Default true. */
            enabled?: boolean | null;
            /** @description Absent: keep the saved password; empty: none; else the new one (credential store). */
            password?: string | null;
            /** @description Default `vigil`. */
            topic_prefix?: string | null;
            /** @description `mqtt://host:1883`. */
            url: string;
            username?: string | null;
        };
        /** @description `GET /notifications/mqtt`. */
        MqttView: {
            /** @description Whether a broker password is in the credential store. */
            password_set: boolean;
            settings?: null | components["schemas"]["MqttConfig"];
            source: components["schemas"]["MqttSource"];
            status: components["schemas"]["MqttStatus"];
        };
        /** @description What a device is and streams. */
        OnvifDevice: {
            address: string;
            /**
             * Format: int64
             * @description The camera here that already is this device (same serial number, or same host).
             */
            camera_id?: number | null;
            device: components["schemas"]["DeviceInfo"];
            /** @description Every media profile; `recordable` ones are H.264/H.265. */
            profiles: components["schemas"]["Profile"][];
            /** @description The device has a PTZ service. */
            ptz: boolean;
            /** Format: int64 */
            took_ms: number;
        };
        /** @description What probing a device found. */
        OnvifProbeOutcome: (components["schemas"]["OnvifDevice"] & {
            /** @enum {string} */
            outcome: "ok";
        }) | (components["schemas"]["ProbeFailure"] & {
            /** @enum {string} */
            outcome: "failed";
        });
        /** @description Body of `POST /discovery/probe`. */
        OnvifProbeRequest: {
            /** @description `host:port` of the device's ONVIF service (port 80 when left out). */
            address: string;
            /** @description Used for this probe only; never stored. */
            password?: string | null;
            username?: string | null;
        };
        /** @description The last maintenance pass. */
        PassView: {
            at?: string | null;
            /** Format: int64 */
            bytes_deleted: number;
            /** Format: int64 */
            bytes_moved: number;
            deleted: number;
            failed: number;
            moved: number;
            /**
             * Format: int64
             * @description Milliseconds spent planning.
             */
            plan_ms: number;
        };
        /**
         * @description A permission a route can require.
         * @enum {string}
         */
        Permission: "camera:read" | "camera:write" | "stream:view" | "camera:ptz" | "recording:read" | "recording:export" | "recording:delete" | "alert:ack" | "bookmark:write" | "footage:lock" | "storage:admin" | "admin";
        Position: {
            /**
             * Format: int32
             * @description Column, 0–11.
             */
            x: number;
            /**
             * Format: int32
             * @description Row, 0–47.
             */
            y: number;
        };
        /** @description A PTZ preset. */
        Preset: {
            name: string;
            token: string;
        };
        /** @description Why a probe could not read a source. */
        ProbeFailure: {
            /**
             * @description `SOURCE_UNREACHABLE`, `SOURCE_UNAUTHORIZED`, `SOURCE_NOT_FOUND` (no stream at that path),
             *     `SOURCE_INVALID`, `CODEC_UNSUPPORTED`, `NO_VIDEO`, `STREAM_NOT_READY` (a push camera not
             *     publishing), ...
             */
            code: components["schemas"]["ErrorCode"];
            /** @description The request field it is about: `source.url`, `source.path` or `source.kind`. */
            field: string;
            message: string;
            /**
             * Format: int64
             * @description How long trying took.
             */
            took_ms: number;
        };
        /** @description What a probe found. */
        ProbeOutcome: (components["schemas"]["ProbeResult"] & {
            /** @enum {string} */
            outcome: "ok";
        }) | (components["schemas"]["ProbeFailure"] & {
            /** @enum {string} */
            outcome: "failed";
        });
        /** @description Body of `POST /cameras/probe`. */
        ProbeRequest: {
            /** @description Used for this probe only; never stored. */
            password?: string | null;
            /** @description An RTSP URL or a file (a push camera cannot be probed: it connects to Vigil). */
            source: components["schemas"]["ProbeSource"];
            username?: string | null;
        };
        /** @description What a source sends. */
        ProbeResult: {
            audio_codec?: string | null;
            /** @description `h264`, `hevc`, ... */
            codec: string;
            /**
             * Format: double
             * @description Frames per second: as declared, else measured over the first packets.
             */
            fps: number;
            /** Format: int32 */
            height: number;
            /**
             * Format: int64
             * @description How long opening and reading took.
             */
            took_ms: number;
            /** Format: int32 */
            width: number;
        };
        /** @description The sources a probe can open (the document's view of `ProbeRequest.source`). */
        ProbeSource: {
            /** @enum {string} */
            kind: "rtsp";
            transport?: null | components["schemas"]["RtspTransport"];
            url: components["schemas"]["RtspUrl"];
        } | {
            /** @enum {string} */
            kind: "file";
            path: string;
        } | {
            address: string;
            /** @enum {string} */
            kind: "onvif";
            main_profile: string;
            sub_profile?: string | null;
            transport?: null | components["schemas"]["RtspTransport"];
        };
        /** @description One media profile: a stream the device offers. */
        Profile: {
            /** Format: int32 */
            bitrate_kbps?: number | null;
            /** @description `H264`, `H265`, `JPEG`, … as the device says. */
            encoding?: string | null;
            /** Format: float */
            fps?: number | null;
            /** Format: int32 */
            height?: number | null;
            name: string;
            /** @description The profile has a PTZ configuration. */
            ptz: boolean;
            /** @description H.264 or H.265: Vigil can record it. */
            recordable: boolean;
            snapshot_uri?: string | null;
            /** @description The RTSP URI (credentials, if the device put any in it, masked). */
            stream_uri?: string | null;
            /** @description The device's name for it (`ProfileToken`), what a camera source refers to. */
            token: string;
            /** Format: int32 */
            width?: number | null;
        };
        /** @description `POST /cameras/{id}/ptz`. */
        PtzCommand: {
            /** @enum {string} */
            action: "move";
            /** Format: float */
            pan?: number;
            /** Format: float */
            tilt?: number;
            /** Format: float */
            zoom?: number;
        } | {
            /** @enum {string} */
            action: "stop";
        } | {
            /** @enum {string} */
            action: "goto_preset";
            preset: string;
        } | {
            /** @enum {string} */
            action: "set_preset";
            name: string;
        };
        /** @description The answer to a command: the preset saved, for `set_preset`. */
        PtzDone: {
            preset?: string | null;
        };
        /** @description What a PTZ camera offers. */
        PtzInfo: {
            presets: components["schemas"]["Preset"][];
        };
        /** @description One MJPEG quality level at the camera's size. */
        QualityView: {
            /** Format: int32 */
            fps: number;
            /** Format: int32 */
            height: number;
            /** Format: int32 */
            jpeg_quality: number;
            name: string;
            /** Format: int32 */
            width: number;
        };
        /** @description Body of `POST /auth/reauth`. */
        ReauthRequest: {
            password: string;
        };
        /** @description A recorded segment. */
        Recording: {
            /** Format: int64 */
            bytes: number;
            /** Format: int64 */
            camera_id: number;
            /**
             * Format: int64
             * @description Wall-clock correction applied at this segment's start (0 normally).
             */
            clock_jump_ms: number;
            codec: string;
            /** Format: int64 */
            duration_ms: number;
            end: string;
            /** Format: int64 */
            end_ms: number;
            /** Format: int64 */
            height: number;
            /** Format: int64 */
            id: number;
            /** @description RFC 3339 UTC. */
            start: string;
            /** Format: int64 */
            start_ms: number;
            /** @description `recording` (being written), `complete`, `repaired` (cut back after a crash), `missing`. */
            state: string;
            tier: string;
            /** Format: int64 */
            width: number;
        };
        /** @description Why a camera records nothing now. */
        RecordingError: {
            message: string;
            /** @description When the failures began (RFC 3339). */
            since: string;
            /** @description The disk is full: footage is being moved or deleted to make room. */
            storage_full: boolean;
        };
        /** @description A page of recordings. */
        RecordingPage: {
            items: components["schemas"]["Recording"][];
            /** Format: int64 */
            limit: number;
            /** Format: int64 */
            offset: number;
            /** Format: int64 */
            total: number;
        };
        RecordingStatus: {
            /** Format: int64 */
            bytes: number;
            /** Format: int64 */
            dropped_packets: number;
            enabled: boolean;
            /** Format: int64 */
            errors: number;
            /** Format: int64 */
            segments: number;
        };
        /** @description Body of `POST /auth/refresh`. */
        RefreshRequest: {
            refresh_token: string;
        };
        RetentionConfig: {
            /**
             * @description Per camera overrides, by camera id.
             * @default {}
             */
            cameras: {
                [key: string]: components["schemas"]["CameraRetention"];
            };
            /** @default null */
            continuous: null | components["schemas"]["Duration"];
            /** @default null */
            event_padding: null | components["schemas"]["Duration"];
            /** @default null */
            events: null | components["schemas"]["Duration"];
        };
        /**
         * @description A role: a named default set of permissions.
         * @enum {string}
         */
        Role: "admin" | "operator" | "viewer" | "api_only";
        /**
         * @description RTSP transport: TCP (interleaved) is the default and the reliable choice; UDP is selectable.
         * @enum {string}
         */
        RtspTransport: "tcp" | "udp";
        /** @description rtsp:// or rtsps:// URL (IPv6 literal hosts in brackets are accepted too) */
        RtspUrl: string;
        /** @description rtsp:// or rtsps:// URL without user or password (IPv6 literal hosts in brackets are accepted too) */
        RtspUrlPlain: string;
        /** @description One rule. */
        Rule: {
            /** @description Camera ids; null: every camera, and alerts about no camera (storage, sign-ins). */
            cameras?: number[] | null;
            /** @description Channel ids; empty: every channel. */
            channels?: number[];
            /** @description Detection labels; empty: any (and alerts without one). */
            labels?: string[];
            /** @description The lowest severity sent (default `warning`). */
            min_severity?: string;
            /** @description Armed hours; empty: always. */
            schedule?: components["schemas"]["Window"][];
            /** @description Alert types; empty: every type. */
            types?: string[];
        };
        /** @description Body of `POST /discovery/scan`. */
        ScanRequest: {
            /**
             * Format: int64
             * @description How long to listen for answers, 1–10 s (default 3).
             */
            seconds?: number | null;
        };
        /** @description `POST /discovery/scan`'s answer. */
        ScanStarted: {
            /** @description A scan was already running: this is that one. */
            already_running: boolean;
            /**
             * Format: int64
             * @description Carried by its `discovery:found` and `discovery:done` events.
             */
            scan_id: number;
            /**
             * Format: int64
             * @description How long it listens for answers.
             */
            seconds: number;
        };
        /** @description Body of `POST /auth/setup`. */
        SetupRequest: {
            /** @description The code of the set-up link `vigil serve` printed. */
            code: string;
            password: string;
            username: string;
        };
        /**
         * @description How loud an alert is (the values of `severity`, for the API's document).
         * @enum {string}
         */
        SeverityName: "info" | "warning" | "critical";
        Size: {
            /**
             * Format: int32
             * @description Rows, 1–48.
             */
            height: number;
            /**
             * Format: int32
             * @description Columns, 1–12.
             */
            width: number;
        };
        /**
         * @description How the SMTP connection is secured.
         * @enum {string}
         */
        SmtpSecurity: "starttls" | "tls" | "none";
        /** @description Where a camera's video comes from, as the API shows it (never with credentials). */
        Source: {
            /** @enum {string} */
            kind: "rtsp";
            transport: components["schemas"]["RtspTransport"];
            url: string;
        } | {
            /** @enum {string} */
            kind: "rtmp_push";
            /** @description Empty for callers without `camera:write`. */
            publish_url: string;
            /** @description Empty for callers without `camera:write` (the key lets anyone feed the camera). */
            stream_key: string;
        } | {
            /** @enum {string} */
            kind: "file";
            path: string;
        } | {
            address: string;
            /** @enum {string} */
            kind: "onvif";
            main_profile: string;
            sub_profile?: string | null;
            transport: components["schemas"]["RtspTransport"];
        };
        /** @description Where a camera's video comes from, as the client sends it. */
        SourceInput: {
            /** @enum {string} */
            kind: "rtsp";
            transport?: null | components["schemas"]["RtspTransport"];
            url: components["schemas"]["RtspUrl"];
        } | {
            /** @enum {string} */
            kind: "rtmp_push";
        } | {
            /** @enum {string} */
            kind: "file";
            /** @description An absolute path on the machine running Vigil. */
            path: string;
        } | {
            /** @description `host:port` of its ONVIF service (port 80 when left out). */
            address: string;
            /** @enum {string} */
            kind: "onvif";
            /** @description The profile token of the main stream (`POST /discovery/probe` lists them). */
            main_profile: string;
            /** @description The profile token of the sub-stream, if any. */
            sub_profile?: string | null;
            transport?: null | components["schemas"]["RtspTransport"];
        };
        /** @description A stretch of time (recorded, or a gap). */
        Span: {
            /** Format: int64 */
            end_ms: number;
            /** Format: int64 */
            start_ms: number;
        };
        StorageConfig: {
            /** @default null */
            archive: null | components["schemas"]["ArchiveConfig"];
            /** @default null */
            check_interval: null | components["schemas"]["Duration"];
            /**
             * @default {
             *       "cameras": {},
             *       "continuous": null,
             *       "event_padding": null,
             *       "events": null
             *     }
             */
            retention: components["schemas"]["RetentionConfig"];
            /** @default [] */
            tiers: components["schemas"]["TierConfig"][];
        };
        /** @description A completed move or deletion. */
        StorageOp: {
            at: string;
            /** Format: int64 */
            bytes: number;
            /** Format: int64 */
            camera_id: number;
            end: string;
            from_tier: string;
            /** Format: int64 */
            id: number;
            /** @description `move` or `delete`. */
            kind: components["schemas"]["StorageOpKind"];
            reason: components["schemas"]["StorageReason"];
            /** Format: int64 */
            recording_id: number;
            start: string;
            to_tier?: string | null;
        };
        /** @enum {string} */
        StorageOpKind: "move" | "delete";
        /**
         * @description Why footage was moved or deleted.
         * @enum {string}
         */
        StorageReason: "age" | "size" | "free_space" | "retention" | "manual";
        /** @description Storage as it is now. */
        StorageView: {
            /** @description Whether archive access keys are kept in the credential store (they are never shown). */
            archive_keys_stored: boolean;
            cameras: components["schemas"]["CameraStorage"][];
            last_pass?: null | components["schemas"]["PassView"];
            settings: components["schemas"]["StorageConfig"];
            tiers: components["schemas"]["TierView"][];
        };
        StreamEndpoint: {
            qualities?: components["schemas"]["QualityView"][] | null;
            /** @description `mse`, `hls`, `mjpeg` or `snapshot`. */
            type: string;
            url: string;
        };
        /** @description `GET /cameras/{id}/stream/info`: what a player needs to pick a live stream. */
        StreamInfo: {
            /** Format: int64 */
            camera_id: number;
            codec?: string | null;
            /** @description Whether the camera has a sub-stream of its own (grid tiles then play it). */
            has_sub: boolean;
            /** Format: int32 */
            height: number;
            /** @description `video/mp4; codecs="…"` for `MediaSource.isTypeSupported`, once the camera has connected. */
            mime?: string | null;
            state: components["schemas"]["CameraStatus"];
            /** @description Which stream this describes (`sub` falls back to `main` for a camera without one). */
            stream: components["schemas"]["StreamSel"];
            streams: components["schemas"]["StreamEndpoint"][];
            viewers: components["schemas"]["ViewerCounts"];
            /** Format: int32 */
            width: number;
        };
        /**
         * @description Which of a camera's streams: the main one (recorded; full resolution) or its sub-stream
         *     (low resolution, for grid tiles and detection). A camera without a sub-stream serves its main
         *     stream for both.
         * @enum {string}
         */
        StreamSel: "main" | "sub";
        /** @description `GET /cameras/{id}/status`: the camera's stream right now. */
        StreamStatus: {
            /** Format: double */
            bitrate_kbps: number;
            /** Format: int64 */
            bytes: number;
            /** Format: int64 */
            camera_id: number;
            codec?: string | null;
            /**
             * @description RFC 3339: when the current outage began (the first failure, through every retry since);
             *     null while the camera runs or is stopped.
             */
            down_since?: string | null;
            /** @description Packets each consumer had to drop. */
            dropped: {
                [key: string]: number;
            };
            /**
             * Format: double
             * @description Rates over about the last second.
             */
            fps: number;
            /** Format: int32 */
            height: number;
            last_error?: string | null;
            last_error_code?: null | components["schemas"]["ErrorCode"];
            /** @description RFC 3339 time of the last packet. */
            last_packet_at?: string | null;
            /**
             * Format: int64
             * @description Running totals since the camera started.
             */
            packets: number;
            /** Format: double */
            packets_per_second: number;
            /** Format: int64 */
            reconnects: number;
            recording: components["schemas"]["RecordingStatus"];
            /** @description RFC 3339 time of the last state change. */
            since?: string | null;
            status: components["schemas"]["CameraStatus"];
            /** Format: int32 */
            width: number;
        };
        /**
         * @description `POST /notifications/channels/{id}/test` answers the queued delivery (follow it in the
         *     channel's deliveries).
         */
        TestQueued: {
            /** Format: int64 */
            delivery_id: number;
        };
        TierConfig: {
            /** @default null */
            max_age: null | components["schemas"]["Duration"];
            /** @default null */
            max_size: null | components["schemas"]["ByteSize"];
            /**
             * @description 1–32 characters: lower-case letters, digits, `-` and `_`.
             * @default
             */
            name: string;
            /**
             * @description An absolute directory. Default for the first tier: `DATA_DIR/recordings`.
             * @default null
             */
            path: string | null;
            /** @default null */
            reserve_free: null | components["schemas"]["ByteSize"];
        };
        /** @description A storage tier now. */
        TierView: {
            /** @description The S3 archive: `path` is its `s3://` URL, and it has no free space or capacity. */
            archive: boolean;
            /** Format: int64 */
            capacity_bytes: number;
            /** @description Whether the settings still name it (a tier dropped from them keeps its footage readable). */
            configured: boolean;
            /**
             * Format: double
             * @description Days until its filesystem reaches the reserve at the cameras' current rate (the tier
             *     recording writes to only).
             */
            days_until_full?: number | null;
            /**
             * Format: int64
             * @description Free and total bytes of its filesystem.
             */
            free_bytes: number;
            name: string;
            newest?: string | null;
            offline_reason?: string | null;
            oldest?: string | null;
            /** @description Whether Vigil can use it: its identity file is there and names this database. */
            online: boolean;
            path: string;
            /**
             * Format: int64
             * @description Free space never given up (configured, or the default).
             */
            reserve_free_bytes: number;
            /** Format: int64 */
            segments: number;
            /**
             * Format: int64
             * @description Bytes of footage the index holds on it.
             */
            used_bytes: number;
        };
        /** @description One camera's tile. */
        Tile: {
            /** Format: int64 */
            camera_id: number;
            position: components["schemas"]["Position"];
            size: components["schemas"]["Size"];
        };
        /** @description A camera's recordings over a window, with what happened in it. */
        Timeline: {
            /** Format: int64 */
            camera_id: number;
            /** Format: int64 */
            end_ms: number;
            /**
             * Format: int64
             * @description Where the camera's footage begins: the start of its oldest recording still kept, at any
             *     time (not only in the window); null when it has none. Before it there is no footage yet
             *     (or none kept), which the UI does not paint as a gap.
             */
            first_footage_ms?: number | null;
            /** @description Stretches with no recording (from the window's start, clipped to now). */
            gaps: components["schemas"]["Span"][];
            markers: components["schemas"]["Marker"][];
            /** @description Recorded spans (contiguous segments merged). */
            segments: components["schemas"]["Span"][];
            /** Format: int64 */
            start_ms: number;
        };
        /** @description Body of `POST /api/v1/tokens`: a role (default viewer) and optionally fewer permissions than it has. */
        TokenCreate: {
            /**
             * @description Camera ids the token may see (each an existing camera); absent or null means every
             *     camera, also those added later.
             */
            cameras?: number[] | null;
            expires_at?: null | components["schemas"]["InstantParam"];
            name: string;
            /** @description Defaults to all of viewer's permissions; may list fewer. */
            permissions?: ("camera:read" | "stream:view" | "recording:read")[] | null;
            /**
             * Format: int64
             * @description Requests per minute (1–100000); absent means unlimited.
             */
            rate_limit_per_min?: number | null;
            remark?: string | null;
            /** @enum {string|null} */
            role?: "viewer" | null;
        } | {
            /**
             * @description Camera ids the token may see (each an existing camera); absent or null means every
             *     camera, also those added later.
             */
            cameras?: number[] | null;
            expires_at?: null | components["schemas"]["InstantParam"];
            name: string;
            /** @description Defaults to all of operator's permissions; may list fewer. */
            permissions?: ("camera:read" | "stream:view" | "camera:ptz" | "recording:read" | "recording:export" | "alert:ack" | "bookmark:write" | "footage:lock")[] | null;
            /**
             * Format: int64
             * @description Requests per minute (1–100000); absent means unlimited.
             */
            rate_limit_per_min?: number | null;
            remark?: string | null;
            /** @enum {string} */
            role: "operator";
        } | {
            /**
             * @description Camera ids the token may see (each an existing camera); absent or null means every
             *     camera, also those added later.
             */
            cameras?: number[] | null;
            expires_at?: null | components["schemas"]["InstantParam"];
            name: string;
            /** @description Defaults to all of admin's permissions; may list fewer. */
            permissions?: ("camera:read" | "camera:write" | "stream:view" | "camera:ptz" | "recording:read" | "recording:export" | "recording:delete" | "alert:ack" | "bookmark:write" | "footage:lock" | "storage:admin" | "admin")[] | null;
            /**
             * Format: int64
             * @description Requests per minute (1–100000); absent means unlimited.
             */
            rate_limit_per_min?: number | null;
            remark?: string | null;
            /** @enum {string} */
            role: "admin";
        } | {
            /**
             * @description Camera ids the token may see (each an existing camera); absent or null means every
             *     camera, also those added later.
             */
            cameras?: number[] | null;
            expires_at?: null | components["schemas"]["InstantParam"];
            name: string;
            /** @description Defaults to all of api_only's permissions; may list fewer. */
            permissions?: ("camera:read" | "recording:read")[] | null;
            /**
             * Format: int64
             * @description Requests per minute (1–100000); absent means unlimited.
             */
            rate_limit_per_min?: number | null;
            remark?: string | null;
            /** @enum {string} */
            role: "api_only";
        };
        /** @description Answer of `POST /api/v1/tokens`: the only time the secret is shown. */
        TokenCreated: {
            secret: string;
            token: components["schemas"]["TokenInfo"];
        };
        /** @description A token as listed (never with its secret). */
        TokenInfo: {
            /** @description Camera ids it may see; `null`: every camera. */
            cameras?: number[] | null;
            /** @description RFC 3339 UTC. */
            created_at: string;
            expires_at?: string | null;
            /** Format: int64 */
            id: number;
            last_used_at?: string | null;
            name: string;
            permissions: components["schemas"]["Permission"][];
            /** @description The first characters of the secret, to tell tokens apart. */
            prefix: string;
            /**
             * Format: int32
             * @description Requests per minute; `null` means unlimited.
             */
            rate_limit_per_min?: number | null;
            remark?: string | null;
            role: components["schemas"]["Role"];
        };
        UsageHistory: {
            /** @description Oldest first; one per tier per maintenance pass (at most a minute apart), kept 90 days. */
            samples: components["schemas"]["UsagePoint"][];
        };
        /** @description One tier's usage at one time. */
        UsagePoint: {
            at: string;
            /** Format: int64 */
            capacity_bytes: number;
            /**
             * Format: int64
             * @description Free and total bytes of its filesystem (0 for the archive).
             */
            free_bytes: number;
            tier: string;
            /**
             * Format: int64
             * @description Bytes of footage the index held on it.
             */
            used_bytes: number;
        };
        /** @description A user (never the password). */
        User: {
            /** @description Camera ids the user may see; `null`: every camera. */
            cameras?: number[] | null;
            /** @description RFC 3339 UTC. */
            created_at: string;
            display_name?: string | null;
            enabled: boolean;
            /** @description Whether a password is set (without one the user cannot sign in yet). */
            has_password: boolean;
            /** Format: int64 */
            id: number;
            last_login_at?: string | null;
            role: components["schemas"]["UserRole"];
            username: string;
        };
        /** @description Body of `POST /api/v1/users`. */
        UserCreate: {
            /** @description Camera ids the user may see; absent or null: every camera, also those added later. */
            cameras?: number[] | null;
            display_name?: string | null;
            /** @description 8 to 256 characters; absent or null: none yet (the user cannot sign in until one is set). */
            password?: string | null;
            role: components["schemas"]["UserRole"];
            /** @description Letters, digits and `.`, `_`, `-`, `@`; unique regardless of case. */
            username: string;
        };
        /**
         * @description Body of `PATCH /api/v1/users/{id}`: absent fields are kept, `null` clears optional ones
         *     (`cameras: null` is every camera).
         */
        UserPatch: {
            cameras?: number[] | null;
            display_name?: string | null;
            enabled?: boolean | null;
            password?: string | null;
            role?: null | components["schemas"]["UserRole"];
            username?: string | null;
        };
        /**
         * @description The roles a person can have (`api_only` is for tokens).
         * @enum {string}
         */
        UserRole: "admin" | "operator" | "viewer";
        ViewerCounts: {
            /** @description 1 while HLS is being fetched (players poll; they cannot be counted one by one). */
            hls: number;
            mjpeg: number;
            mse: number;
        };
        /**
         * @description A weekday, as rules name them.
         * @enum {string}
         */
        Weekday: "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun";
        /**
         * @description A window of armed hours on some weekdays, local time. `end` before `start` crosses midnight
         *     (`22:00`–`06:00`: the night from each listed day into the next).
         */
        Window: {
            /** @description `mon` … `sun`; empty: every day. */
            days?: components["schemas"]["Weekday"][];
            /** @description `HH:MM`. */
            end: string;
            /** @description `HH:MM`. */
            start: string;
        };
        /** @description What happened, tagged by `type`. */
        WireBody: {
            subscriber: string;
            /** @enum {string} */
            type: "hello";
        } | {
            /** @enum {string} */
            type: "pong";
        } | {
            /** Format: int64 */
            missed: number;
            /** @enum {string} */
            type: "events:lagged";
        } | {
            camera: components["schemas"]["Camera"];
            /** @enum {string} */
            type: "camera:created";
        } | {
            camera: components["schemas"]["Camera"];
            /** @enum {string} */
            type: "camera:updated";
        } | {
            /** @enum {string} */
            type: "camera:deleted";
        } | {
            detail?: string | null;
            status: components["schemas"]["CameraStatus"];
            /** @enum {string} */
            type: "stream:status";
        } | (components["schemas"]["Heartbeat"] & {
            /** @enum {string} */
            type: "stream:heartbeat";
        }) | {
            /** Format: int64 */
            recording_id: number;
            start: string;
            /** @enum {string} */
            type: "recording:started";
        } | {
            /** Format: int64 */
            bytes: number;
            end: string;
            /** Format: int64 */
            recording_id: number;
            start: string;
            /** @enum {string} */
            type: "recording:segment";
        } | {
            message: string;
            storage_full: boolean;
            /** @enum {string} */
            type: "recording:failed";
        } | {
            /** Format: int64 */
            jump_ms: number;
            /** @enum {string} */
            type: "recording:clock_jump";
        } | {
            /** Format: int64 */
            recording_id: number;
            /** @enum {string} */
            type: "recording:deleted";
        } | {
            /** Format: int64 */
            bytes: number;
            from_tier: string;
            reason: components["schemas"]["StorageReason"];
            /** Format: int64 */
            recording_id: number;
            to_tier: string;
            /** @enum {string} */
            type: "storage:moved";
        } | {
            /** Format: int64 */
            bytes: number;
            reason: components["schemas"]["StorageReason"];
            /** Format: int64 */
            recording_id: number;
            tier: string;
            /** @enum {string} */
            type: "storage:deleted";
        } | {
            reason: string;
            tier: string;
            /** @enum {string} */
            type: "storage:tier_offline";
        } | {
            tier: string;
            /** @enum {string} */
            type: "storage:tier_online";
        } | {
            /** Format: int64 */
            export_id: number;
            /** Format: double */
            progress: number;
            /** @enum {string} */
            type: "export:progress";
        } | {
            /** Format: int64 */
            bytes?: number | null;
            /** Format: int64 */
            export_id: number;
            /** @enum {string} */
            type: "export:done";
        } | {
            error: string;
            /** Format: int64 */
            export_id: number;
            /** @enum {string} */
            type: "export:failed";
        } | {
            detection: components["schemas"]["DetectionView"];
            /** Format: int64 */
            latency_ms: number;
            /** @enum {string} */
            type: "detection";
        } | {
            event: components["schemas"]["DetectionEventView"];
            /** @enum {string} */
            type: "detection_event:start";
        } | {
            event: components["schemas"]["DetectionEventView"];
            /** @enum {string} */
            type: "detection_event:end";
        } | {
            status: components["schemas"]["DetectionStatus"];
            /** @enum {string} */
            type: "detection:status";
        } | {
            detection: components["schemas"]["CameraDetection"];
            /** @enum {string} */
            type: "camera:detection";
        } | {
            alert: components["schemas"]["Alert"];
            camera_name?: string | null;
            /** @enum {string} */
            type: "alert";
        } | {
            alert: components["schemas"]["Alert"];
            /** @enum {string} */
            type: "alert:acknowledged";
        } | {
            alert: components["schemas"]["Alert"];
            /** @enum {string} */
            type: "alert:updated";
        } | {
            /** Format: int64 */
            alert_id: number;
            /** @enum {string} */
            type: "notification:clicked";
        } | {
            bookmark: components["schemas"]["Bookmark"];
            /** @enum {string} */
            type: "bookmark:created";
        } | {
            /** Format: int64 */
            bookmark_id: number;
            /** @enum {string} */
            type: "bookmark:deleted";
        } | {
            /** Format: int64 */
            layout_id: number;
            owner: string;
            /** @enum {string} */
            type: "layout:saved";
        } | {
            /** Format: int64 */
            layout_id: number;
            owner: string;
            /** @enum {string} */
            type: "layout:deleted";
        } | {
            /** Format: int64 */
            camera_id?: number | null;
            device: components["schemas"]["Found"];
            /** Format: int64 */
            scan_id: number;
            /** @enum {string} */
            type: "discovery:found";
        } | {
            error?: string | null;
            found: number;
            /** Format: int64 */
            scan_id: number;
            /** @enum {string} */
            type: "discovery:done";
        };
        /** @description One message on `/api/v1/events`. */
        WireEvent: components["schemas"]["WireBody"] & {
            /** @description RFC 3339 UTC with milliseconds. */
            at: string;
            /**
             * Format: int64
             * @description The camera it is about, if any.
             */
            camera_id?: number | null;
        };
        /** @description A polygon over the frame, vertices in normalised coordinates (`0..=1`, origin top-left). */
        Zone: {
            mode?: components["schemas"]["ZoneMode"];
            name?: string;
            polygon: number[][];
        };
        /**
         * @description What a zone does to detections whose anchor point lies inside it.
         * @enum {string}
         */
        ZoneMode: "include" | "exclude";
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    get_alerts: {
        parameters: {
            query?: {
                acknowledged?: boolean;
                camera_id?: number;
                /** @description The next page: `next` of the previous answer (`<created ms>.<id>`). */
                cursor?: string;
                /** @description Incidents with at least one tracked object of this label, e.g. `person`. */
                label?: string;
                /** @description 1–1000, default 100. */
                limit?: number;
                /** @description `false`: still going on (an incident not ended, a condition still holding); `true`: over. */
                resolved?: boolean;
                /** @description `info`, `warning` or `critical`. */
                severity?: components["schemas"]["SeverityName"];
                /** @description RFC 3339 (or epoch ms): alerts created at or after. */
                since?: components["schemas"]["InstantParam"];
                /** @description An alert type, e.g. `camera_offline`. */
                type?: components["schemas"]["AlertKind"];
                /** @description RFC 3339 (or epoch ms): alerts created before (with `since`, a time range). */
                until?: components["schemas"]["InstantParam"];
                /** @description Incidents that touched this zone. */
                zone?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_AlertList"];
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_alerts_id_ack: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_Alert"];
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description ALERT_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_alerts_ack: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AckRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_AckResult"];
                };
            };
            /** @description VALIDATION_FAILED: a bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: the body must be application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_audit: {
        parameters: {
            query?: {
                action?: components["schemas"]["AuditAction"];
                camera_id?: number;
                /** @description The next page: `next` of the previous answer. */
                cursor?: string;
                /** @description RFC 3339 (or epoch ms): entries before. */
                end?: components["schemas"]["InstantParam"];
                /** @description 1–1000, default 100. */
                limit?: number;
                /** @description RFC 3339 (or epoch ms): entries at or after. */
                start?: components["schemas"]["InstantParam"];
                /** @description A username: that user's entries, failed sign-ins under that name included. */
                user?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_AuditPage"];
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_audit_export_csv: {
        parameters: {
            query?: {
                action?: components["schemas"]["AuditAction"];
                camera_id?: number;
                /** @description RFC 3339 (or epoch ms): entries before. */
                end?: components["schemas"]["InstantParam"];
                /** @description RFC 3339 (or epoch ms): entries at or after. */
                start?: components["schemas"]["InstantParam"];
                /** @description A username: that user's entries, failed sign-ins under that name included. */
                user?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description CSV: at, actor, action, outcome, camera_id, target, client, details */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": unknown;
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_auth_lock: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_auth_login: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LoginRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_LoginResponse"];
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_CREDENTIALS_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: the body must be application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_auth_logout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description FAILED_PRECONDITION: the caller is a token, not a signed-in user */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_auth_me: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_Me"];
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_auth_reauth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ReauthRequest"];
            };
        };
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_CREDENTIALS_INVALID: wrong password */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description FAILED_PRECONDITION: the caller is a token, not a signed-in user */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: the body must be application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_auth_refresh: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RefreshRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_LoginResponse"];
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_REFRESH_INVALID: unknown, spent (the session is now revoked), expired or signed out */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: the body must be application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_auth_setup: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SetupRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_LoginResponse"];
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_CREDENTIALS_INVALID: not the link's code (it works once; a restart makes a new one) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description FAILED_PRECONDITION: someone has an account already */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: the body must be application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_auth_unlock: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    delete_bookmarks_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description BOOKMARK_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_cameras: {
        parameters: {
            query?: {
                /**
                 * @description Also list cameras deleted with their footage kept (`removed_at` set), whose recordings
                 *     can still be played and exported.
                 */
                include_removed?: boolean;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_Vec_Camera"];
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_cameras: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CameraCreate"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_Camera"];
                };
            };
            /** @description VALIDATION_FAILED with details.fields */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description CAMERA_SERIAL_DUPLICATE */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: the body must be application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_cameras_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_Camera"];
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description CAMERA_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    delete_cameras_id: {
        parameters: {
            query?: {
                /**
                 * @description Keep the camera's recordings, events and bookmarks: it leaves service (stream stopped,
                 *     password and stream key forgotten, gone from the list and the grid) and its footage stays
                 *     playable and exportable until retention ages it out. Default false: deleted with it.
                 */
                keep_footage?: boolean;
            };
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    patch_cameras_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CameraPatch"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_Camera"];
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description CAMERA_SERIAL_DUPLICATE, or CAMERA_REMOVED: deleted with its footage kept */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: the body must be application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_cameras_id_bookmarks: {
        parameters: {
            query?: {
                /** @description RFC 3339 (or epoch ms); default: now. */
                end?: components["schemas"]["InstantParam"];
                /** @description RFC 3339 (or epoch ms); default: a span before `end`. */
                start?: components["schemas"]["InstantParam"];
            };
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_Vec_Bookmark"];
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_cameras_id_bookmarks: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BookmarkInput"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_Bookmark"];
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: the body must be application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_cameras_id_detection: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_CameraDetection"];
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    put_cameras_id_detection: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CameraDetection"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_CameraDetection"];
                };
            };
            /** @description VALIDATION_FAILED with details.fields (e.g. filter.zones[0].polygon) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: the body must be application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_cameras_id_hls_init_name: {
        parameters: {
            query?: {
                /** @description `main` (default) or `sub`. */
                stream?: string;
            };
            header?: never;
            path: {
                id: number;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "video/mp4": unknown;
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_cameras_id_hls_live_m3u8: {
        parameters: {
            query?: {
                /** @description `main` (default) or `sub`. */
                stream?: string;
            };
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/vnd.apple.mpegurl": unknown;
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STREAM_NOT_READY: the camera is not connected (see its status) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STREAM_NOT_READY: connected, but no segment within the wait */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_cameras_id_hls_segment_name: {
        parameters: {
            query?: {
                /** @description `main` (default) or `sub`. */
                stream?: string;
            };
            header?: never;
            path: {
                id: number;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "video/iso.segment": unknown;
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_cameras_id_probe: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_ProbeOutcome"];
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_cameras_id_ptz: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_PtzInfo"];
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PTZ_UNSUPPORTED */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_cameras_id_ptz: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PtzCommand"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_PtzDone"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PTZ_UNSUPPORTED */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: the body must be application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_cameras_id_start: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_Camera"];
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description CAMERA_REMOVED: deleted with its footage kept */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_cameras_id_status: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_StreamStatus"];
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_cameras_id_stop: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_Camera"];
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description CAMERA_REMOVED: deleted with its footage kept */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_cameras_id_stream: {
        parameters: {
            query?: {
                /** @description `low`, `medium` (the default) or `high`. */
                quality?: string;
                /** @description `main` (default) or `sub` (the camera's sub-stream, if it has one). */
                stream?: string;
                /**
                 * @description A bearer token, for clients that cannot set headers; or send it as the first message.
                 *     (Read by the authentication layer.)
                 */
                token?: string;
            };
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description WebSocket of JPEG frames */
            101: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_cameras_id_stream_info: {
        parameters: {
            query?: {
                /** @description `main` (default) or `sub`. */
                stream?: string;
            };
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_StreamInfo"];
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_cameras_id_stream_mse: {
        parameters: {
            query?: {
                /** @description `main` (default) or `sub` (the camera's sub-stream, if it has one). */
                stream?: string;
                /**
                 * @description A bearer token, for clients that cannot set headers; or send it as the first message.
                 *     (Read by the authentication layer.)
                 */
                token?: string;
            };
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description WebSocket of fMP4 init and fragments */
            101: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_cameras_id_stream_snapshot: {
        parameters: {
            query?: {
                /** @description `main` (default) or `sub`. */
                stream?: string;
            };
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "image/jpeg": unknown;
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STREAM_NOT_READY: the camera is not connected (see its status) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description SNAPSHOT_UNAVAILABLE: connected, but no picture within 10 s */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_cameras_id_timeline: {
        parameters: {
            query?: {
                /** @description RFC 3339 (or epoch ms); default: now. */
                end?: components["schemas"]["InstantParam"];
                /** @description RFC 3339 (or epoch ms); default: a span before `end`. */
                start?: components["schemas"]["InstantParam"];
            };
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_Timeline"];
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_cameras_id_vod_m3u8: {
        parameters: {
            query?: {
                /** @description RFC 3339 (or epoch ms); default: now. */
                end?: components["schemas"]["InstantParam"];
                /** @description RFC 3339 (or epoch ms); default: a span before `end`. */
                start?: components["schemas"]["InstantParam"];
            };
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/vnd.apple.mpegurl": unknown;
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_cameras_probe: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ProbeRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_ProbeOutcome"];
                };
            };
            /** @description VALIDATION_FAILED with details.fields["source.url"] */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: the body must be application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_detection_events: {
        parameters: {
            query?: {
                camera_id?: number;
                /** @description RFC 3339 (or epoch ms). */
                end?: components["schemas"]["InstantParam"];
                label?: string;
                /** @description 1–1000, default 100. */
                limit?: number;
                /** @description RFC 3339 (or epoch ms). */
                start?: components["schemas"]["InstantParam"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_Vec_DetectionEventView"];
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_detection_events_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_DetectionEventView"];
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description EVENT_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_detection_status: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_DetectionStatus"];
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_detections: {
        parameters: {
            query?: {
                camera_id?: number;
                event_id?: number;
                label?: string;
                /** @description 1–1000, default 100. */
                limit?: number;
                /** @description RFC 3339 (or epoch ms): detections at or after. */
                since?: components["schemas"]["InstantParam"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_Vec_DetectionView"];
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_detections_id_snapshot: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "image/jpeg": unknown;
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description DETECTION_NOT_FOUND or SNAPSHOT_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_discovery_probe: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["OnvifProbeRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_OnvifProbeOutcome"];
                };
            };
            /** @description VALIDATION_FAILED with details.fields */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: the body must be application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_discovery_scan: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ScanRequest"];
            };
        };
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_ScanStarted"];
                };
            };
            /** @description VALIDATION_FAILED */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: the body must be application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_events: {
        parameters: {
            query?: {
                /** @description bearer token, for clients that cannot set headers */
                token?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description WebSocket of JSON events */
            101: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WireEvent"];
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_exports: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ExportRequest"];
            };
        };
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_ExportJob"];
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description CAMERA_NOT_FOUND or NO_RECORDINGS in that range */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description EXPORT_TOO_LONG: more than 24 hours */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: the body must be application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_exports_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_ExportJob"];
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_exports_id_file: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "video/mp4": unknown;
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description EXPORT_NOT_READY */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_health: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_layouts: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_Vec_Layout"];
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_layouts: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LayoutInput"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_Layout"];
                };
            };
            /** @description VALIDATION_FAILED with details.fields (e.g. layout[2].size.width) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description CAMERA_NOT_FOUND: a tile's camera (details.fields names the tile) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description LAYOUT_CONFLICT (tiles overlap or reach past the grid; details.fields names them) or LAYOUT_NAME_TAKEN */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: the body must be application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_layouts_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_Layout"];
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description LAYOUT_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    put_layouts_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LayoutInput"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_Layout"];
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description LAYOUT_NOT_FOUND, or CAMERA_NOT_FOUND for a tile's camera */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description LAYOUT_CONFLICT or LAYOUT_NAME_TAKEN */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: the body must be application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    delete_layouts_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description LAYOUT_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_locks: {
        parameters: {
            query?: {
                camera_id?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_Vec_Lock"];
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_locks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LockInput"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_Lock"];
                };
            };
            /** @description VALIDATION_FAILED */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description CAMERA_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: the body must be application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    delete_locks_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description LOCK_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_metrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Prometheus text exposition */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": unknown;
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_notifications_channels: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_Vec_Channel"];
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_notifications_channels: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ChannelCreate"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_ChannelCreated"];
                };
            };
            /** @description VALIDATION_FAILED with details.fields */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: the body must be application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_notifications_channels_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_Channel"];
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    delete_notifications_channels_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    patch_notifications_channels_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ChannelPatch"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_Channel"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: the body must be application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_notifications_channels_id_deliveries: {
        parameters: {
            query?: {
                /** @description Deliveries before this id (the last of the previous page). */
                before?: number;
                /** @description 1–500, default 100. */
                limit?: number;
            };
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_Vec_Delivery"];
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_notifications_channels_id_test: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_TestQueued"];
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_notifications_mqtt: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_MqttView"];
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    put_notifications_mqtt: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MqttUpdate"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_MqttView"];
                };
            };
            /** @description VALIDATION_FAILED with details.fields */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description SETTINGS_IN_CONFIG_FILE: `[mqtt]` is in config.toml */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: the body must be application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_notifications_mqtt_test: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MqttUpdate"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_MqttTestResult"];
                };
            };
            /** @description VALIDATION_FAILED with details.fields */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: the body must be application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_notifications_rules: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_Vec_Rule"];
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    put_notifications_rules: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Rule"][];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_Vec_Rule"];
                };
            };
            /** @description VALIDATION_FAILED with details.fields */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description NOT_FOUND: a rule names a channel that does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: the body must be application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_openapi_json: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OpenAPI 3.1 document */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_recordings: {
        parameters: {
            query?: {
                camera_id?: number;
                /** @description RFC 3339 (or epoch ms); default: now. */
                end?: components["schemas"]["InstantParam"];
                /** @description 1–1000, default 100. */
                limit?: number;
                /** @description Default 0. */
                offset?: number;
                /** @description RFC 3339 (or epoch ms); default: `end` − 24 h. */
                start?: components["schemas"]["InstantParam"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_RecordingPage"];
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_recordings_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_Recording"];
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    delete_recordings_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RECORDING_IN_PROGRESS */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_recordings_id_file: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "video/mp4": unknown;
                };
            };
            206: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "video/mp4": unknown;
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description the range is outside the file */
            416: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_recordings_id_init_mp4: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "video/mp4": unknown;
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_recordings_id_media_m4s: {
        parameters: {
            query: {
                /** @description Its length in bytes (at most 64 MiB). */
                len: number;
                /** @description Byte offset of the piece's first fragment. */
                offset: number;
                /** @description How far to move its decode times. */
                shift_ms?: number;
            };
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "video/iso.segment": unknown;
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RECORDING_NOT_FOUND, or SEGMENT_NOT_FOUND: no piece at those bytes */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_storage: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_StorageView"];
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    put_storage: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StorageConfig"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_StorageView"];
                };
            };
            /** @description VALIDATION_FAILED */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_CONFIG_CONFLICT */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: the body must be application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_TIER_OFFLINE: a new tier cannot be initialised */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    put_storage_archive_credentials: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ArchiveKeys"];
            };
        };
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description VALIDATION_FAILED */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: the body must be application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    delete_storage_archive_credentials: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_storage_maintenance: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_PassView"];
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_storage_ops: {
        parameters: {
            query?: {
                /** @description Entries older than this id (the `id` of the last entry of the previous page). */
                before?: number;
                /** @description 1–1000, default 100. */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_Vec_StorageOp"];
                };
            };
            /** @description VALIDATION_FAILED */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_storage_usage: {
        parameters: {
            query?: {
                /** @description From this time (epoch milliseconds or RFC 3339); default: 7 days ago. */
                since?: components["schemas"]["InstantParam"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_UsageHistory"];
                };
            };
            /** @description VALIDATION_FAILED */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_tokens: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_Vec_TokenInfo"];
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_tokens: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TokenCreate"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_TokenCreated"];
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description CAMERA_NOT_FOUND: a listed camera does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: the body must be application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    delete_tokens_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_users: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_Vec_User"];
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_users: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UserCreate"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_User"];
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description CAMERA_NOT_FOUND: a listed camera does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description USERNAME_TAKEN */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: the body must be application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_users_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_User"];
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description USER_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    delete_users_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description LAST_ADMIN */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    patch_users_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UserPatch"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_User"];
                };
            };
            /** @description VALIDATION_FAILED (details.fields names each bad field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description LAST_ADMIN: the change would leave no enabled admin */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: the body must be application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description RATE_LIMIT_EXCEEDED (see Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description INTERNAL_ERROR */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description STORAGE_FULL */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
}
