import AccessControl
import Foundation
import Hummingbird

/// Reading request bodies with errors a client can act on: which field, what was wrong.
enum JSONBody {
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, maxBytes: Int) async throws -> T {
        guard let value = try await decodeIfPresent(type, from: request, maxBytes: maxBytes) else {
            throw APIError(.badRequest, code: "invalid_json", message: "request body is empty; expected a JSON object")
        }
        return value
    }

    /// As `decode`, for bodies that may be left out: nil when the body is empty.
    static func decodeIfPresent<T: Decodable>(_ type: T.Type, from request: Request, maxBytes: Int) async throws -> T? {
        let data = try await data(of: request, maxBytes: maxBytes)
        guard !data.isEmpty else { return nil }
        return try decode(type, data: data)
    }

    /// The request's body, refused past `maxBytes`.
    static func data(of request: Request, maxBytes: Int) async throws(APIError) -> Data {
        do {
            return Data(buffer: try await request.body.collect(upTo: maxBytes))
        } catch {
            throw APIError(.contentTooLarge, code: "body_too_large", message: "request body exceeds \(maxBytes) bytes")
        }
    }

    /// Decodes a body already in memory, with the same errors as a request's.
    static func decode<T: Decodable>(_ type: T.Type, data: Data) throws(APIError) -> T {
        guard !data.isEmpty else {
            throw APIError(.badRequest, code: "invalid_json", message: "request body is empty; expected a JSON object")
        }
        do {
            return try JSONDecoder.api.decode(T.self, from: data)
        } catch let error as DecodingError {
            throw APIError(.badRequest, code: "invalid_field", message: describe(error), field: fieldPath(error))
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError(.badRequest, code: "invalid_json", message: "request body is not valid JSON")
        }
    }

    static func fieldPath(_ error: DecodingError) -> String? {
        let path: [any CodingKey]
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context): path = context.codingPath
        case .keyNotFound(let key, let context): path = context.codingPath + [key]
        @unknown default: return nil
        }
        guard !path.isEmpty else { return nil }
        return path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingPrefix(".").description
    }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .typeMismatch(let type, _): "expected \(typeName(type))"
        case .valueNotFound(let type, _): "expected \(typeName(type)), found null"
        case .keyNotFound(let key, _): "missing required field '\(key.stringValue)'"
        case .dataCorrupted(let context):
            context.codingPath.isEmpty ? "request body is not valid JSON" : context.debugDescription
        @unknown default: "invalid request body"
        }
    }

    static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type, is UInt64.Type: "an integer"
        case is Bool.Type: "a boolean"
        case is Double.Type: "a number"
        default:
            // Containers arrive as Array<Any> / Dictionary<String, Any>: name them as JSON does.
            switch "\(type)".replacingOccurrences(of: "Swift.", with: "") {
            case let name where name.hasPrefix("Array"): "an array"
            case let name where name.hasPrefix("Dictionary"): "an object"
            case let name: "a \(name)"
            }
        }
    }
}

/// A model-rule violation (`ModelError` and friends) as a 422 naming the field.
func unprocessable(_ message: String, field: String?) -> APIError {
    APIError(.unprocessableContent, code: "invalid_value", message: message, field: field)
}

extension JSONDecoder {
    /// RFC 3339 times, with or without fractional seconds.
    static var api: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = RFC3339.parse(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "expected an RFC 3339 time such as 2027-01-01T00:00:00Z, got '\(text)'")
            }
            return date
        }
        return decoder
    }
}

/// Query parameters, validated.
extension Request {
    func queryInteger(_ name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = uri.queryParameters.get(name) else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw APIError(
                .badRequest, code: "invalid_parameter",
                message: "\(name) must be an integer in \(range.lowerBound)...\(range.upperBound)", field: name)
        }
        return number
    }
}
