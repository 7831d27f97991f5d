import Foundation

/// SIGTERM and SIGINT, turned into a call on an ordinary thread.
///
/// Not `DispatchSource.makeSignalSource`: on Linux it wants the signal set to `SIG_IGN`
/// and reads it through a signalfd, but the kernel discards an ignored signal whenever
/// the thread it checks does not happen to block it. About one SIGTERM in twelve was
/// lost that way and the server kept running after the client asked it to stop. A real
/// handler never loses the signal. It does the one async-signal-safe thing it needs,
/// writing a byte to a pipe, and a thread waiting on the pipe does the rest.
public enum ShutdownSignals {
    /// The pipe's write end, set once before any handler is installed.
    nonisolated(unsafe) private static var wakeDescriptor: Int32 = -1

    /// Runs `onSignal` on a dedicated thread when SIGTERM or SIGINT arrives.
    public static func install(_ onSignal: @escaping @Sendable () -> Void) {
        var descriptors: [Int32] = [-1, -1]
        guard pipe(&descriptors) == 0 else { return }
        let waitDescriptor = descriptors[0]
        wakeDescriptor = descriptors[1]
        Thread {
            var byte: UInt8 = 0
            while read(waitDescriptor, &byte, 1) < 0, errno == EINTR {}
            onSignal()
        }
        .start()
        for signalNumber in [SIGTERM, SIGINT] {
            // glibc's `signal` keeps the handler installed and restarts interrupted reads.
            _ = signal(signalNumber) { _ in
                var byte: UInt8 = 1
                _ = write(ShutdownSignals.wakeDescriptor, &byte, 1)
            }
        }
    }
}
