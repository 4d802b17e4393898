import AccessControl
import Foundation
import HTTPTypes
import Hummingbird

/// `POST /api/v1/users/import?format=…` and `GET /api/v1/users/export?format=…`, formats `json`, `csv`,
/// `akuvox-csv`, `akuvox-xml` (a plain `userdata.xml`) and `akuvox-tgz` (`UserData.tgz`).
///
/// Import answers 200 `{"created": n, "updated": n, "schedules": n}`, or 422
/// `{"error": "import_rejected", "message": …, "rows": [{"row", "field", "message"}]}` with nothing changed.
public enum TransferRoutes {
    public static func add(to group: RouterGroup<AdminRequestContext>, site: Site, maxBodyBytes: Int) {
        group.get("users/export") { request, _ -> Response in
            let format = try format(of: request)
            let bytes = try await UserTransfer.export(site, format: format)
            return Response(
                status: .ok,
                headers: [
                    .contentType: format.contentType,
                    .contentDisposition: "attachment; filename=\"\(format.fileName)\"",
                ],
                body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        group.post("users/import") { request, _ -> Response in
            let format = try format(of: request)
            let buffer: ByteBuffer
            do {
                buffer = try await request.body.collect(upTo: maxBodyBytes)
            } catch {
                throw APIError(.contentTooLarge, code: "body_too_large", message: "request body exceeds \(maxBodyBytes) bytes")
            }
            guard buffer.readableBytes > 0 else {
                throw APIError(.badRequest, code: "empty_body", message: "send the \(format.fileName) file as the request body")
            }
            let batch = UserTransfer.parse(Array(buffer: buffer), format: format)
            let (schedules, users, errors) = await UserTransfer.resolve(batch, site: site)
            guard errors.isEmpty else {
                return try jsonResponse(
                    Rejection(
                        error: "import_rejected",
                        message: "\(errors.count) problem(s); nothing was imported", rows: errors),
                    status: .unprocessableContent)
            }
            let outcome: UserTransfer.Outcome
            do {
                outcome = try await UserTransfer.apply(schedules: schedules, users: users, site: site)
            } catch let error as ModelError {
                throw APIError(.conflict, code: "import_conflict", message: "the site changed during the import: \(error)", field: error.field)
            }
            return try jsonResponse(outcome)
        }
    }

    struct Rejection: Encodable {
        var error: String
        var message: String
        var rows: [UserTransfer.RowError]
    }

    static func format(of request: Request) throws -> UserTransfer.Format {
        let names = UserTransfer.Format.allCases.map(\.rawValue).joined(separator: ", ")
        guard let text = request.uri.queryParameters.get("format") else {
            throw APIError(.badRequest, code: "invalid_parameter", message: "format is required: one of \(names)", field: "format")
        }
        guard let format = UserTransfer.Format(rawValue: String(text)) else {
            throw APIError(.badRequest, code: "invalid_parameter", message: "format must be one of \(names)", field: "format")
        }
        return format
    }
}
