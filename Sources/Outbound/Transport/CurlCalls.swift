import CCurl
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few libcurl entry points Swift cannot call directly.
///
/// `curl_easy_setopt` and `curl_easy_getinfo` are C variadic functions, which the Swift importer
/// skips. We look them up once with `dlsym` (libcurl is already linked through CCurl) and call them
/// through non-variadic function types with exactly one trailing argument of the width libcurl reads
/// with `va_arg`: `long`, a pointer or `curl_off_t`. On the Linux ABIs Gatehouse targets (x86-64
/// SysV, AArch64 AAPCS64) a variadic callee reads such an argument from the same register a
/// non-variadic caller puts it in, so this is sound there. A typed inline wrapper in the CCurl shim
/// header would remove the trick; see the module README.
enum Curl {
    private typealias SetLong = @convention(c) (UnsafeMutableRawPointer?, CURLoption, Int) -> CURLcode
    private typealias SetPointer = @convention(c) (UnsafeMutableRawPointer?, CURLoption, UnsafeRawPointer?) -> CURLcode
    private typealias SetOffset = @convention(c) (UnsafeMutableRawPointer?, CURLoption, Int64) -> CURLcode
    private typealias GetInfo = @convention(c) (UnsafeMutableRawPointer?, CURLINFO, UnsafeMutableRawPointer?) -> CURLcode

    /// Symbols resolved once; `static let` initialisation is thread-safe and also runs
    /// `curl_global_init` exactly once, before any handle exists.
    /// Addresses of two functions in a loaded library: immutable, so sharing them is safe.
    private struct Symbols: @unchecked Sendable {
        let setopt: UnsafeMutableRawPointer
        let getinfo: UnsafeMutableRawPointer
    }

    private static let symbols: Symbols? = {
        guard curl_global_init(Int(CURL_GLOBAL_ALL)) == CURLE_OK else { return nil }
        // RTLD_DEFAULT is not imported as a constant on glibc; a nil handle means the same.
        guard let setopt = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "curl_easy_setopt"),
              let getinfo = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "curl_easy_getinfo")
        else { return nil }
        return Symbols(setopt: setopt, getinfo: getinfo)
    }()

    /// Initialises libcurl globally (once, thread-safely) and reports whether it is usable.
    static func ensureInitialised() throws(TransportError) {
        guard symbols != nil else {
            throw .unavailable("libcurl could not be initialised (curl_global_init or symbol lookup failed)")
        }
    }

    static func set(_ handle: UnsafeMutableRawPointer, _ option: CURLoption, _ value: Int) -> CURLcode {
        guard let symbols else { return CURLE_FAILED_INIT }
        return unsafeBitCast(symbols.setopt, to: SetLong.self)(handle, option, value)
    }

    static func set(_ handle: UnsafeMutableRawPointer, _ option: CURLoption, _ value: Bool) -> CURLcode {
        set(handle, option, value ? 1 : 0)
    }

    static func set(_ handle: UnsafeMutableRawPointer, _ option: CURLoption, pointer: UnsafeRawPointer?) -> CURLcode {
        guard let symbols else { return CURLE_FAILED_INIT }
        return unsafeBitCast(symbols.setopt, to: SetPointer.self)(handle, option, pointer)
    }

    /// libcurl copies string options (since 7.17), so the C string only has to live for the call.
    static func set(_ handle: UnsafeMutableRawPointer, _ option: CURLoption, _ value: String) -> CURLcode {
        value.withCString { set(handle, option, pointer: UnsafeRawPointer($0)) }
    }

    static func set(_ handle: UnsafeMutableRawPointer, _ option: CURLoption, offset: Int64) -> CURLcode {
        guard let symbols else { return CURLE_FAILED_INIT }
        return unsafeBitCast(symbols.setopt, to: SetOffset.self)(handle, option, offset)
    }

    static func responseCode(_ handle: UnsafeMutableRawPointer) -> Int {
        guard let symbols else { return 0 }
        var code = 0
        _ = withUnsafeMutablePointer(to: &code) {
            unsafeBitCast(symbols.getinfo, to: GetInfo.self)(handle, CURLINFO_RESPONSE_CODE, UnsafeMutableRawPointer($0))
        }
        return code
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
