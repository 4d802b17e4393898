import Foundation
import HTTPTypes
import Hummingbird

/// A JSON value with object keys kept in order, so replies read like a device's (`retcode` first).
indirect enum AkuvoxJSON: Sendable, Equatable, Decodable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case array([AkuvoxJSON])
    case object([(String, AkuvoxJSON)])
    case null

    static func == (lhs: AkuvoxJSON, rhs: AkuvoxJSON) -> Bool {
        switch (lhs, rhs) {
        case (.string(let a), .string(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        case (.bool(let a), .bool(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)): a.map(\.0) == b.map(\.0) && a.map(\.1) == b.map(\.1)
        case (.null, .null): true
        default: false
        }
    }

    static func int(_ value: Int) -> AkuvoxJSON { .number(Double(value)) }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        if let container = try? decoder.container(keyedBy: Key.self) {
            self = .object(
                try container.allKeys.sorted { $0.stringValue < $1.stringValue }.map {
                    ($0.stringValue, try container.decode(AkuvoxJSON.self, forKey: $0))
                })
            return
        }
        if var container = try? decoder.unkeyedContainer() {
            var items: [AkuvoxJSON] = []
            while !container.isAtEnd { items.append(try container.decode(AkuvoxJSON.self)) }
            self = .array(items)
            return
        }
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    /// Parses JSON text; nil when it is not JSON.
    static func parse(_ data: Data) -> AkuvoxJSON? {
        try? JSONDecoder().decode(AkuvoxJSON.self, from: data)
    }

    subscript(key: String) -> AkuvoxJSON? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }

    /// Devices and clients send numbers as strings and strings as numbers; both read as text.
    var text: String? {
        switch self {
        case .string(let text): text
        case .number(let value):
            value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        case .bool(let flag): flag ? "1" : "0"
        default: nil
        }
    }

    var serialized: String {
        var out = ""
        write(to: &out)
        return out
    }

    private func write(to out: inout String) {
        switch self {
        case .string(let text): Self.writeString(text, to: &out)
        case .number: out += text ?? "0"
        case .bool(let flag): out += flag ? "true" : "false"
        case .null: out += "null"
        case .array(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                item.write(to: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (index, member) in members.enumerated() {
                if index > 0 { out += "," }
                Self.writeString(member.0, to: &out)
                out += ":"
                member.1.write(to: &out)
            }
            out += "}"
        }
    }

    private static func writeString(_ text: String, to out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let s where s.value < 0x20: out += String(format: "\\u%04x", s.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}

/// The Akuvox reply envelope `{"retcode": n, "action": "…", "message": "…", "data": {…}}`.
struct AkuvoxReply: Error, Sendable {
    /// Return codes seen from devices and in the manual.
    enum Code: Int, Sendable {
        case ok = 0
        /// Unknown target or action ("unsupport action").
        case unsupported = -1
        /// A parameter is missing or wrong ("Error Param"), e.g. a relay that does not exist.
        case badParameter = -2
        /// The thing exists but is not enabled ("Not Enable").
        case notEnabled = -3
        /// Authentication failed, or the form is refused in High Security Mode.
        case unauthorized = -4
    }

    var retcode: Int
    var action: String
    var message: String
    var data: AkuvoxJSON?
    var status: HTTPResponse.Status = .ok
    var headers: HTTPFields = [:]

    static func ok(_ action: String, data: AkuvoxJSON? = nil) -> AkuvoxReply {
        AkuvoxReply(retcode: Code.ok.rawValue, action: action, message: "OK", data: data)
    }

    static func failure(_ code: Code, action: String, message: String) -> AkuvoxReply {
        AkuvoxReply(retcode: code.rawValue, action: action, message: message, data: nil)
    }

    static func unsupported() -> AkuvoxReply {
        failure(.unsupported, action: "unknow", message: "unsupport action")
    }

    static func badParameter(_ action: String, _ detail: String) -> AkuvoxReply {
        failure(.badParameter, action: action, message: "Error Param: \(detail)")
    }

    var json: AkuvoxJSON {
        var members: [(String, AkuvoxJSON)] = [
            ("retcode", .int(retcode)), ("action", .string(action)), ("message", .string(message)),
        ]
        if let data { members.append(("data", data)) }
        return .object(members)
    }

    var response: Response {
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: json.serialized)))
    }
}
