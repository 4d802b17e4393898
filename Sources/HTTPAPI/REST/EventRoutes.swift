import AccessControl
import Foundation
import HTTPTypes
import Hummingbird
import PushProtocol

/// The journal over HTTP: pages by index, and a Server-Sent Events stream resumable with `Last-Event-ID`.
enum EventRoutes {
    static let lastEventID = HTTPField.Name("Last-Event-ID")!

    typealias EventResource = JournalEntryJSON

    struct EventPage: Encodable {
        var events: [EventResource]
        var next: UInt64
    }

    static func add(to group: RouterGroup<AdminRequestContext>, site: Site) {
        group.get("events") { request, _ -> Response in
            let after = try request.queryInteger("after", default: 0, range: 0...Int.max)
            let limit = try request.queryInteger("limit", default: 100, range: 1...1000)
            let entries = try await site.journal(indices: UInt64(after + 1)...UInt64.max, limit: limit)
            let next = entries.last.map(\.index) ?? UInt64(after)
            return try jsonResponse(EventPage(events: entries.map(EventResource.init), next: next))
        }

        group.get("events/stream") { request, _ -> Response in
            // Resume after Last-Event-ID (or ?after=), else start with what happens next.
            let afterParameter: String? = request.uri.queryParameters.get("after").map { String($0) }
            let resumeText: String? = request.headers[lastEventID] ?? afterParameter
            let resume: UInt64?
            if let resumeText {
                guard let value = UInt64(resumeText.trimmingCharacters(in: .whitespaces)) else {
                    throw APIError(.badRequest, code: "invalid_parameter", message: "Last-Event-ID must be a journal index", field: "Last-Event-ID")
                }
                resume = value
            } else {
                resume = nil
            }
            // Subscribe before reading the backlog, so nothing falls between the two.
            let live = await site.journalEntries()
            let backlogStart = resume.map { $0 + 1 }
            let body = ResponseBody { writer in
                var last = resume ?? 0
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                func send(_ entry: JournalEntry, _ writer: inout any ResponseBodyWriter) async throws {
                    let data = try encoder.encode(EventResource(entry: entry))
                    var frame = ByteBuffer()
                    frame.writeString("id: \(entry.index)\nevent: journal\ndata: ")
                    frame.writeBytes(data)
                    frame.writeString("\n\n")
                    try await writer.write(frame)
                    last = entry.index
                }
                try await writer.write(ByteBuffer(string: ": gatehouse journal stream\nretry: 2000\n\n"))
                if let start = backlogStart {
                    var cursor = start
                    while true {
                        let page = try await site.journal(indices: cursor...UInt64.max, limit: 500)
                        for entry in page { try await send(entry, &writer) }
                        guard let tail = page.last, page.count == 500 else { break }
                        cursor = tail.index + 1
                    }
                }
                for await entry in live where entry.index > last {
                    try await send(entry, &writer)
                }
                try await writer.finish(nil)
            }
            return Response(
                status: .ok,
                headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
                body: body)
        }
    }
}
