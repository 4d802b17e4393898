// A plain Hummingbird 2 server with one route answering "OK": the baseline that scripts/bench-http measures
// Gatehouse's admin API against, on the same machine in the same run.
import Hummingbird

let arguments = CommandLine.arguments
let port = arguments.count > 1 ? Int(arguments[1]) ?? 18081 : 18081
let router = Router()
router.get("/") { _, _ in "OK" }
router.post("/") { _, _ in "OK" }
let application = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
try await application.runService()
