import AccessControl
import Foundation
import Logging
import MQTT
import Outbound
import Scripting
import ServiceLifecycle

/// The bridge's durable queue is the host's outbox: entries of kind `mqtt`, delivered one at a time in order, kept
/// until the broker has them (they never run out of attempts while it is away; `GET /api/v1/actions` lists them).
struct OutboxMQTTQueue: MQTTEventQueue {
    static let source = "mqtt"
    let outbox: Outbox

    func enqueue(_ messages: [MQTTMessage]) async throws {
        for message in messages {
            try await outbox.enqueue(
                .mqtt(MQTTPublication(topic: message.topic, payload: message.payload, qos: max(1, message.qos), retain: message.retain)),
                source: Self.source, maxAttempts: 1_000_000)
        }
    }

    func pendingCount() async throws -> Int { try await outbox.pendingCount(kind: "mqtt") }

    func deliverNow() async { try? await outbox.expedite(kind: "mqtt") }
}

/// Delivers the outbox's entries: MQTT through the bridge's client (once the broker acknowledged), the rest
/// through libcurl.
struct HostActionPerformer: ActionPerformer {
    let transport: TransportPerformer
    let mqtt: MQTTClient?

    func perform(_ action: OutboundAction) async throws(TransportError) {
        guard case .mqtt(let publication) = action else {
            try await transport.perform(action)
            return
        }
        guard let mqtt else { throw .notConfigured("MQTT is not configured ([mqtt] enabled = false)") }
        let broker = "\(mqtt.endpoint.host):\(mqtt.endpoint.port)"
        do {
            try await mqtt.publishAndWait(
                MQTTMessage(topic: publication.topic, payload: publication.payload, qos: publication.qos, retain: publication.retain))
        } catch MQTTError.notConnected {
            throw .connectionFailed(host: broker, detail: "not connected to the MQTT broker")
        } catch MQTTError.timedOut {
            throw .timedOut(url: "mqtt://\(broker)/\(publication.topic)", afterMilliseconds: 10_000)
        } catch MQTTError.invalidTopic(let topic) {
            throw .invalidURL(topic, reason: "not a valid MQTT topic")
        } catch {
            throw .unavailable("\(error)")
        }
    }
}

/// The scripts' MQTT side: the patterns their `mqtt.subscribe` calls named, and `on("mqtt", fn)` delivery.
struct ScriptMQTTSubscribers: MQTTScriptSubscribers {
    let scripts: ScriptHost

    func patterns() async -> [String] { await scripts.mqttSubscriptions }

    func deliver(_ message: MQTTIncoming) async {
        await scripts.dispatch(.mqtt, ScriptMQTTSubscribers.fields(topic: message.topic, payload: message.payload, retain: message.retain, qos: message.qos))
    }

    static func fields(topic: String, payload: Data, retain: Bool, qos: Int) -> [String: LuaValue] {
        [
            "topic": .string(topic), "payload": .string(String(decoding: payload, as: UTF8.self)), "retain": .boolean(retain),
            "qos": .integer(Int64(qos)),
        ]
    }
}

/// Runs the bridge until shutdown, then says `offline` and disconnects cleanly.
struct MQTTService: Service {
    let bridge: MQTTBridge

    func run() async throws {
        await cancelWhenGracefulShutdown { await bridge.run() }
        await bridge.shutdown()
    }
}
