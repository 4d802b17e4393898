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
            let limit = try request.queryInteger("limit", default: 100, range: 1...1000)
            // `before` pages back in history (the `limit` entries just below it, `0` for the newest), `after` forward.
            if request.uri.queryParameters.get("before") != nil {
                let before = try request.queryInteger("before", default: 0, range: 0...Int.max)
                let end = before == 0 ? await site.nextJournalIndex : UInt64(before)
                guard end > 1 else { return try jsonResponse(EventPage(events: [], next: 0)) }
                let start = end > UInt64(limit) ? end - UInt64(limit) : 1
                let entries = try await site.journal(indices: start...(end - 1), limit: limit)
                return try jsonResponse(
                    EventPage(events: entries.map(EventResource.init), next: entries.last?.index ?? (end - 1)))
            }
            let after = try request.queryInteger("after", default: 0, range: 0...Int.max)
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
                    throw APIError(
                        .badRequest, code: "invalid_parameter", message: "Last-Event-ID must be a journal index",
                        field: "Last-Event-ID")
                }
                resume = value
            } else {
                resume = nil
            }
            // `?state=1` adds the doors', relays' and inputs' live changes as `door`, `relay` and `input` frames
            // (without an id, so Last-Event-ID still counts journal entries only): what a status page shows.
            let withState = try request.queryInteger("state", default: 0, range: 0...1) == 1
            // Subscribe before reading the backlog, so nothing falls between the two.
            let live = await site.journalEntries()
            let changes = withState ? await site.events() : nil
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
                // One stream of frames from the two sources, each in its own order.
                let (frames, sink) = AsyncStream<StreamFrame>.makeStream(bufferingPolicy: .bufferingNewest(20_000))
                let journalling = Task {
                    for await entry in live { sink.yield(.journal(entry)) }
                    sink.finish()
                }
                let following = Task {
                    guard let changes else { return }
                    for await batch in changes {
                        for event in batch { if let frame = StateFrame(event) { sink.yield(.state(frame)) } }
                    }
                }
                defer {
                    journalling.cancel()
                    following.cancel()
                }
                for await frame in frames {
                    switch frame {
                    case .journal(let entry) where entry.index > last: try await send(entry, &writer)
                    case .journal: continue
                    case .state(let state):
                        var buffer = ByteBuffer()
                        buffer.writeString("event: \(state.kind)\ndata: ")
                        buffer.writeBytes(try encoder.encode(state))
                        buffer.writeString("\n\n")
                        try await writer.write(buffer)
                    }
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

/// One frame of the event stream.
enum StreamFrame: Sendable {
    case journal(JournalEntry)
    case state(StateFrame)
}

/// A door's, relay's or input's live change: `{"id", "state"?, "change"?, "active"?, "door"?}`.
struct StateFrame: Encodable, Sendable {
    var kind: String
    var id: Int
    var state: String?
    var change: String?
    var active: Bool?
    var door: Int?

    enum CodingKeys: String, CodingKey { case id, state, change, active, door }

    init?(_ event: SiteEvent) {
        switch event.kind {
        case .door(let change):
            kind = "door"
            id = Int(change.door.rawValue)
            state = change.state.rawValue
            self.change = change.change.rawValue
        case .relay(let change):
            kind = "relay"
            id = Int(change.relay.rawValue)
            active = change.isActive
            door = change.door.map { Int($0.rawValue) }
        case .input(let change):
            kind = "input"
            id = Int(change.input.rawValue)
            active = change.isActive
            door = change.door.map { Int($0.rawValue) }
        default:
            return nil
        }
    }
}
