import Foundation
import Hummingbird

/// What `/metrics` serves; the composition root implements it over Prometheus.
public protocol MetricsSource: Sendable {
    /// The Prometheus text exposition of every metric, refreshed for this scrape.
    func render() async -> String
    /// Records one admin API request.
    func observeRequest(method: String, status: Int, seconds: Double)
}

enum MetricsRoutes {
    static func add(to router: Router<AdminRequestContext>, source: any MetricsSource) {
        router.get("metrics") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: await source.render())))
        }
    }
}

/// Times every request for the latency histogram.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let source: any MetricsSource

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        do {
            let response = try await next(request, context)
            source.observeRequest(method: request.method.rawValue, status: response.status.code, seconds: Self.seconds(since: started))
            return response
        } catch let error as any HTTPResponseError {
            source.observeRequest(method: request.method.rawValue, status: error.status.code, seconds: Self.seconds(since: started))
            throw error
        } catch {
            source.observeRequest(method: request.method.rawValue, status: 500, seconds: Self.seconds(since: started))
            throw error
        }
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
