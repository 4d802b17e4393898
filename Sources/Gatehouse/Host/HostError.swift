import Foundation

/// Why the host could not start; each is one line for the operator and exit code 2.
public enum HostError: Error, CustomStringConvertible {
    case configuration(ConfigurationError)
    case dataDirectory(path: String, reason: String)
    case database(String)
    case siteDirectory(path: String, reason: String)
    case listen(address: String, reason: String)

    public var description: String {
        switch self {
        case .configuration(let error): "configuration error: \(error)"
        case .dataDirectory(let path, let reason): "data directory error: \(path): \(reason)"
        case .database(let message): "database error: \(message)"
        case .siteDirectory(let path, let reason): "site directory error: \(path): \(reason)"
        case .listen(let address, let reason): "cannot listen on \(address): \(reason)"
        }
    }
}
