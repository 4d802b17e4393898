import Foundation

/// A camera that serves a JPEG at an HTTP(S) URL (a door phone's own `/jpeg.cgi`, an IP camera).
public struct Camera: Sendable, Codable, Equatable {
    public var name: String
    public var snapshotURL: String
    /// Most cameras want Digest; `.any` lets libcurl pick what the camera offers.
    public var authentication: HTTPAuthentication?
    public var options: TransportOptions

    public init(name: String, snapshotURL: String, authentication: HTTPAuthentication? = nil,
                options: TransportOptions = TransportOptions(totalTimeoutMilliseconds: 10_000)) {
        self.name = name
        self.snapshotURL = snapshotURL
        self.authentication = authentication
        self.options = options
    }
}

/// Where actions get their image from. The composition root passes `CameraSnapshots`; the seam
/// exists so that a site without cameras can still run actions that merely mention one.
public protocol SnapshotSource: Sendable {
    func snapshot(camera: String) async throws(TransportError) -> Data
    /// What `snapshot{}` without a camera name means; nil when there is no obvious choice.
    func defaultCameraName() async -> String?
}

extension SnapshotSource {
    public func defaultCameraName() async -> String? { nil }
}

/// Fetches snapshots from the configured cameras through the transport.
public struct CameraSnapshots: SnapshotSource {
    public let cameras: [String: Camera]
    /// The first configured camera: what `snapshot{}` without a name means.
    public let defaultCamera: String?
    private let transport: Transport

    public init(cameras: [Camera], transport: Transport) {
        self.cameras = Dictionary(cameras.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
        self.defaultCamera = cameras.first?.name
        self.transport = transport
    }

    public func defaultCameraName() async -> String? { defaultCamera }

    /// One JPEG from the named camera; fails unless the camera answers 2xx with a non-empty body.
    public func snapshot(camera name: String) async throws(TransportError) -> Data {
        guard let camera = cameras[name] else { throw .notConfigured("camera \"\(name)\"") }
        let request = HTTPRequest(url: camera.snapshotURL, authentication: camera.authentication, options: camera.options)
        let image = try await transport.fetch(request)
        guard !image.isEmpty else {
            throw .remoteStatus(url: redacted(camera.snapshotURL), status: 204, detail: "camera returned an empty image")
        }
        return image
    }
}
