import AccessControl
import Synchronization

/// Relays wired to reader outputs (osdp_OUT): every change the door engine makes goes to the base driver (which
/// keeps the state the API and scripts read) and, for a relay on a reader output, to that reader as an output
/// command, queued for the panel's loop so the site actor never waits on the bus.
public final class OSDPRelayOutputs: RelayDriver {
    private let base: any RelayDriver
    private let panel: OSDPControlPanel
    private let outputs: [RelayID: (peripheral: Int, output: UInt8)]

    public init(base: any RelayDriver, panel: OSDPControlPanel, outputs: [RelayID: (peripheral: Int, output: UInt8)]) {
        self.base = base
        self.panel = panel
        self.outputs = outputs
    }

    public func apply(_ output: RelayOutput) {
        base.apply(output)
        guard let target = outputs[output.relay] else { return }
        panel.submit(.output(number: target.output, on: output.isActive), to: target.peripheral)
    }
}
