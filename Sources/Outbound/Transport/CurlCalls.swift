import CCurl
import Foundation

/// libcurl's option and info calls, through the typed wrappers of the CCurl shim (`curl_easy_setopt` and
/// `curl_easy_getinfo` are variadic, which Swift cannot call; the shim makes the variadic call in C with the type
/// libcurl reads for each option).
enum Curl {
    /// `curl_global_init` exactly once (a `static let` initialiser is thread-safe), before any handle exists.
    private static let initialised: Bool = curl_global_init(Int(CURL_GLOBAL_ALL)) == CURLE_OK

    /// Initialises libcurl globally (once, thread-safely) and reports whether it is usable.
    static func ensureInitialised() throws(TransportError) {
        guard initialised else { throw .unavailable("libcurl could not be initialised (curl_global_init failed)") }
    }

    static func set(_ handle: UnsafeMutableRawPointer, _ option: CURLoption, _ value: Int) -> CURLcode {
        gatehouse_curl_setopt_long(handle, option, value)
    }

    static func set(_ handle: UnsafeMutableRawPointer, _ option: CURLoption, _ value: Bool) -> CURLcode {
        set(handle, option, value ? 1 : 0)
    }

    static func set(_ handle: UnsafeMutableRawPointer, _ option: CURLoption, pointer: UnsafeRawPointer?) -> CURLcode {
        gatehouse_curl_setopt_pointer(handle, option, pointer)
    }

    /// libcurl copies string options (since 7.17), so the C string only has to live for the call.
    static func set(_ handle: UnsafeMutableRawPointer, _ option: CURLoption, _ value: String) -> CURLcode {
        value.withCString { set(handle, option, pointer: UnsafeRawPointer($0)) }
    }

    static func set(_ handle: UnsafeMutableRawPointer, _ option: CURLoption, offset: Int64) -> CURLcode {
        gatehouse_curl_setopt_offset(handle, option, curl_off_t(offset))
    }

    /// The write, header and read functions (`CURLOPT_WRITEFUNCTION` …).
    static func set(
        _ handle: UnsafeMutableRawPointer, _ option: CURLoption, callback: gatehouse_curl_data_callback
    ) -> CURLcode {
        gatehouse_curl_setopt_callback(handle, option, callback)
    }

    static func responseCode(_ handle: UnsafeMutableRawPointer) -> Int {
        var code = 0
        _ = gatehouse_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &code)
        return code
    }

    static func osErrno(_ handle: UnsafeMutableRawPointer) -> Int {
        var value = 0
        _ = gatehouse_curl_getinfo_long(handle, CURLINFO_OS_ERRNO, &value)
        return value
    }

    static func description(of code: CURLcode) -> String {
        String(cString: curl_easy_strerror(code))
    }
}

/// CURLAUTH_* are cast macros the importer does not bring in; values from curl.h.
enum CurlAuth {
    static let basic = 1 << 0
    static let digest = 1 << 1
    /// Any method libcurl supports except the broken IE flavour of Digest (CURLAUTH_ANY).
    static let any = ~(1 << 4)
}

extension Curl {
    static var version: String {
        guard let text = curl_version() else { return "unknown" }
        return String(cString: text)
    }
}
