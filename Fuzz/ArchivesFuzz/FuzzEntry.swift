// libFuzzer entry point for Archives (tar and gzip/deflate, written here rather than linked from zlib). Built by
// scripts/fuzz-archives together with the module's source as one module (so no `import Archives`). Untrusted tgz
// uploads reach `gunzip` and `untar`: on any input they must return or throw, within their output bound. Where
// the input is an archive, writing it back and reading that must give the same files.

import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func archivesFuzzTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let limit = 1 << 16
    if let inflated = try? TarGzip.gunzip(bytes, maxOutput: limit) {
        check(inflated.count <= limit, "gunzip exceeded its bound")
        check((try? TarGzip.gunzip(TarGzip.gzip(inflated), maxOutput: limit)) == inflated, "gzip round trip")
        roundTrip(inflated)
    }
    // A raw deflate stream, wrapped in a gzip header and a trailer that only the CRC check refuses.
    let wrapped = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF] + bytes + [UInt8](repeating: 0, count: 8)
    _ = try? TarGzip.gunzip(wrapped, maxOutput: limit)
    roundTrip(bytes)
    return 0
}

private func roundTrip(_ bytes: [UInt8]) {
    guard let files = try? TarGzip.untar(bytes) else { return }
    let portable = files.filter { $0.name.utf8.count <= 100 && !$0.name.contains("\0") }
    let again = try? TarGzip.untar(TarGzip.tar(portable, modified: Date(timeIntervalSince1970: 0)))
    check(again?.map(\.name) == portable.map(\.name), "tar names round trip")
    check(again?.map(\.contents) == portable.map(\.contents), "tar contents round trip")
}

private func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("archives: \(message())") }
}
