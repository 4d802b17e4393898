import Foundation

/// An RFC 5322 message with RFC 2045/2046 MIME parts, built as the bytes SMTP `DATA` carries.
///
/// Built here rather than through `curl_mime` so that the exact bytes are a plain value a test can
/// parse and an outbox row can store. Lines end in CRLF; attachments are Base64 in 76-column lines;
/// non-ASCII subjects and names use RFC 2047 encoded words.
public struct MIMEMessage: Sendable {
    public let bytes: Data

    public init(_ message: MailMessage, date: Date, boundary: String = "gatehouse-" + UUID().uuidString) {
        var lines: [String] = []
        lines.append("Date: \(MIMEMessage.rfc5322Date(date))")
        lines.append("From: <\(message.from)>")
        lines.append("To: \(message.to.map { "<\($0)>" }.joined(separator: ", "))")
        lines.append("Subject: \(MIMEMessage.encodedWord(message.subject))")
        let domain = message.from.split(separator: "@").last.map(String.init) ?? "gatehouse"
        lines.append("Message-ID: <\(UUID().uuidString.lowercased())@\(domain)>")
        lines.append("MIME-Version: 1.0")
        let bodyPart = MIMEMessage.textPart(message.body)
        if message.attachments.isEmpty {
            lines += bodyPart
        } else {
            lines.append("Content-Type: multipart/mixed; boundary=\"\(boundary)\"")
            lines.append("")
            lines.append("This is a multi-part message in MIME format.")
            lines.append("--\(boundary)")
            lines += bodyPart
            for attachment in message.attachments {
                let name = MIMEMessage.safeFileName(attachment.name)
                let type = MIMEMessage.safeContentType(attachment.contentType)
                lines.append("--\(boundary)")
                lines.append("Content-Type: \(type); name=\"\(name)\"")
                lines.append("Content-Transfer-Encoding: base64")
                lines.append("Content-Disposition: attachment; filename=\"\(name)\"")
                lines.append("")
                lines += MIMEMessage.base64Lines(attachment.data)
            }
            lines.append("--\(boundary)--")
        }
        bytes = Data((lines.joined(separator: "\r\n") + "\r\n").utf8)
    }

    private static func textPart(_ text: String) -> [String] {
        let normalised = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        let ascii = normalised.utf8.allSatisfy { $0 < 0x80 }
        let shortLines = normalised.split(separator: "\n", omittingEmptySubsequences: false).allSatisfy { $0.utf8.count <= 900 }
        if ascii && shortLines {
            return ["Content-Type: text/plain; charset=us-ascii", "Content-Transfer-Encoding: 7bit", ""]
                + normalised.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        }
        return ["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: base64", ""]
            + base64Lines(Data(normalised.replacingOccurrences(of: "\n", with: "\r\n").utf8))
    }

    static func base64Lines(_ data: Data) -> [String] {
        let encoded = data.base64EncodedString()
        var lines: [String] = []
        var index = encoded.startIndex
        while index < encoded.endIndex {
            let end = encoded.index(index, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
            lines.append(String(encoded[index..<end]))
            index = end
        }
        return lines
    }

    static func encodedWord(_ text: String) -> String {
        let clean = text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        if clean.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return clean }
        return "=?UTF-8?B?\(Data(clean.utf8).base64EncodedString())?="
    }

    private static func safeFileName(_ name: String) -> String {
        let cleaned = String(name.filter { $0 != "\"" && $0 != "\\" && !$0.isNewline })
        return encodedWord(cleaned.isEmpty ? "attachment" : cleaned)
    }

    private static func safeContentType(_ type: String) -> String {
        let parts = type.split(separator: "/")
        let token = { (s: Substring) in !s.isEmpty && s.allSatisfy { $0.isLetter || $0.isNumber || "+-.".contains($0) } }
        guard parts.count == 2, token(parts[0]), token(parts[1]) else { return "application/octet-stream" }
        return type.lowercased()
    }

    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }

    /// Enough to refuse header injection and obvious typos; the server has the final word.
    static func isPlausibleAddress(_ address: String) -> Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty
            && !address.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "," })
    }
}
