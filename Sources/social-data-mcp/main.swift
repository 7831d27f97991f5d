import CLI
import Foundation

// All logic lives in the library; this only hands over argv and the exit code.
exit(await CLI.run(Array(CommandLine.arguments.dropFirst())))
