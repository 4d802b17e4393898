/// Outbound: what Gatehouse sends to the outside world through libcurl
/// (HTTP, FTP, TFTP, SMTP; web relays, action URLs, third-party
/// verification), with a durable outbox. Not built yet (issue 8): until it
/// lands, script I/O functions answer `nil, "not configured"`.
enum Outbound {}
