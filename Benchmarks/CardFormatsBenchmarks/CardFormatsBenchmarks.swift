import Benchmark
import CardFormats

/// Auto-matching one read against 20 configured formats (the 17 built-in layouts plus the ZKTeco
/// defaults 26, 37 and 37a). Target: ≤ 2 µs median per read.
let benchmarks: @Sendable () -> Void = {
    let layouts = NamedFormat.allCases.map(\.layout)
        + [ZKDefaultFormat.wiegand26.layout, ZKDefaultFormat.wiegand37.layout, ZKDefaultFormat.wiegand37a.layout]
    let matcher = CardMatcher(formats: layouts.map(AcceptedFormat.layout))
    // Built from constant, valid values: packing cannot fail here.
    let read26 = try! NamedFormat.h10301.layout.pack([.facilityCode: 123, .cardNumber: 4567])
    let read37 = try! NamedFormat.h10304.layout.pack([.facilityCode: 1000, .cardNumber: 123_456])

    Benchmark("Auto-match a 26-bit read against 20 formats") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(matcher.allMatches(read26))
        }
    }

    Benchmark("Auto-match a 37-bit read against 20 formats (4 matches)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(matcher.allMatches(read37))
        }
    }

    Benchmark("Count matches of a 26-bit read against 20 formats") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(matcher.matchCount(read26))
        }
    }
}
