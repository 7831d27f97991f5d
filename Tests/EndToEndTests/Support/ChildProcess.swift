import Foundation
import Locking

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A child process started with `posix_spawn`, its standard streams on pipes.
///
/// Not `Foundation.Process`: on Linux its `run()` over-reads `/proc/self/fd` directory
/// entries and crashes now and then (swift-corelibs-foundation #5472, fixed after Swift
/// 6.3.1). A suite that spawns hundreds of servers hit it in most runs.
final class ChildProcess: Sendable {
    /// The process id.
    let processIdentifier: pid_t
    /// The write end of its stdin.
    let standardInput: FileHandle
    /// The read ends of its stdout and stderr.
    let standardOutput: FileHandle
    /// See `standardOutput`.
    let standardError: FileHandle

    private struct State {
        var status: Int32?
        var handlers: [@Sendable (Int32) -> Void] = []
    }

    private let state = Locked(State())

    /// Starts `path` with exactly `environment`, in `directory` when given; its stdin is
    /// `inputDescriptor` when given (a terminal), else a pipe.
    init(
        path: String,
        arguments: [String],
        environment: [String: String],
        directory: String? = nil,
        inputDescriptor: Int32? = nil
    ) throws {
        let input = try Self.pipe()
        let output = try Self.pipe()
        let errors = try Self.pipe()
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inputDescriptor ?? input.read, 0)
        posix_spawn_file_actions_adddup2(&actions, output.write, 1)
        posix_spawn_file_actions_adddup2(&actions, errors.write, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        try Self.closeEverythingElse(&actions, &attributes)
        if let directory { try Self.changeDirectory(&actions, directory) }

        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv + envp { free(pointer) }
        }
        var pid: pid_t = 0
        var status = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        // ETXTBSY: a test that just wrote this executable shares the process with tests
        // that fork; a child forked while the file was open for writing holds that
        // descriptor until it execs. The window is short, so the spawn is tried again.
        var busyRetries = 0
        while status == ETXTBSY, busyRetries < 100 {
            busyRetries += 1
            usleep(20_000)
            status = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        }
        for descriptor in [input.read, output.write, errors.write] { close(descriptor) }
        guard status == 0 else {
            for descriptor in [input.write, output.read, errors.read] { close(descriptor) }
            throw SpawnError(description: "posix_spawn \(path): \(String(cString: strerror(status)))")
        }
        let child = pid
        processIdentifier = child
        standardInput = FileHandle(fileDescriptor: input.write, closeOnDealloc: true)
        standardOutput = FileHandle(fileDescriptor: output.read, closeOnDealloc: true)
        standardError = FileHandle(fileDescriptor: errors.read, closeOnDealloc: true)
        // One thread per child waits for it, so that an exit is seen at once, without polling.
        let reaper = Thread { [state] in
            var raw: Int32 = 0
            while waitpid(child, &raw, 0) < 0, errno == EINTR {}
            let code = Self.exitCode(raw)
            let handlers = state.withLock { state in
                state.status = code
                return state.handlers
            }
            for handler in handlers { handler(code) }
        }
        reaper.start()
    }

    /// Whether it is still running.
    var isRunning: Bool { state.withLock { $0.status == nil } }

    /// Its exit status (128 + the signal when a signal ended it); 0 while it runs.
    var terminationStatus: Int32 { state.withLock { $0.status ?? 0 } }

    /// Calls `handler` with the exit status once it exits (at once if it has).
    func onExit(_ handler: @escaping @Sendable (Int32) -> Void) {
        let exited = state.withLock { state -> Int32? in
            if state.status == nil { state.handlers.append(handler) }
            return state.status
        }
        if let exited { handler(exited) }
    }

    /// Waits until it exits, blocking the calling thread.
    func waitUntilExit() {
        let done = DispatchSemaphore(value: 0)
        onExit { _ in done.signal() }
        done.wait()
    }

    private static func exitCode(_ raw: Int32) -> Int32 {
        let signal = raw & 0x7f
        return signal == 0 ? (raw >> 8) & 0xff : 128 + signal
    }

    private static func pipe() throws -> (read: Int32, write: Int32) {
        var descriptors: [Int32] = [0, 0]
        #if canImport(Glibc)
        let status = Glibc.pipe(&descriptors)
        #else
        let status = Darwin.pipe(&descriptors)
        #endif
        guard status == 0 else { throw SpawnError(description: "pipe: \(String(cString: strerror(errno)))") }
        // Close-on-exec here too, so that another test's child never inherits this pipe.
        for descriptor in descriptors { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        return (descriptors[0], descriptors[1])
    }

    /// The child keeps only 0, 1 and 2: an inherited pipe of another server would keep
    /// that server's stdin open after its test closed it.
    private static func closeEverythingElse(
        _ actions: inout posix_spawn_file_actions_t,
        _ attributes: inout posix_spawnattr_t
    ) throws {
        #if canImport(Darwin)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_CLOEXEC_DEFAULT))
        #else
        // glibc 2.34 has it, but Swift's Glibc module does not export it.
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else {
            throw SpawnError(description: "this C library has no posix_spawn_file_actions_addclosefrom_np")
        }
        _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
        #endif
    }

    private static func changeDirectory(_ actions: inout posix_spawn_file_actions_t, _ directory: String) throws {
        #if canImport(Darwin)
        posix_spawn_file_actions_addchdir_np(&actions, directory)
        #else
        typealias ChangeDirectory =
            @convention(c) (
                UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>
            ) -> Int32
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addchdir_np") else {
            throw SpawnError(description: "this C library has no posix_spawn_file_actions_addchdir_np")
        }
        _ = unsafeBitCast(symbol, to: ChangeDirectory.self)(&actions, directory)
        #endif
    }
}

/// A child process could not be started.
struct SpawnError: Error, CustomStringConvertible {
    let description: String
}
