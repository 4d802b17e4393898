/// # PushServer
///
/// The ADMS role: ZKTeco access terminals and controllers register with Gatehouse, upload their events and take
/// commands from it (Security PUSH 3.1.2, `shared/reference/zkteco-security-push-3.1.2.md` §4–§10, and every field
/// departure of `shared/research/push-real-world.md`).
///
/// ## Shape
/// - `Sessions/`: the protocol logic. `DeviceAdmission` and `PushServerSession` are pure: given a parsed request and
///   what the registry knows about the device they decide what must happen (register, refuse, ingest, deliver) as
///   plain values. `PushServer.handle(_:)` performs those decisions against the store and renders the reply with
///   the codec (`PushProtocol`); nothing here formats a protocol string by hand.
/// - `Storage/`: `PushServerMigrations` (the lead registers them) and `PushServerStore` on GRDB: the device
///   registry, the deduplicated event and row ledger, raw uploads, and the durable command queue.
/// - `HTTP/`: the thin Hummingbird adapter (`PushServerResponder`, `PushServerService`). Every path goes to
///   `PushServer.handle(_:)`, so `/iclock/cdata.aspx`, trailing slashes and results POSTed to getrequest behave as
///   the canonical paths.
/// - `Configuration/`: the registration policy (`approve`, `open`, `allowlist` of serials and CIDRs) and the values
///   sent to devices in the handshake, including the clock tolerance that queues `SET OPTIONS DateTime=`.
/// - Encryption (`exchange`, Appendix 16): Gatehouse's documented scheme from `PushCrypto`; the server's RSA key
///   pair lives for the process, each device's session key in `push_device_crypto`; `handle(_:)` opens request
///   envelopes before parsing and seals 200 replies. `PushListener.tlsApplication` is the HTTPS listener.
/// - Hot paths: `RegistryCache` (device row + session key, open-command flags) and `PresenceBuffer` (last seen,
///   written at most once a second) keep idle polls off SQLite; `GroupCommitter` puts concurrent ingestion,
///   delivery and result writes into shared transactions, each request in its own savepoint, replying after commit.
///
/// ## Seams
/// - `RemoteIdentifier`: answers `AuthType=device` requests; the composition root implements it with the door
///   engine (`AccessControl.Site`) and the Lua `credential` hook.
/// - `DeviceEventSink`: receives every newly stored (not replayed) rtlog/rtstate row after it is durable, tagged
///   with the device serial, so the composition root can feed the journal, the event stream and Lua.
///
/// ## Guarantees
/// - Durable before acknowledged: records are committed to SQLite before the reply is produced.
/// - Replays are deduplicated on serial + index + time (events) or serial + raw text (rows without an index).
/// - Commands move queued → delivered → succeeded/failed (or expired); a delivered command that is not acknowledged
///   is redelivered after a reconnect (a new handshake) or after `redeliveryTimeout`; an acknowledged one never is.
public enum PushServerModule {}
