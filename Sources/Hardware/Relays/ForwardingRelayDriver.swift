import AccessControl

/// A relay driver that passes every change to the base driver (which keeps the state the API and scripts read) and
/// then to the hardware: OSDP reader outputs (``osdpOutputs(base:panel:outputs:)``), GPIO lines (``gpio(base:lines:relays:)``). The hardware side
/// must not block (the door engine calls it from its actor): OSDP queues for the panel's loop, GPIO writes a line.
public final class ForwardingRelayDriver: RelayDriver {
    private let base: any RelayDriver
    private let forward: @Sendable (RelayOutput) -> Void

    public init(base: any RelayDriver, forward: @escaping @Sendable (RelayOutput) -> Void) {
        self.base = base
        self.forward = forward
    }

    public func apply(_ output: RelayOutput) {
        base.apply(output)
        forward(output)
    }
}

extension ForwardingRelayDriver {
    /// Relays wired to reader outputs (osdp_OUT): a relay on an output switches it as the door engine switches it.
    public static func osdpOutputs(
        base: any RelayDriver, panel: OSDPControlPanel, outputs: [RelayID: (peripheral: Int, output: UInt8)]
    ) -> ForwardingRelayDriver {
        ForwardingRelayDriver(base: base) { output in
            guard let target = outputs[output.relay] else { return }
            panel.submit(.output(number: target.output, on: output.isActive), to: target.peripheral)
        }
    }

    /// Relays on GPIO lines: a relay on a line drives it as the door engine switches the relay.
    public static func gpio(base: any RelayDriver, lines: any DigitalLines, relays: [RelayID: GPIOLine]) -> ForwardingRelayDriver
    {
        ForwardingRelayDriver(base: base) { output in
            guard let line = relays[output.relay] else { return }
            lines.set(line, active: output.isActive)
        }
    }
}
