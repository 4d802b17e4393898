import Foundation

/// What to do with a relay.
public enum WebRelayCommand: Sendable, Equatable {
    /// On, then off after the given seconds (a door strike).
    case pulse(seconds: Int)
    case on
    case off
    case toggle
}

/// Ready-made action URLs for the web relays the research file lists (§4), relative so they resolve
/// against the configured address and credentials. Each preset also says which HTTP
/// authentication the device expects.
public enum WebRelayPreset: Sendable, Equatable {
    /// ControlByWeb single-relay WebRelay: `state.xml?relayState=0/1/2/5&pulseTime=N`, Basic.
    case controlByWeb
    /// ControlByWeb multi-relay (X-320M, WebRelay-10, X-4xx): `state.xml?relay{n}State=…&pulseTime{n}=N`.
    case controlByWebMulti(relay: Int)
    /// 2N external relay 9137410E: `state.xml?relayState=1/2/0`.
    case twoNExternalRelay
    /// 2N IP intercoms' HTTP API: `/api/switch/ctrl?switch=n&action=trigger|on|off`.
    case twoN(switch: Int)
    /// Shelly Gen1: `/relay/{channel}?turn=on|off|toggle[&timer=N]`.
    case shellyGen1(channel: Int)
    /// Shelly Gen2+: JSON-RPC `Switch.Set` / `Switch.Toggle` on `/rpc`, Digest SHA-256, user `admin`.
    case shellyGen2(switch: Int)
    /// DoorBird: `/bha-api/open-door.cgi?r=n` (pulse only), Basic.
    case doorBird(relay: String)
    /// Axis VAPIX: `/axis-cgi/io/port.cgi?action=n:/` (active), `n:\` (inactive), `n:/ms\` (pulse).
    case axis(port: Int)
    /// Hikvision ISAPI: `PUT /ISAPI/AccessControl/RemoteControl/door/n` with `<cmd>`, Digest.
    case hikvision(door: Int)
    /// Dahua: `/cgi-bin/accessControl.cgi?action=openDoor|closeDoor&channel=n&Type=Remote`, Digest.
    case dahua(channel: Int)
    /// Another Akuvox (high-security form): `/fcgi/OpenDoor?action=OpenDoor&DoorNum=n`.
    case akuvox(door: Int)

    public struct Unsupported: Error, Sendable, Equatable, CustomStringConvertible {
        public var preset: String
        public var command: String
        public var description: String { "web relay preset \(preset) cannot \(command)" }
    }

    /// The authentication scheme the device family expects.
    public var authentication: HTTPAuthentication.Scheme {
        switch self {
        case .controlByWeb, .controlByWebMulti, .twoNExternalRelay, .shellyGen1, .doorBird: .basic
        case .shellyGen2, .hikvision, .dahua: .digest
        case .twoN, .axis, .akuvox: .any
        }
    }

    /// The action for `command`, to store under an id in `WebRelaySettings.actions`.
    public func action(id: Int, _ command: WebRelayCommand) throws(Unsupported) -> WebRelayAction {
        let unsupported = Unsupported(preset: "\(self)", command: "\(command)")
        switch self {
        case .controlByWeb:
            let url = switch command {
            case let .pulse(seconds): "state.xml?relayState=2&pulseTime=\(max(1, seconds))"
            case .on: "state.xml?relayState=1"
            case .off: "state.xml?relayState=0"
            case .toggle: "state.xml?relayState=5"
            }
            return WebRelayAction(id: id, url: url)
        case let .controlByWebMulti(relay):
            let url = switch command {
            case let .pulse(seconds): "state.xml?relay\(relay)State=2&pulseTime\(relay)=\(max(1, seconds))"
            case .on: "state.xml?relay\(relay)State=1"
            case .off: "state.xml?relay\(relay)State=0"
            case .toggle: "state.xml?relay\(relay)State=5"
            }
            return WebRelayAction(id: id, url: url)
        case .twoNExternalRelay:
            switch command {
            case .pulse: return WebRelayAction(id: id, url: "state.xml?relayState=2")
            case .on: return WebRelayAction(id: id, url: "state.xml?relayState=1")
            case .off: return WebRelayAction(id: id, url: "state.xml?relayState=0")
            case .toggle: throw unsupported
            }
        case let .twoN(number):
            switch command {
            case .pulse: return WebRelayAction(id: id, url: "api/switch/ctrl?switch=\(number)&action=trigger")
            case .on: return WebRelayAction(id: id, url: "api/switch/ctrl?switch=\(number)&action=on")
            case .off: return WebRelayAction(id: id, url: "api/switch/ctrl?switch=\(number)&action=off")
            case .toggle: throw unsupported
            }
        case let .shellyGen1(channel):
            let url = switch command {
            case let .pulse(seconds): "relay/\(channel)?turn=on&timer=\(max(1, seconds))"
            case .on: "relay/\(channel)?turn=on"
            case .off: "relay/\(channel)?turn=off"
            case .toggle: "relay/\(channel)?turn=toggle"
            }
            return WebRelayAction(id: id, url: url)
        case let .shellyGen2(number):
            let call = switch command {
            case let .pulse(seconds): #"{"id":1,"method":"Switch.Set","params":{"id":\#(number),"on":true,"toggle_after":\#(max(1, seconds))}}"#
            case .on: #"{"id":1,"method":"Switch.Set","params":{"id":\#(number),"on":true}}"#
            case .off: #"{"id":1,"method":"Switch.Set","params":{"id":\#(number),"on":false}}"#
            case .toggle: #"{"id":1,"method":"Switch.Toggle","params":{"id":\#(number)}}"#
            }
            return WebRelayAction(id: id, url: "rpc", method: "POST", body: call, contentType: "application/json")
        case let .doorBird(relay):
            guard case .pulse = command else { throw unsupported }
            let encoded = relay.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(["@", "-", "_"])) ?? relay
            return WebRelayAction(id: id, url: "bha-api/open-door.cgi?r=\(encoded)")
        case let .axis(port):
            // `/` = active, `\` = inactive, a number between them = wait in milliseconds.
            let action = switch command {
            case let .pulse(seconds): "\(port):/\(max(1, seconds) * 1_000)\\"
            case .on: "\(port):/"
            case .off: "\(port):\\"
            case .toggle: ""
            }
            guard !action.isEmpty else { throw unsupported }
            let encoded = action.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union([":"])) ?? action
            return WebRelayAction(id: id, url: "axis-cgi/io/port.cgi?action=\(encoded)")
        case let .hikvision(door):
            let command = switch command {
            case .pulse: "open"
            case .on: "alwaysOpen"
            case .off: "close"
            case .toggle: ""
            }
            guard !command.isEmpty else { throw unsupported }
            return WebRelayAction(
                id: id, url: "ISAPI/AccessControl/RemoteControl/door/\(door)", method: "PUT",
                body: "<RemoteControlDoor><cmd>\(command)</cmd></RemoteControlDoor>", contentType: "application/xml")
        case let .dahua(channel):
            switch command {
            case .pulse: return WebRelayAction(id: id, url: "cgi-bin/accessControl.cgi?action=openDoor&channel=\(channel)&Type=Remote")
            case .off: return WebRelayAction(id: id, url: "cgi-bin/accessControl.cgi?action=closeDoor&channel=\(channel)")
            case .on, .toggle: throw unsupported
            }
        case let .akuvox(door):
            guard case .pulse = command else { throw unsupported }
            return WebRelayAction(id: id, url: "fcgi/OpenDoor?action=OpenDoor&DoorNum=\(door)")
        }
    }
}

extension WebRelayPreset {
    /// The preset names a site's actions file uses, in the order of the research table.
    public static let names = [
        "controlbyweb", "controlbyweb_multi", "2n_external_relay", "2n", "shelly_gen1", "shelly_gen2", "doorbird", "axis",
        "hikvision", "dahua", "akuvox",
    ]

    /// A preset by name. `number` is the relay, switch, channel, port or door on the device (default: the
    /// vendor's first, 0 for Shelly, 1 elsewhere); DoorBird takes `relay` as written (`1`, `2`, `ctrl@1`).
    public init?(name: String, number: Int? = nil, relay: String? = nil) {
        switch name {
        case "controlbyweb": self = .controlByWeb
        case "controlbyweb_multi": self = .controlByWebMulti(relay: number ?? 1)
        case "2n_external_relay": self = .twoNExternalRelay
        case "2n": self = .twoN(switch: number ?? 1)
        case "shelly_gen1": self = .shellyGen1(channel: number ?? 0)
        case "shelly_gen2": self = .shellyGen2(switch: number ?? 0)
        case "doorbird": self = .doorBird(relay: relay ?? number.map(String.init) ?? "1")
        case "axis": self = .axis(port: number ?? 1)
        case "hikvision": self = .hikvision(door: number ?? 1)
        case "dahua": self = .dahua(channel: number ?? 1)
        case "akuvox": self = .akuvox(door: number ?? 1)
        default: return nil
        }
    }
}

extension WebRelayCommand {
    public static let names = ["pulse", "on", "off", "toggle"]

    /// `pulse` (on for `seconds`, then off), `on`, `off` or `toggle`.
    public init?(name: String, seconds: Int = 5) {
        switch name {
        case "pulse": self = .pulse(seconds: seconds)
        case "on": self = .on
        case "off": self = .off
        case "toggle": self = .toggle
        default: return nil
        }
    }
}
