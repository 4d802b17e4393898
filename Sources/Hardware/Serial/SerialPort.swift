import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A serial port in raw 8N1 mode, non-blocking: what an RS-485 adapter (`/dev/ttyUSB0`) or a pseudo-terminal offers.
/// Reads return what is there now (possibly nothing); the OSDP stack polls.
public final class SerialPort: @unchecked Sendable {
    // @unchecked: `descriptor` is set in init and only read after; reads and writes come from one thread (the
    // OSDP loop), and close() is called after that thread ended.
    public let path: String
    public let baudRate: Int
    private var descriptor: Int32

    public struct OpenError: Error, CustomStringConvertible {
        public var description: String
    }

    /// The rates OSDP defines (and libosdp accepts).
    public static let baudRates: [Int: speed_t] = [
        9600: speed_t(B9600), 19200: speed_t(B19200), 38400: speed_t(B38400), 57600: speed_t(B57600),
        115200: speed_t(B115200), 230400: speed_t(B230400),
    ]

    public init(path: String, baudRate: Int) throws(OpenError) {
        guard let speed = Self.baudRates[baudRate] else {
            throw OpenError(description: "baud rate \(baudRate) is not one OSDP uses (9600, 19200, 38400, 57600, 115200, 230400)")
        }
        let fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw OpenError(description: "cannot open \(path): \(String(cString: strerror(errno)))") }
        var settings = termios()
        guard tcgetattr(fd, &settings) == 0 else {
            let reason = String(cString: strerror(errno))
            Glibc.close(fd)
            throw OpenError(description: "\(path) is not a serial port: \(reason)")
        }
        cfmakeraw(&settings)
        cfsetispeed(&settings, speed)
        cfsetospeed(&settings, speed)
        settings.c_cflag |= tcflag_t(CLOCAL) | tcflag_t(CREAD)
        settings.c_cflag &= ~(tcflag_t(CSTOPB) | tcflag_t(CRTSCTS))
        guard tcsetattr(fd, TCSANOW, &settings) == 0 else {
            let reason = String(cString: strerror(errno))
            Glibc.close(fd)
            throw OpenError(description: "cannot configure \(path): \(reason)")
        }
        self.path = path
        self.baudRate = baudRate
        descriptor = fd
    }

    /// Up to `count` bytes into `buffer`: how many (0 when none are waiting), or -1 when the port failed.
    public func read(into buffer: UnsafeMutablePointer<UInt8>, count: Int) -> Int {
        let n = Glibc.read(descriptor, buffer, count)
        if n < 0 { return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : -1 }
        return n
    }

    /// Writes all of `bytes` (waiting for room on a full port); how many were written, or -1.
    public func write(_ bytes: UnsafePointer<UInt8>, count: Int) -> Int {
        var written = 0
        while written < count {
            let n = Glibc.write(descriptor, bytes + written, count - written)
            if n < 0 {
                if errno == EAGAIN || errno == EINTR {
                    var descriptorSet = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
                    _ = poll(&descriptorSet, 1, 50)
                    continue
                }
                return written > 0 ? written : -1
            }
            written += n
        }
        return written
    }

    /// Drops what is waiting in both directions (after a framing error).
    public func flush() { tcflush(descriptor, TCIOFLUSH) }

    public func close() {
        guard descriptor >= 0 else { return }
        Glibc.close(descriptor)
        descriptor = -1
    }

    deinit { close() }
}
