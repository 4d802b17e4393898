import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Watches a site directory and calls `onChange` once edits have settled.
///
/// Uses inotify (close-write, moved-to, moved-from, create, delete: editors
/// save by rename) on the directory and its sub-folders; when inotify is not
/// available (or a watch cannot be added) it polls file names, sizes and mtimes
/// every `pollInterval`. Either way a burst of events becomes one call after
/// `debounce` of quiet. The callback only triggers a reload; the reload itself
/// re-snapshots and validates, so a spurious call costs nothing.
public final class SiteWatcher: @unchecked Sendable {
    // @unchecked: `stopping`, `thread` and the descriptors are only touched by
    // `start`/`stop` (serialised by `lock`) and by the watcher thread, which
    // reads `stopping` under `lock` and writes nothing shared.
    public enum Mode: Sendable, Equatable {
        case inotify
        case polling
    }

    private let directory: URL
    private let debounce: TimeInterval
    private let pollInterval: TimeInterval
    private let onChange: @Sendable () -> Void
    private let lock = NSLock()
    private var stopping = false
    private var thread: Thread?
    private var wakePipe: [Int32] = [-1, -1]
    public private(set) var mode: Mode = .polling

    public init(
        directory: URL, debounce: Duration = .milliseconds(300), pollInterval: Duration = .seconds(2),
        forcePolling: Bool = false, onChange: @escaping @Sendable () -> Void
    ) {
        self.directory = directory
        self.debounce = debounce.seconds
        self.pollInterval = pollInterval.seconds
        self.onChange = onChange
        self.forcePolling = forcePolling
    }

    private let forcePolling: Bool

    deinit {
        stop()
        #if canImport(Glibc)
            for descriptor in wakePipe where descriptor >= 0 { close(descriptor) }
        #endif
    }

    /// Starts the watcher thread; returns the mode it runs in.
    @discardableResult
    public func start() -> Mode {
        lock.lock()
        defer { lock.unlock() }
        guard thread == nil else { return mode }
        stopping = false
        var descriptor: Int32 = -1
        #if canImport(Glibc)
            if !forcePolling { descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC)) }
            var fds: [Int32] = [-1, -1]
            if pipe(&fds) == 0 {
                wakePipe = fds
                _ = fcntl(fds[0], F_SETFL, O_NONBLOCK)
            }
        #endif
        mode = descriptor >= 0 ? .inotify : .polling
        let inotify = descriptor
        let thread = Thread { [self] in
            if inotify >= 0 { self.runInotify(inotify) } else { self.runPolling() }
        }
        thread.name = "gatehouse.site-watcher"
        self.thread = thread
        thread.start()
        return mode
    }

    /// Stops the thread (it exits at its next wake-up, immediately in inotify mode).
    public func stop() {
        lock.lock()
        stopping = true
        let pipeWrite = wakePipe[1]
        thread = nil
        lock.unlock()
        #if canImport(Glibc)
            if pipeWrite >= 0 {
                var byte: UInt8 = 1
                _ = write(pipeWrite, &byte, 1)
            }
        #endif
    }

    private var isStopping: Bool { lock.withLock { stopping } }

    // MARK: inotify

    private func runInotify(_ descriptor: Int32) {
        #if canImport(Glibc)
            defer { closeAll(descriptor) }
            var watched = Set<String>()
            guard addWatches(descriptor, watched: &watched) else {
                // Could not watch (e.g. the directory is missing or the watch limit is reached): poll instead.
                closeAll(descriptor)
                runPolling(closePipe: false)
                return
            }
            var pendingSince: Date?
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            while !isStopping {
                var fds = [
                    pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0),
                    pollfd(fd: wakePipe[0], events: Int16(POLLIN), revents: 0),
                ]
                var timeout: Int32 = -1
                if let since = pendingSince {
                    timeout = Int32(max(0, (debounce - Date().timeIntervalSince(since)) * 1000).rounded(.up))
                }
                let ready = poll(&fds, nfds_t(fds.count), timeout)
                if isStopping { return }
                if ready > 0 && fds[0].revents & Int16(POLLIN) != 0 {
                    // Drain; any relevant event (re)starts the quiet period.
                    var sawEvent = false
                    while true {
                        let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                        if count <= 0 { break }
                        sawEvent = true
                    }
                    if sawEvent {
                        pendingSince = Date()
                        _ = addWatches(descriptor, watched: &watched)  // new sub-folders
                    }
                    continue
                }
                if let since = pendingSince, Date().timeIntervalSince(since) >= debounce {
                    pendingSince = nil
                    onChange()
                }
            }
        #endif
    }

    #if canImport(Glibc)
        /// Watches the site directory and every sub-folder not watched yet.
        private func addWatches(_ descriptor: Int32, watched: inout Set<String>) -> Bool {
            let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF)
            var folders = [directory.path]
            if let enumerator = FileManager.default.enumerator(
                at: directory, includingPropertiesForKeys: [.isDirectoryKey], options: [.skipsHiddenFiles])
            {
                for case let url as URL in enumerator
                where (try? url.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true {
                    folders.append(url.path)
                }
            }
            for folder in folders where !watched.contains(folder) {
                if inotify_add_watch(descriptor, folder, mask) < 0 {
                    if folder == directory.path { return false }
                    continue
                }
                watched.insert(folder)
            }
            return true
        }

        private func closeAll(_ descriptor: Int32) {
            if descriptor >= 0 { close(descriptor) }
        }
    #endif

    // MARK: polling

    private func runPolling(closePipe: Bool = true) {
        var last = fingerprint()
        var pendingSince: Date?
        while !isStopping {
            let wait = pendingSince == nil ? pollInterval : min(pollInterval, debounce)
            waitForWake(seconds: wait)
            if isStopping { return }
            let current = fingerprint()
            if current != last {
                last = current
                pendingSince = Date()
                continue
            }
            if let since = pendingSince, Date().timeIntervalSince(since) >= debounce {
                pendingSince = nil
                onChange()
            }
        }
    }

    /// Sleeps up to `seconds`, returning early when `stop` writes to the wake pipe.
    private func waitForWake(seconds: TimeInterval) {
        #if canImport(Glibc)
            var fds = [pollfd(fd: wakePipe[0], events: Int16(POLLIN), revents: 0)]
            _ = poll(&fds, 1, Int32(seconds * 1000))
        #else
            Thread.sleep(forTimeInterval: seconds)
        #endif
    }

    /// Names, sizes and modification times of the `.lua` files: cheap to compare every poll.
    func fingerprint() -> [String] {
        guard
            let enumerator = FileManager.default.enumerator(
                at: directory, includingPropertiesForKeys: [.fileSizeKey, .contentModificationDateKey],
                options: [.skipsHiddenFiles])
        else { return [] }
        var entries: [String] = []
        for case let url as URL in enumerator where url.pathExtension == "lua" {
            let values = try? url.resourceValues(forKeys: [.fileSizeKey, .contentModificationDateKey])
            entries.append(
                "\(url.path)|\(values?.fileSize ?? -1)|\(values?.contentModificationDate?.timeIntervalSince1970 ?? 0)")
        }
        return entries.sorted()
    }
}
