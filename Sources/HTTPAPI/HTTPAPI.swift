import AccessControl
import Hummingbird
import PushServer
import Storage

/// HTTPAPI: the admin listener's routes (health, the native REST API under
/// `/api/v1`, later the Akuvox-compatible endpoints).
///
/// Seams: it reads the host's state through small protocols
/// (`HealthSource`, `ScriptControl`) that the composition root implements,
/// and authenticates API clients with `APITokenStore` from Storage.
public enum AdminRoutes {
    /// Builds the admin router.
    public static func router(
        health: any HealthSource, scripts: any ScriptControl, tokens: any BearerTokenVerifier, site: Site,
        actions: any ActionQueue, akuvox: AkuvoxAPISettings = .init(), akuvoxDirectory: AkuvoxDirectoryStore? = nil,
        akuvoxConfiguration: (any AkuvoxConfigurationTarget)? = nil, thirdParty: ThirdPartyServerSettings = .init(),
        clock: any SiteClock = SystemClock(), maxBodyBytes: Int = 1 << 20, authLimiter: FailedAuthLimiter = .init(),
        metrics: (any MetricsSource)? = nil, push: (PushServerStore, PushServerConfiguration)? = nil,
        console: ConsoleAssets = .bundled(), sessions: ConsoleSessions = .init(),
        hardware: (any ReaderStatusSource)? = nil, sip: (any SIPStatusSource)? = nil
    ) -> Router<AdminRequestContext> {
        let router = Router(context: AdminRequestContext.self)
        router.middlewares.add(ConnectionLoopMiddleware())
        if let metrics { router.middlewares.add(RequestMetricsMiddleware(source: metrics)) }
        router.middlewares.add(APIErrorMiddleware())
        HealthRoutes.add(to: router, source: health)
        if let metrics { MetricsRoutes.add(to: router, source: metrics) }
        router.get("api/v1/openapi.json") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
        }
        ConsoleRoutes.add(to: router, assets: console, sessions: sessions, verifier: tokens, limiter: authLimiter)
        let api = router.group("api/v1").add(
            middleware: BearerAuthMiddleware(verifier: tokens, limiter: authLimiter, sessions: sessions))
        ScriptRoutes.add(to: api, scripts: scripts)
        SiteRoutes.add(to: api, site: site, maxBodyBytes: maxBodyBytes)
        EventRoutes.add(to: api, site: site)
        ActionRoutes.add(to: api, actions: actions)
        if let hardware { HardwareRoutes.add(to: api, source: hardware) }
        SIPRoutes.add(to: api, source: sip)
        TransferRoutes.add(to: api, site: site, maxBodyBytes: maxBodyBytes)
        if let (store, configuration) = push { DeviceRoutes.add(to: api, store: store, configuration: configuration) }
        // The third-party path is registered before the Akuvox API so `/api/visitor/scan` wins over `/api/{target}/{action}`.
        ThirdPartyRoutes.add(to: router, site: site, settings: thirdParty)
        // Without the host's database (router tests) the Akuvox phone book lives in memory.
        let directory = akuvoxDirectory ?? (try? AkuvoxDirectoryStore.inMemory())
        if let directory {
            AkuvoxRoutes.add(
                to: router, site: site, settings: akuvox, directory: directory, configuration: akuvoxConfiguration,
                clock: clock, maxBodyBytes: maxBodyBytes)
        }
        return router
    }
}
