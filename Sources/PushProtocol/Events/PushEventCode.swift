/// A real-time event code of Appendix 2 (0…255) or Appendix 19 (4000…6999), as carried in `event=` of an rtlog row.
///
/// Codes outside this closed set still occur (firmware adds codes faster than documents do): records keep the
/// raw `Int`, and `PushEventClass(code:)` classifies any code by its documented range.
public enum PushEventCode: Int, Sendable, CaseIterable, Codable {
    case openedAfterVerification = 0
    case verifiedDuringNormalOpen = 1
    case firstUserOpened = 2
    case multipleUsersOpened = 3
    case openedWithEmergencyPassword = 4
    case openedDuringNormalOpen = 5
    case linkageTriggered = 6
    case alarmCancelled = 7
    case openedRemotely = 8
    case closedRemotely = 9
    case normalOpenDisabledForDay = 10
    case normalOpenEnabledForDay = 11
    case auxiliaryOutputEnabledRemotely = 12
    case auxiliaryOutputDisabledRemotely = 13
    case openedByFingerprint = 14
    case multipleUsersOpenedByFingerprint = 15
    case fingerprintDuringNormalOpen = 16
    case openedByCardAndFingerprint = 17
    case firstUserOpenedByFingerprint = 18
    case firstUserOpenedByCardAndFingerprint = 19
    case intervalTooShort = 20
    case verifiedOutsideValidPeriod = 21
    case invalidTimePeriod = 22
    case unauthorizedAccess = 23
    case antiPassback = 24
    case interlock = 25
    case multipleUsersWaiting = 26
    case notRegistered = 27
    case doorOpenTimeout = 28
    case privilegeExpired = 29
    case incorrectPassword = 30
    case fingerprintIntervalTooShort = 31
    case multipleUsersWaitingByFingerprint = 32
    case fingerprintExpired = 33
    case fingerprintNotRegistered = 34
    case fingerprintOutsideValidPeriod = 35
    case exitButtonOutsideValidPeriod = 36
    case cannotCloseDuringNormalOpen = 37
    case cardReportedLost = 38
    case blacklisted = 39
    case multiUserVerificationFailed = 40
    case incorrectVerificationMode = 41
    case incorrectWiegandFormat = 42
    case userFocused = 43
    case remoteIdentificationFailed = 44
    case remoteIdentificationTimedOut = 45
    case commandSendFailed = 47
    case multiUserPunchFailed = 48
    case passwordOutsideValidPeriod = 49
    case passwordIntervalTooShort = 50
    case multipleUsersWaitingByPassword = 51
    case multiUserPasswordFailed = 52
    case passwordExpired = 53
    case batteryVoltageLow = 54
    case replaceBattery = 55
    case unauthorizedOperation = 56
    case backupPowerSupply = 57
    case normalOpenAlarm = 58
    case unauthorizedAdmin = 59
    case lockedInside = 60
    case repeatVerification = 61
    case prohibitedUser = 62
    case doorLocked = 63
    case exitButtonNotOperatedInPeriod = 64
    case auxiliaryInputNotOperatedInPeriod = 65
    case readerUpgradeFailed = 66
    case remoteComparisonSucceededUnauthorized = 67
    case highBodyTemperatureDenied = 68
    case withoutMaskDenied = 69
    case faceServerCommunicationAbnormal = 70
    case faceServerResponseAbnormal = 71
    case callUnanswered = 72
    case invalidQRCode = 73
    case expiredQRCode = 74
    case combinedVerificationTimeout = 75
    case fingerprintUnavailableInTitanMode = 76
    case networkCableUnplugged = 77
    case hotspotDisconnected = 78
    case mobileNetworkDisconnected = 79
    case elevatorFloorButtonWithoutPermission = 80
    case tamperAlarm = 100
    case duressPassword = 101
    case openedAccidentally = 102
    case duressFingerprint = 103
    case invalidCardAlarm = 104
    case networkDisconnected = 105
    case batteryPowerFailure = 106
    case mainsPowerFailure = 107
    case mainControllerConnectionFailed = 108
    case readerDisassemblyAlarm = 109
    case readerOffline = 110
    case poePowerDown = 111
    case extensionBoardOffline = 112
    case illegalSecurityLevel = 113
    case fireAlarmInputDisconnected = 114
    case fireAlarmInputShorted = 115
    case auxiliaryInputLineDisconnected = 116
    case auxiliaryInputLineShorted = 117
    case exitButtonLineDisconnected = 118
    case exitButtonLineShorted = 119
    case doorSensorLineDisconnected = 120
    case doorSensorLineShorted = 121
    case elevatorEmergencyCancelled = 132
    case elevatorEmergencyCancelFailed = 133
    case elevatorRestricted = 134
    case elevatorManualButtonShorted = 150
    case elevatorManualButtonDisconnected = 151
    case elevatorEmergencyButtonShorted = 152
    case elevatorEmergencyButtonDisconnected = 153
    case elevatorFireButtonShorted = 154
    case elevatorFireButtonDisconnected = 155
    case doorOpened = 200
    case doorClosed = 201
    case exitButtonOpened = 202
    case multipleUsersOpenedByCardAndFingerprint = 203
    case normalOpenPeriodEnded = 204
    case normalOpenEnabledRemotely = 205
    case deviceStarted = 206
    case openedByPassword = 207
    case superUserOpened = 208
    case exitButtonLocked = 209
    case firefightingOpenStarted = 210
    case superUserClosed = 211
    case elevatorControlEnabled = 212
    case elevatorControlDisabled = 213
    case serverConnected = 214
    case firstCardOpenedByPassword = 215
    case passwordDuringNormalOpen = 216
    case mainControllerConnected = 217
    case passedByIdentityCard = 218
    case verifiedDuringExitButtonNormalOpen = 219
    case auxiliaryInputDisconnected = 220
    case auxiliaryInputShorted = 221
    case remoteIdentificationSucceeded = 222
    case remoteIdentification = 223
    case doorbell = 224
    case auxiliaryInputNormal = 225
    case auxiliaryInputTriggered = 226
    case dualOnMode = 227
    case dualOffMode = 228
    case auxiliaryOutputNormalOpenScheduledOn = 229
    case auxiliaryOutputNormalOpenScheduledOff = 230
    case ipcLinkage = 231
    case verificationPassed = 232
    case remoteLock = 233
    case remoteUnlock = 234
    case readerUpgraded = 235
    case readerDisassemblyAlarmReleased = 236
    case readerOnline = 237
    case deviceCall = 239
    case callEnded = 240
    case linkedCapture = 241
    case linkedRecording = 242
    case fireAlarmDisconnected = 243
    case fireAlarmShorted = 244
    case hotspotConnected = 245
    case mobileNetworkConnected = 246
    case expansionBoardOnline = 247
    case networkCablePluggedIn = 248
    case elevatorDirectButtonTriggered = 249
    case elevatorFloorButtonWithPermission = 250
    case elevatorVoiceButtonCancelled = 251
    case elevatorVoiceButtonTriggered = 252
    case extendedEventNumber = 254
    case doorStatus = 255
    case fireControlNormalOpenEnded = 4000
    case personnelCommunicationNormal = 4001
    case elevatorConfigured = 4002
    case elevatorLossReported = 4003
    case elevatorLossReportCancelled = 4004
    case elevatorCloseButtonVoiceLight = 4005
    case elevatorOpenButtonVoiceLight = 4006
    case healthCodeGreen = 4007
    case mainsPowerRecovered = 4008
    case intercomCall = 4009
    case intercomAnswered = 4010
    case intercomCallTimeout = 4011
    case intercomRejected = 4012
    case intercomHungUp = 4013
    case clutchAbnormal = 5000
    case fireControlBoardAbnormal = 5001
    case fireControlBoardPowerLoss = 5002
    case powerSupplyAbnormal = 5003
    case signalSynchronizationAbnormal = 5004
    case motorCurrentTooLarge = 5005
    case mainboardCurrentTooLarge = 5006
    case mainboardCurrentOverloaded = 5007
    case continuousOpeningSignal = 5008
    case voiceLoadingAbnormal = 5009
    case slaveOffline = 5010
    case slaveInterfaceDisconnected = 5011
    case beltBroken = 5012
    case turnstileOpeningSolenoidAbnormal = 5013
    case dropArmSolenoidAbnormal = 5014
    case turnstileArmCannotLift = 5015
    case turnstileArmCannotDrop = 5016
    case elevatorConfigurationFailed = 5017
    case elevatorLossReportFailed = 5018
    case elevatorLossReportCancelFailed = 5019
    case elevatorCardDataException = 5020
    case qrCodeInvalid = 5021
    case healthCodeAcquisitionAbnormal = 5022
    case fireControlNormalOpenStarted = 6000
    case healthCodeYellow = 6001
    case healthCodeRed = 6002
    case healthStatusUnknown = 6003
    case healthCodeStatusAbnormal = 6004
    case recordCapacityNinetyPercent = 6005
    case readerRS485ShortCircuit = 6006
    case readerWiegandShortCircuit = 6007
    case switchedToDCPower = 6008
    case switchedToACPower = 6009
    case emergencyBatteryLowVoltage = 6010

    /// The reference's description of the event, device-neutral wording where the reference gives two.
    public var name: String {
        switch self {
        case .openedAfterVerification: "The door opens normally after verification"
        case .verifiedDuringNormalOpen: "Verify in the normal open time period"
        case .firstUserOpened: "The first user opens the door"
        case .multipleUsersOpened: "Multiple users open the door"
        case .openedWithEmergencyPassword: "Open the door by using the emergency password"
        case .openedDuringNormalOpen: "Open the door in the normal open time period"
        case .linkageTriggered: "Trigger linkage"
        case .alarmCancelled: "Cancel the alarm"
        case .openedRemotely: "Open the door remotely"
        case .closedRemotely: "Close the door remotely"
        case .normalOpenDisabledForDay: "Disable the normal open time period of the day"
        case .normalOpenEnabledForDay: "Enable the normal open time period of the day"
        case .auxiliaryOutputEnabledRemotely: "Enable auxiliary output remotely"
        case .auxiliaryOutputDisabledRemotely: "Disable auxiliary output remotely"
        case .openedByFingerprint: "The door is normally opened by fingerprint"
        case .multipleUsersOpenedByFingerprint: "Multiple users open the door by fingerprint"
        case .fingerprintDuringNormalOpen: "Check the fingerprint in the normal open time period"
        case .openedByCardAndFingerprint: "Open the door by card and fingerprint"
        case .firstUserOpenedByFingerprint: "The first user opens the door by fingerprint"
        case .firstUserOpenedByCardAndFingerprint: "The first user opens the door by card and fingerprint"
        case .intervalTooShort: "The operation interval is too short"
        case .verifiedOutsideValidPeriod: "Open the door by verification during the non-valid time period"
        case .invalidTimePeriod: "Invalid time period"
        case .unauthorizedAccess: "Unauthorized access"
        case .antiPassback: "APB"
        case .interlock: "Interlock"
        case .multipleUsersWaiting: "Multiple users wait for verification"
        case .notRegistered: "The user is not registered"
        case .doorOpenTimeout: "Door opening times out"
        case .privilegeExpired: "The user privilege expires"
        case .incorrectPassword: "The password is incorrect"
        case .fingerprintIntervalTooShort: "The fingerprint check interval is too short"
        case .multipleUsersWaitingByFingerprint: "Multiple users perform verification by fingerprint"
        case .fingerprintExpired: "The fingerprint expires"
        case .fingerprintNotRegistered: "The fingerprint is not registered"
        case .fingerprintOutsideValidPeriod: "Check the fingerprint during the non-valid time period"
        case .exitButtonOutsideValidPeriod: "Press the exit button during the non-valid time period"
        case .cannotCloseDuringNormalOpen: "The door cannot be closed during the normal open time period"
        case .cardReportedLost: "The card has been reported as lost"
        case .blacklisted: "Blacklist"
        case .multiUserVerificationFailed: "Multi-user verification failed"
        case .incorrectVerificationMode: "Incorrect verification mode"
        case .incorrectWiegandFormat: "Incorrect Wiegand format"
        case .userFocused: "The user is focused"
        case .remoteIdentificationFailed: "Remote identification failed"
        case .remoteIdentificationTimedOut: "Remote identification times out"
        case .commandSendFailed: "Failed to send the command"
        case .multiUserPunchFailed: "Multi-user verification by punch failed"
        case .passwordOutsideValidPeriod: "Open the door by password during the non-valid time period"
        case .passwordIntervalTooShort: "The password verification interval is too short"
        case .multipleUsersWaitingByPassword: "Multiple users perform verification by password"
        case .multiUserPasswordFailed: "Multi-user verification by password failed"
        case .passwordExpired: "The password expires"
        case .batteryVoltageLow: "Battery voltage is too low"
        case .replaceBattery: "Replace the battery immediately"
        case .unauthorizedOperation: "Unauthorized operation"
        case .backupPowerSupply: "Backup power supply"
        case .normalOpenAlarm: "Normal open alarm"
        case .unauthorizedAdmin: "Unauthorized admin"
        case .lockedInside: "The door is locked inside"
        case .repeatVerification: "Repeat verification"
        case .prohibitedUser: "Prohibited user"
        case .doorLocked: "Door locked"
        case .exitButtonNotOperatedInPeriod: "The exit button is not operated within the time period"
        case .auxiliaryInputNotOperatedInPeriod: "Auxiliary input is not operated within the time period"
        case .readerUpgradeFailed: "Reader upgrade failed"
        case .remoteComparisonSucceededUnauthorized: "Remote comparison is successful (device is not authorized)"
        case .highBodyTemperatureDenied: "High body temperature - Access Denied"
        case .withoutMaskDenied: "Without mask - Access Denied"
        case .faceServerCommunicationAbnormal: "The face comparison server communication is abnormal"
        case .faceServerResponseAbnormal: "Face server responds abnormally"
        case .callUnanswered: "Call unanswered"
        case .invalidQRCode: "Invalid QR code"
        case .expiredQRCode: "QR code has expired"
        case .combinedVerificationTimeout: "Combined verification timeout"
        case .fingerprintUnavailableInTitanMode: "Cannot get fingerprints in TITAN mode"
        case .networkCableUnplugged: "Internet cable not plugged in"
        case .hotspotDisconnected: "Device hotspot disconnected abnormally"
        case .mobileNetworkDisconnected: "Mobile network disconnected abnormally"
        case .elevatorFloorButtonWithoutPermission: "The elevator control floor selection button is triggered without any permission"
        case .tamperAlarm: "Tamper alarm"
        case .duressPassword: "Alarm for opening the door with the duress password"
        case .openedAccidentally: "The door is opened accidentally"
        case .duressFingerprint: "Alarm for opening the door with the duress fingerprint"
        case .invalidCardAlarm: "Alarm for punch with an invalid card"
        case .networkDisconnected: "Failed to connect to the server"
        case .batteryPowerFailure: "Battery power failure"
        case .mainsPowerFailure: "Mains power failure"
        case .mainControllerConnectionFailed: "Failed to connect to the main controller"
        case .readerDisassemblyAlarm: "Reader disassembly alarm"
        case .readerOffline: "Reader offline alarm"
        case .poePowerDown: "POE power down"
        case .extensionBoardOffline: "Extension board offline alarm"
        case .illegalSecurityLevel: "Illegal security level"
        case .fireAlarmInputDisconnected: "Line detection, fire alarm input disconnected"
        case .fireAlarmInputShorted: "Line detection, fire alarm input short circuit"
        case .auxiliaryInputLineDisconnected: "Line detection, auxiliary input disconnect"
        case .auxiliaryInputLineShorted: "Line detection, auxiliary input short circuit"
        case .exitButtonLineDisconnected: "Line detection, the exit button is off"
        case .exitButtonLineShorted: "Line detection, short circuit of exit button"
        case .doorSensorLineDisconnected: "Line detection, door sensor disconnected"
        case .doorSensorLineShorted: "Line detection, door sensor short circuit"
        case .elevatorEmergencyCancelled: "Cancel the emergency state of the elevator control"
        case .elevatorEmergencyCancelFailed: "It is not possible to cancel the elevator control emergency state"
        case .elevatorRestricted: "The elevator control is in a restricted state"
        case .elevatorManualButtonShorted: "The elevator control manual button is short-circuited"
        case .elevatorManualButtonDisconnected: "The elevator control manual button is disconnected"
        case .elevatorEmergencyButtonShorted: "The elevator control emergency button is short-circuited"
        case .elevatorEmergencyButtonDisconnected: "The elevator control emergency button is disconnected"
        case .elevatorFireButtonShorted: "The elevator control fire button is short-circuited"
        case .elevatorFireButtonDisconnected: "The elevator control fire button is disconnected"
        case .doorOpened: "The door is open"
        case .doorClosed: "The door is closed"
        case .exitButtonOpened: "Open the door by pressing the exit button"
        case .multipleUsersOpenedByCardAndFingerprint: "Multiple users open the door by card and fingerprint"
        case .normalOpenPeriodEnded: "The door normal open time period ends"
        case .normalOpenEnabledRemotely: "Remotely enable normal open for the door"
        case .deviceStarted: "Start the device"
        case .openedByPassword: "Open the door by password"
        case .superUserOpened: "The super user opens the door"
        case .exitButtonLocked: "Press the exit button (locked)"
        case .firefightingOpenStarted: "Start firefighting door opening"
        case .superUserClosed: "The super user closes the door"
        case .elevatorControlEnabled: "Enable the elevator control function"
        case .elevatorControlDisabled: "Disable the elevator control function"
        case .serverConnected: "Successfully connected to the server"
        case .firstCardOpenedByPassword: "The first card opens the door by password"
        case .passwordDuringNormalOpen: "Open the door by password during the normal open time period"
        case .mainControllerConnected: "Successfully connected to the main controller"
        case .passedByIdentityCard: "Pass by identity card"
        case .verifiedDuringExitButtonNormalOpen: "Verification within the time period when the exit button is normally open"
        case .auxiliaryInputDisconnected: "Disconnected from the auxiliary input point"
        case .auxiliaryInputShorted: "The auxiliary input point is short-circuited"
        case .remoteIdentificationSucceeded: "Remote identification is successful"
        case .remoteIdentification: "Remote identification"
        case .doorbell: "Ring the doorbell"
        case .auxiliaryInputNormal: "The auxiliary input point is normal"
        case .auxiliaryInputTriggered: "Trigger the auxiliary input point"
        case .dualOnMode: "The door is in dual-on mode"
        case .dualOffMode: "The door is in dual-off mode"
        case .auxiliaryOutputNormalOpenScheduledOn: "Regularly enable normal open for auxiliary output"
        case .auxiliaryOutputNormalOpenScheduledOff: "Regularly disable normal open for auxiliary output"
        case .ipcLinkage: "IPC firmware linkage event"
        case .verificationPassed: "Passed the verification"
        case .remoteLock: "Remote lock"
        case .remoteUnlock: "Remote unlock"
        case .readerUpgraded: "Reader upgrade successfully"
        case .readerDisassemblyAlarmReleased: "Reader disassembly alarm release"
        case .readerOnline: "Reader online"
        case .deviceCall: "Device call"
        case .callEnded: "Call ended"
        case .linkedCapture: "Linked capture event"
        case .linkedRecording: "Linked recording event"
        case .fireAlarmDisconnected: "Fire alarm input disconnected"
        case .fireAlarmShorted: "Fire alarm input short circuit"
        case .hotspotConnected: "Connect to hotspot"
        case .mobileNetworkConnected: "Mobile network connection is successful"
        case .expansionBoardOnline: "Expansion board online"
        case .networkCablePluggedIn: "Plug in the internet cable"
        case .elevatorDirectButtonTriggered: "The elevator control direct button triggers"
        case .elevatorFloorButtonWithPermission: "The elevator control floor selection button is triggered with the permissions"
        case .elevatorVoiceButtonCancelled: "The elevator control cancels the button via voice"
        case .elevatorVoiceButtonTriggered: "The elevator control triggers the button via voice"
        case .extendedEventNumber: "Definition of the extended event number"
        case .doorStatus: "Door status"
        case .fireControlNormalOpenEnded: "Fire control normally open ends"
        case .personnelCommunicationNormal: "Normal communication of the personnel"
        case .elevatorConfigured: "Configured successfully (elevator control)"
        case .elevatorLossReported: "Successful loss report (elevator control)"
        case .elevatorLossReportCancelled: "Successfully cancel the loss report (elevator control)"
        case .elevatorCloseButtonVoiceLight: "Voice light on the door closing button (elevator control)"
        case .elevatorOpenButtonVoiceLight: "Voice light on the door open button (elevator control)"
        case .healthCodeGreen: "Green Code (health code)"
        case .mainsPowerRecovered: "Mains power recovery event"
        case .intercomCall: "Video intercom call"
        case .intercomAnswered: "Video intercom answering"
        case .intercomCallTimeout: "Video intercom call timeout"
        case .intercomRejected: "Video intercom rejection"
        case .intercomHungUp: "Video intercom hangs up normally"
        case .clutchAbnormal: "The clutch is abnormal"
        case .fireControlBoardAbnormal: "The fire control board is abnormal"
        case .fireControlBoardPowerLoss: "The fire control board is losing electricity"
        case .powerSupplyAbnormal: "The power supply is abnormal"
        case .signalSynchronizationAbnormal: "The signal synchronization is abnormal"
        case .motorCurrentTooLarge: "The motor current is too large"
        case .mainboardCurrentTooLarge: "The mainboard current is too large"
        case .mainboardCurrentOverloaded: "The mainboard current is overloaded"
        case .continuousOpeningSignal: "Receives continuous opening signal"
        case .voiceLoadingAbnormal: "The voice loading is abnormal"
        case .slaveOffline: "The slave machine is offline"
        case .slaveInterfaceDisconnected: "The slave machine communication interface is disconnected"
        case .beltBroken: "The belt is broken"
        case .turnstileOpeningSolenoidAbnormal: "The turnstile-opening solenoid is abnormal"
        case .dropArmSolenoidAbnormal: "The drop-arm solenoid is abnormal"
        case .turnstileArmCannotLift: "The turnstile arm cannot be lifted"
        case .turnstileArmCannotDrop: "The turnstile arm cannot be dropped"
        case .elevatorConfigurationFailed: "Configuration failed (elevator control)"
        case .elevatorLossReportFailed: "Failed to report loss (elevator control)"
        case .elevatorLossReportCancelFailed: "Failed to cancel the loss report (elevator control)"
        case .elevatorCardDataException: "Card data exception (elevator control)"
        case .qrCodeInvalid: "QR code is invalid"
        case .healthCodeAcquisitionAbnormal: "The acquisition of the health code of Chongqing is abnormal"
        case .fireControlNormalOpenStarted: "The fire control start is normally opened"
        case .healthCodeYellow: "Yellow Code (health code)"
        case .healthCodeRed: "Red Code (health code)"
        case .healthStatusUnknown: "Unknown health status"
        case .healthCodeStatusAbnormal: "Abnormal status of health code of Chongqing"
        case .recordCapacityNinetyPercent: "Push event when the device record capacity reaches 90%"
        case .readerRS485ShortCircuit: "Short circuit of reader (RS485)"
        case .readerWiegandShortCircuit: "Short circuit of reader (Wiegand)"
        case .switchedToDCPower: "Using emergency power supply, switch from AC power supply to DC power supply"
        case .switchedToACPower: "Using emergency power supply, switch from DC power supply to AC power supply"
        case .emergencyBatteryLowVoltage: "Using emergency DC power supply, the power battery enters a low voltage state"
        }
    }

    /// Normal, error or alarm, by the ranges of Appendix 2 and Appendix 19.
    public var eventClass: PushEventClass { PushEventClass(code: rawValue) }
}

/// The three event classes of Appendix 2 (0~19 and 200~253 normal, 20~99 error, 100~199 alarm) and
/// Appendix 19 (4000s normal, 5000s error, 6000s alarm).
public enum PushEventClass: String, Sendable, Codable, CaseIterable {
    case normal
    case error
    case alarm

    /// Classifies any code, known or not. Codes outside every documented range (254, 255, 256…3999, ≥7000) are
    /// reported as `normal`: 254/255 are bookkeeping (extended event number, door status), not incidents.
    public init(code: Int) {
        switch code {
        case 20...99, 5000...5999: self = .error
        case 100...199, 6000...6999: self = .alarm
        default: self = .normal
        }
    }
}
