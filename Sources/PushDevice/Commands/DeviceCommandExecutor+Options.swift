import AccessControl
import PushProtocol

/// SET/GET OPTIONS for the door parameters of Appendix 10, as controllers take them: `Door<n><Parameter>`
/// (`Door1Drivertime=5`, `Door2MaskFlag=1`), `n` in the upstream numbering. They change the door model (stored,
/// applied at once); every other option is kept as the server set it and read back by GET OPTIONS.
extension DeviceCommandExecutor {
    /// Appendix 10 parameters Gatehouse's door model holds, by the name after `Door<n>`.
    static let doorParameters: Set<String> = [
        "Drivertime", "KeepOpenTimeZone", "ValidTZ", "SupperPassWord", "Intertime", "VerifyType", "SensorType",
        "Detectortime", "CloseAndLock", "ForcePassWord", "InTimeAPB", "REXInput", "MultiCardInterTime",
        "FirstCardOpenDoor", "MultiCardOpenDoor", "InOutAntiPassback", "MaskFlag",
    ]

    /// `Door3Drivertime` → (3, "Drivertime") when it names a held parameter.
    static func doorParameter(_ key: String) -> (door: Int, parameter: String)? {
        guard key.hasPrefix("Door") else { return nil }
        let rest = key.dropFirst(4)
        let digits = rest.prefix(while: \.isNumber)
        guard !digits.isEmpty, digits.count <= 2, let door = Int(digits) else { return nil }
        let parameter = String(rest.dropFirst(digits.count))
        return doorParameters.contains(parameter) ? (door, parameter) : nil
    }

    /// Applies the door parameters among `list` (one stored change per door) and keeps the rest. Returns -11
    /// (naming nothing applied for that door) when a value does not fit, -1004 never: unknown keys are kept.
    func setOptions(_ list: PushOptionList) async -> PushReturnCode {
        var byDoor: [Int: [(String, String)]] = [:]
        var others: [PushField] = []
        for field in list.fields {
            if let (door, parameter) = Self.doorParameter(field.key) {
                byDoor[door, default: []].append((parameter, (field.value ?? "").trimmingCharacters(in: .whitespaces)))
            } else {
                others.append(field)
            }
        }
        await options.set(PushOptionList(fields: others))
        var code = PushReturnCode.success
        for (number, changes) in byDoor.sorted(by: { $0.key < $1.key }) {
            do {
                guard let id = view.localDoor(number), var door = await site.currentConfiguration.doors.first(where: { $0.id == id }) else {
                    throw ModelError(field: "Door\(number)", rule: .notFound)
                }
                for (parameter, value) in changes { try Self.apply(parameter, value, to: &door) }
                try await site.upsert(door)
            } catch {
                code = Self.code(for: error)
            }
        }
        return code
    }

    static func apply(_ parameter: String, _ value: String, to door: inout Door) throws {
        func number() throws -> Int {
            guard let result = Int(value) else { throw ModelError(field: "Door\(door.id)\(parameter)", rule: .format("an integer (got \(value.prefix(20)))")) }
            return result
        }
        func timezone() throws -> TimezoneID? {
            let id = try number()
            return id == 0 ? nil : TimezoneID(id)
        }
        switch parameter {
        case "Drivertime": door.lockDriveTime = try number()
        case "KeepOpenTimeZone": door.normalOpenTimezone = try timezone()
        case "ValidTZ": door.validTimezone = try timezone() ?? .always
        case "SupperPassWord": door.emergencyPassword = value.isEmpty ? nil : value
        case "ForcePassWord": door.duressPassword = value.isEmpty ? nil : value
        case "Intertime": door.punchInterval = try number()
        case "VerifyType":
            guard let mode = VerifyMode(rawValue: try number()) else { throw ModelError(field: "Door\(door.id)VerifyType", rule: .format("an Appendix 3 code")) }
            door.verifyMode = mode
        case "SensorType":
            guard let type = DoorSensorType(rawValue: try number()) else { throw ModelError(field: "Door\(door.id)SensorType", rule: .range(min: 0, max: 2)) }
            door.sensorType = type
        case "Detectortime": door.openTimeout = try number()
        case "CloseAndLock": door.closeAndLock = try number() != 0
        case "InTimeAPB": door.antiPassbackDuration = try number()
        case "REXInput": door.exitButtonEnabled = try number() != 0
        case "MultiCardInterTime": door.multiCardInterval = try number()
        case "FirstCardOpenDoor":
            guard let mode = FirstCardMode(rawValue: try number()) else { throw ModelError(field: "Door\(door.id)FirstCardOpenDoor", rule: .range(min: 0, max: 2)) }
            door.firstCardMode = mode
        case "MultiCardOpenDoor": door.multiCardOpen = try number() != 0
        case "InOutAntiPassback":
            guard let mode = InOutAntiPassback(rawValue: try number()) else { throw ModelError(field: "Door\(door.id)InOutAntiPassback", rule: .range(min: 0, max: 3)) }
            door.antiPassback = mode
        case "MaskFlag": door.isLocked = try number() != 0
        default: break
        }
    }

    /// The value GET OPTIONS reports for a door parameter.
    func doorOption(_ name: String) async -> String? {
        guard let (number, parameter) = Self.doorParameter(name), let id = view.localDoor(number),
            let door = await site.currentConfiguration.doors.first(where: { $0.id == id })
        else { return nil }
        switch parameter {
        case "Drivertime": return String(door.lockDriveTime)
        case "KeepOpenTimeZone": return String(door.normalOpenTimezone?.rawValue ?? 0)
        case "ValidTZ": return String(door.validTimezone.rawValue)
        case "SupperPassWord": return door.emergencyPassword ?? ""
        case "ForcePassWord": return door.duressPassword ?? ""
        case "Intertime": return String(door.punchInterval)
        case "VerifyType": return String(door.verifyMode.rawValue)
        case "SensorType": return String(door.sensorType.rawValue)
        case "Detectortime": return String(door.openTimeout)
        case "CloseAndLock": return door.closeAndLock ? "1" : "0"
        case "InTimeAPB": return String(door.antiPassbackDuration)
        case "REXInput": return door.exitButtonEnabled ? "1" : "0"
        case "MultiCardInterTime": return String(door.multiCardInterval)
        case "FirstCardOpenDoor": return String(door.firstCardMode.rawValue)
        case "MultiCardOpenDoor": return door.multiCardOpen ? "1" : "0"
        case "InOutAntiPassback": return String(door.antiPassback.rawValue)
        case "MaskFlag": return door.isLocked ? "1" : "0"
        default: return nil
        }
    }
}
