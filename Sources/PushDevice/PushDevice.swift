/// # PushDevice
///
/// The controller role: a Gatehouse site registers with an upstream PUSH server (ZKBioSecurity, another Gatehouse)
/// and is managed like a ZKTeco panel (Security PUSH 3.1.2; the reference is exact on what a device sends, and
/// `shared/research/push-real-world.md` lists the ways servers answer that the device must cope with).
///
/// ## Shape
/// - `Client/PushDeviceSession`: the sans-I/O state machine of the connection: handshake (§4.1) → registry (§4.4) →
///   configuration (§4.5) → online, with the server's delays and the session token. It turns replies into
///   transitions and never touches a socket or a clock.
/// - `Client/PushDeviceClient`: the loop that drives the machine over a `PushTransport`: uploads journal entries as
///   rtlog with a persisted cursor, polls getrequest, executes commands and posts devicecmd results.
/// - `Commands/DeviceCommandExecutor`: runs server commands against the door engine (`AccessControl.Site`).
/// - `Storage/PushDeviceMigrations`: the upload cursor (the lead registers the migration).
/// - `Transport/`: `HTTPPushTransport` (the host's libcurl transport, from Outbound).
///
/// ## Seams
/// `PushTransport` (HTTP), `DeviceSleeper` (waiting between polls; tests pass one that does not sleep), and the
/// `Site` actor of AccessControl for users, doors and the journal.
public enum PushDeviceModule {}
