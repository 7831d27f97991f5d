import Foundation
import Wire

/// Parses written config files with Python's own parsers (`json`, `tomllib`), so "the
/// file is valid" is judged by a real parser and not by the code that wrote it.
enum ConfigParse {
    static let script = """
        import json, re, sys, tomllib
        path = sys.argv[1]
        text = open(path, encoding="utf-8").read()
        if path.endswith(".toml"):
            data = tomllib.loads(text)
        else:
            if "/.vscode/" in path:
                # VS Code's JSONC: whole-line comments and trailing commas.
                text = re.sub(r"(?m)^\\s*//.*$", "", text)
                text = re.sub(r",(\\s*[}\\]])", r"\\1", text)
            data = json.loads(text)
        print(json.dumps(data, default=str))
        """

    /// The file as Python parsed it, or an error with Python's message.
    static func parse(_ url: URL) throws -> JSONValue {
        let process = try ChildProcess(
            path: "/usr/bin/env",
            arguments: ["python3", "-c", script, url.path],
            environment: ProcessInfo.processInfo.environment
        )
        try? process.standardInput.close()
        let data = process.standardOutput.readDataToEndOfFile()
        let message = process.standardError.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ParseFailure(path: url.path, message: String(decoding: message, as: UTF8.self))
        }
        return try JSONParser.parse(String(decoding: data, as: UTF8.self))
    }

    /// Parses each file; throws at the first that does not parse.
    static func check(_ urls: [URL]) throws {
        for url in urls { _ = try parse(url) }
    }

    struct ParseFailure: Error, CustomStringConvertible {
        let path: String
        let message: String
        var description: String { "\(path) does not parse: \(message)" }
    }
}
