/// # Outbound
///
/// What Gatehouse sends to the outside world when something happens at a door: HTTP requests,
/// FTP/FTPS/TFTP uploads and e-mails with a camera snapshot, web relay commands, action URLs and
/// third-party credential checks (issue 8).
///
/// ## Layers
/// - **Transport/** — `Transport` runs every transfer on one libcurl multi handle driven by a
///   dedicated thread (`CurlEngine`): tasks hand a transfer over and suspend on a continuation, so no
///   executor thread ever blocks on the network. HTTP(S) with Basic/Digest (MD5 and SHA-256), FTP
///   with passive mode and directory creation, explicit/implicit FTPS, TFTP, SMTP with required
///   STARTTLS or implicit TLS and a MIME message built here (`MIMEMessage`). TLS verification is on
///   by default; `TransportOptions.caFile` trusts a site CA. Every failure is a `TransportError` that
///   names what and where and says whether retrying can help (`isTransient`).
/// - **Outbox/** — `Outbox` persists an `OutboundAction` in SQLite before attempting it, retries
///   transient failures with exponential backoff (`RetryPolicy`), parks the rest as `dead` with the
///   last error, lists by state and retries on demand. Delays and "execute if still triggered"
///   (`FireCondition`) live in the row, so they survive a restart. Time comes from an injected
///   `OutboxClock`. Its tables come from `OutboxMigrations`, registered by the composition root.
/// - **Snapshots/** — `CameraSnapshots` fetches a JPEG per named camera; image actions take it at
///   fire time and keep it in the row so retries resend the same picture.
/// - **InputActions/**, **WebRelays/**, **ActionURLs/**, **ThirdParty/** — the Akuvox-style
///   behaviours on top: input actions and the reception button, web relays with presets, `$variable`
///   action URLs with PIN masking, and the third-party verification client.
/// - **ScriptIO/** — the async API behind Lua's `http.request`, `ftp.put`, `tftp.put`, `mail.send`,
///   `snapshot` and `webrelay.fire`.
///
/// ## Seams (adapted by the composition root)
/// `InputStateReader` (is an input still triggered?) and `RelayFirer` (fire a local relay) stand for
/// the door engine; `SnapshotSource`, `WebRelayFiring` and `ActionPerformer` have real implementations here
/// (`CameraSnapshots`, `WebRelays`, `TransportPerformer`); the host passes ones that follow its reloadable
/// site actions (`<site>/actions.toml`). Outbound does not depend on AccessControl or Storage.
public enum Outbound {
    /// The libcurl version the transport runs on, for `gatehouse version` and diagnostics.
    public static var curlVersion: String { Curl.version }
}
