/// # PushProtocol
///
/// A pure, sans-I/O codec for ZKTeco's Security PUSH protocol 3.1.2 (the contract is
/// `shared/reference/zkteco-security-push-3.1.2.md`; real firmware departures are in
/// `shared/research/push-real-world.md`). Bytes and strings go in, typed values come out, and back again. It is used
/// by both roles: the server (ADMS) parses requests and emits replies and commands; the device parses replies and
/// commands and emits requests. No HTTP, no sockets, no files, no clock: callers pass times in as values.
///
/// ## Shape
/// - `Records/`: the record syntaxes every message is made of: TAB `key=value` rows (`PushRecord`), comma option
///   lists with `~` keys (`PushOptionList`), `&` command results with their payload lines (`CommandResult`).
///   Rows keep every field in order, known or not; typed views (`RealtimeEvent`, `RealtimeState`, …) read from them.
/// - `Requests/`: `PushRequest` = endpoint + query + body for every device→server request (`cdata`, `registry`,
///   `push`, `exchange`, `getrequest`, `ping`, `devicecmd`, `querydata`, `rtdata`, `file`).
/// - `Replies/`: `ServerReply` for every server→device answer (registry block, configuration block, `OK`, counts,
///   keys, time, remote-identification `AUTH=` replies, commands).
/// - `Commands/`: `ServerCommand` (`C:<id>:<command>`), with typed DATA UPDATE/DELETE/COUNT/QUERY, CONTROL DEVICE,
///   UPGRADE, SET/GET OPTIONS, ENROLL_*; the `CmdFormat=1` prefix form. `CommandFastPath` parses whole getrequest
///   replies on one raw buffer and hands anything unusual to the general parser (tests and the fuzzer check that
///   both agree).
/// - `Tables/`: `PushTable` names and their reference field order (`referenceFields`), and the command builders
///   (`ServerCommand.update/delete/count/query/control/setOptions/getOptions`).
/// - `Values/`, `Events/`, `Tables/`: the vocabulary (event codes, verify modes, return codes, table names, time
///   encodings, bit fields, card numbers, DST, the session token's MD5).
/// - `Text/`: byte scanning and text decoding (UTF-8, then GB18030 via glibc iconv on Linux / Foundation on Darwin,
///   then Latin-1; never a dropped record).
/// - `JSON/`: a `JSONValue` view of every typed value, and `PushDecode`, the entry points of `gatehouse push decode`.
///
/// ## Normalisation on emission
/// Parsing is lenient; emission is the reference's syntax: TAB between record fields (one space after a leading
/// table tag), LF after each record and command, `,` between options. A one-field record whose value would be
/// misread without a TAB (trailing spaces, ` key=` inside) gets a final TAB. Emission is a fixpoint: parsing what
/// was emitted and emitting again gives the same bytes (fuzzed).
///
/// ## Seams
/// The module has no dependencies beyond Foundation (and Glibc's `iconv` for GB18030 on Linux: pure in-memory
/// conversion, no I/O). Errors are `PushParseError` values naming the line, the field and what is wrong.
///
/// ## Limits (checked before any work; exceeding one is a `PushParseError`, never a crash)
/// See `PushLimits`: a body is at most 16 MiB, one line at most 1 MiB (templates and photos travel base64 on one
/// line), one record at most 4,096 fields, one body at most 1,000,000 lines, one query at most 64 KiB.
public enum PushLimits {
    /// Largest body accepted (bytes). The reference says delivered data above 4 MB fails on devices (-106); uploads
    /// of photos in base64 can be larger, so the cap sits well above that.
    public static let maximumBodyBytes = 16 * 1024 * 1024
    /// Largest single line (bytes).
    public static let maximumLineBytes = 1024 * 1024
    /// Most fields in one record.
    public static let maximumFieldsPerRecord = 4096
    /// Most lines in one body.
    public static let maximumLines = 1_000_000
    /// Largest path + query (bytes).
    public static let maximumQueryBytes = 64 * 1024
}
