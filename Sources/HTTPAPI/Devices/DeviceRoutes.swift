import Foundation
import HTTPTypes
import Hummingbird
import PushServer

/// The PUSH device endpoints (issue 6), under the API's bearer auth:
/// `GET /devices`, `GET /devices/{sn}`, `DELETE /devices/{sn}` (one that waits for approval),
/// `POST /devices/{sn}/approve`, `POST /devices/{sn}/commands`
/// (`{"command": "CONTROL DEVICE 01010105", "idempotency_key": "…"}` → `{"id": …}`; the `Idempotency-Key` header
/// works too), `GET /devices/{sn}/commands/{id}`.
public enum DeviceRoutes {
    public static func add(
        to group: RouterGroup<AdminRequestContext>, store: PushServerStore, configuration: PushServerConfiguration,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        group.get("devices") { _, _ -> Response in
            let current = now()
            let devices = try store.devices().map {
                DeviceView($0, now: current, requestDelay: configuration.requestDelay, detailed: false)
            }
            return try jsonResponse(DeviceList(devices: devices))
        }
        group.get("devices/:sn") { _, context -> Response in
            let device = try existingDevice(store, try serial(context))
            return try jsonResponse(DeviceView(device, now: now(), requestDelay: configuration.requestDelay, detailed: true))
        }
        group.delete("devices/:sn") { _, context -> Response in
            let sn = try serial(context)
            do {
                try await store.deletePending(sn)
            } catch let error as PushServerStoreError {
                if case .approvedDevice = error { throw APIError(.conflict, code: "approved", message: error.description) }
                throw APIError(.notFound, code: "not_found", message: error.description)
            }
            return Response(status: .noContent)
        }
        group.post("devices/:sn/approve") { _, context -> Response in
            let sn = try serial(context)
            _ = try existingDevice(store, sn)
            let device = try await store.approve(sn, now: now())
            return try jsonResponse(DeviceView(device, now: now(), requestDelay: configuration.requestDelay, detailed: true))
        }
        group.post("devices/:sn/commands") { request, context -> Response in
            let sn = try serial(context)
            _ = try existingDevice(store, sn)
            var request = request
            let buffer = try await request.collectBody(upTo: 4 * 1024 * 1024)
            let body: EnqueueBody
            do {
                body = try JSONDecoder().decode(EnqueueBody.self, from: Data(buffer: buffer))
            } catch {
                throw APIError(.badRequest, code: "invalid_json", message: "expected {\"command\": \"…\"}: \(error)")
            }
            let key = body.idempotencyKey ?? idempotencyKeyHeader.flatMap { request.headers[$0] }
            do {
                let record = try await store.enqueue(
                    sn, command: body.command, idempotencyKey: key, timeToLive: configuration.commandTimeToLive, now: now())
                return try jsonResponse(CommandView(record), status: .created)
            } catch let error as PushServerStoreError {
                if case .invalidCommand = error {
                    throw APIError(.unprocessableContent, code: "invalid_command", message: error.description, field: "command")
                }
                throw APIError(.notFound, code: "not_found", message: error.description)
            }
        }
        group.get("devices/:sn/commands") { request, context -> Response in
            let sn = try serial(context)
            _ = try existingDevice(store, sn)
            let limit = try request.queryInteger("limit", default: 100, range: 1...1000)
            let records = try store.commands(sn).suffix(limit).reversed().map(CommandView.init)
            return try jsonResponse(CommandList(commands: Array(records)))
        }
        group.get("devices/:sn/commands/:id") { _, context -> Response in
            let sn = try serial(context)
            guard let idText = context.parameters.get("id"), let id = Int64(idText) else {
                throw APIError(.badRequest, code: "invalid_id", message: "the command id must be an integer", field: "id")
            }
            guard let record = try store.command(sn, id: id) else {
                throw APIError(
                    .notFound, code: "not_found",
                    message: PushServerStoreError.commandNotFound(serialNumber: sn, id: id).description)
            }
            return try jsonResponse(CommandView(record))
        }
    }

    static let idempotencyKeyHeader = HTTPField.Name("Idempotency-Key")

    static func serial(_ context: AdminRequestContext) throws -> String {
        guard let sn = context.parameters.get("sn"), !sn.isEmpty else {
            throw APIError(.badRequest, code: "invalid_sn", message: "a device serial number is required", field: "sn")
        }
        return sn
    }

    static func existingDevice(_ store: PushServerStore, _ sn: String) throws -> PushDeviceRecord {
        guard let device = try store.device(sn) else {
            throw APIError(.notFound, code: "not_found", message: PushServerStoreError.unknownDevice(sn).description)
        }
        return device
    }
}

struct EnqueueBody: Decodable {
    var command: String
    var idempotencyKey: String?

    enum CodingKeys: String, CodingKey {
        case command
        case idempotencyKey = "idempotency_key"
    }
}

/// A device's command queue, newest first.
struct CommandList: Encodable {
    var commands: [CommandView]
}

struct DeviceList: Encodable {
    var devices: [DeviceView]
}

struct DeviceView: Encodable {
    var sn: String
    var status: String
    var online: Bool
    var deviceType: String?
    var deviceName: String?
    var firmware: String?
    var pushVersion: String?
    var ipAddress: String?
    var maxPackageSize: Int?
    var lockCount: Int?
    var readerCount: Int?
    var firstSeen: Date
    var lastSeen: Date
    var approvedAt: Date?
    var supportedFunctions: [String]?
    var registryOptions: String?

    init(_ device: PushDeviceRecord, now: Date, requestDelay: Int, detailed: Bool) {
        sn = device.serialNumber
        status = device.status.rawValue
        online = device.status == .approved && device.isOnline(at: now, requestDelay: requestDelay)
        deviceType = device.deviceType
        deviceName = device.deviceName
        firmware = device.firmware
        pushVersion = device.pushVersion
        ipAddress = device.ipAddress
        maxPackageSize = device.maxPackageSize
        lockCount = device.lockCount
        readerCount = device.readerCount
        firstSeen = device.firstSeen
        lastSeen = device.lastSeen
        approvedAt = device.approvedAt
        supportedFunctions = detailed ? device.supportedFunctions : nil
        registryOptions = detailed ? device.registryOptions : nil
    }

    enum CodingKeys: String, CodingKey {
        case sn, status, online, firmware
        case deviceType = "device_type"
        case deviceName = "device_name"
        case pushVersion = "push_version"
        case ipAddress = "ip_address"
        case maxPackageSize = "max_package_size"
        case lockCount = "lock_count"
        case readerCount = "reader_count"
        case firstSeen = "first_seen"
        case lastSeen = "last_seen"
        case approvedAt = "approved_at"
        case supportedFunctions = "supported_functions"
        case registryOptions = "registry_options"
    }
}

struct CommandView: Encodable {
    var id: Int64
    var sn: String
    var command: String
    var state: String
    var idempotencyKey: String?
    var returnCode: Int?
    var returnText: String?
    var resultCommand: String?
    var payload: [String]
    var uploadedRows: Int
    var deliveryCount: Int
    var createdAt: Date
    var expiresAt: Date
    var deliveredAt: Date?
    var completedAt: Date?

    init(_ record: PushCommandRecord) {
        id = record.id
        sn = record.serialNumber
        command = record.command
        state = record.state.rawValue
        idempotencyKey = record.idempotencyKey
        returnCode = record.returnCode
        returnText = record.returnText
        resultCommand = record.resultCommand
        payload = record.payload
        uploadedRows = record.uploadedRows
        deliveryCount = record.deliveryCount
        createdAt = record.createdAt
        expiresAt = record.expiresAt
        deliveredAt = record.deliveredAt
        completedAt = record.completedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, sn, command, state, payload
        case idempotencyKey = "idempotency_key"
        case returnCode = "return_code"
        case returnText = "return_text"
        case resultCommand = "result_command"
        case uploadedRows = "uploaded_rows"
        case deliveryCount = "delivery_count"
        case createdAt = "created_at"
        case expiresAt = "expires_at"
        case deliveredAt = "delivered_at"
        case completedAt = "completed_at"
    }
}
