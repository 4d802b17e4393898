// libFuzzer entry point for the PushProtocol codec. Built by scripts/fuzz-push together with the module's sources
// as one module (so no `import PushProtocol`). Every parser runs on every input; where a parse succeeds, its
// emission must parse again and re-emit identically (emission is a fixpoint), otherwise the fuzzer reports a crash.

@_cdecl("LLVMFuzzerTestOneInput")
public func pushProtocolFuzzTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    fuzzRecords(bytes)
    fuzzCommands(bytes)
    fuzzResults(bytes)
    fuzzCapture(bytes)
    fuzzReplies(bytes)
    fuzzValues(bytes)
    return 0
}

private func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("emission is not a fixpoint: \(message())") }
}

private func fuzzRecords(_ bytes: [UInt8]) {
    guard let records = try? RecordBody.parse(bytes) else { return }
    _ = records.map(\.json).map { $0.rendered() }
    let emitted = RecordBody.emit(records)
    guard let again = try? RecordBody.parse(emitted) else {
        check(false, "records re-parse failed")
        return
    }
    check(RecordBody.emit(again) == emitted, "record emission changed on re-parse")
    _ = records.map { RealtimeRow(record: $0).json.rendered() }
}

private func fuzzCommands(_ bytes: [UInt8]) {
    // The getrequest fast path must agree with the general parser.
    if isValidUTF8(bytes) {
        let fast = Result { () throws(PushParseError) in try ServerCommand.parseAll(bytes) }
        let general = Result { () throws(PushParseError) in try ServerCommand.parseAllGeneral(bytes, bodyIsUTF8: true) }
        switch (fast, general) {
        case (.success(let a), .success(let b)): check(a == b, "fast and general command paths differ")
        case (.failure, .failure): break
        default: check(false, "fast and general command paths disagree on success")
        }
    }
    guard let commands = try? ServerCommand.parseAll(bytes) else { return }
    _ = commands.map { $0.json.rendered() }
    let emitted = ServerCommand.emitAll(commands)
    guard let again = try? ServerCommand.parseAll(emitted) else {
        check(false, "command re-parse failed: \(String(decoding: emitted.prefix(200), as: UTF8.self))")
        return
    }
    check(ServerCommand.emitAll(again) == emitted, "command emission changed: \(String(decoding: emitted.prefix(200), as: UTF8.self))")
}

private func fuzzResults(_ bytes: [UInt8]) {
    guard let results = try? CommandResult.parseAll(bytes) else { return }
    _ = results.map { $0.json.rendered() }
    let emitted = CommandResult.emitAll(results)
    guard let again = try? CommandResult.parseAll(emitted) else {
        check(false, "result re-parse failed")
        return
    }
    check(CommandResult.emitAll(again) == emitted, "result emission changed")
}

private func fuzzCapture(_ bytes: [UInt8]) {
    if let capture = try? HTTPCapture.parse(bytes), let request = try? PushRequest.parse(capture: capture) {
        _ = request.json.rendered()
        _ = request.body
    }
    // Also treat the first line as a target and the rest as a body.
    let newline = bytes.firstIndex(of: 0x0A) ?? bytes.endIndex
    let target = String(decoding: bytes[..<newline], as: UTF8.self)
    let body = newline < bytes.endIndex ? Array(bytes[(newline + 1)...]) : []
    for method in ["GET", "POST"] {
        if let request = try? PushRequest.parse(method: method, target: target, body: body) {
            _ = request.json.rendered()
            let emitted = request.body
            if let again = try? PushRequest.parse(method: method, target: request.target, body: emitted) {
                check(again.body == emitted, "request emission changed for \(target.prefix(80))")
            }
        }
    }
}

private func fuzzReplies(_ bytes: [UInt8]) {
    for endpoint in PushEndpoint.allCases {
        let query = endpoint == .cdata ? PushQuery(["AuthType": "device"]) : PushQuery()
        if let reply = try? ServerReply.parse(bytes, endpoint: endpoint, query: query) {
            _ = reply.json.rendered()
            if let again = try? ServerReply.parse(reply.body, endpoint: endpoint, query: query) {
                check(again.body == reply.body, "reply emission changed for \(endpoint)")
            }
        }
    }
}

private func fuzzValues(_ bytes: [UInt8]) {
    let text = PushTextEncoding.decode(bytes).text
    _ = try? PushOptionList.parse(text)
    _ = PushDateTime(text: text)
    _ = PushDateTime(compact: text)
    _ = CardNumber(text: text)?.bracketedText
    _ = DSTMoment(text: text)
    _ = ValidityBound(text).text
    _ = Capabilities.verifyStyles(text)
    _ = Capabilities.eventTypes(text)
    _ = Capabilities.verificationFactors(text)
    _ = Capabilities.biometricSupport(text)
    _ = PushProtocolVersion(text)
    _ = try? ControlDeviceCommand(text: text).action.summary
    _ = try? PushQuery.parse(Substring(text))
    _ = try? PackedData.parse(bytes).archive
    _ = SessionToken.fromCookie(text)
    if let number = Int(text), let period = TimePeriod(encoded: number) { _ = period.encoded }
}
