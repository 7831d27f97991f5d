import CLI
import Foundation

#if canImport(Glibc)
import Glibc

// Before anything allocates: glibc otherwise grows up to 8 arenas per core, each keeping
// the memory its threads freed, and a long-running server's RSS only climbs (with
// `MALLOC_ARENA_MAX=1` a repeat batch of calls grew the process by 1.7 MB instead of 22.6 MB).
// `mallopt` is looked up because the Glibc module does not import malloc.h; `M_ARENA_MAX`
// is -8 there. A null handle is `RTLD_DEFAULT`: the symbol from libc itself.
if let symbol = dlsym(nil, "mallopt") {
    typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
    _ = unsafeBitCast(symbol, to: MallOpt.self)(-8, 2)
}
#endif

// All logic lives in the library; this only hands over argv and the exit code.
exit(await CLI.run(Array(CommandLine.arguments.dropFirst())))
