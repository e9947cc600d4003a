#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Testing
import USBIPTestSupport

/// `usbip --generate-completion-script SHELL`: ArgumentParser's scripts, generated from the command tree.
@Suite struct CompletionScriptTests {
    /// The subcommands of Debian's C usbip, which every script must offer.
    static let subcommands = ["attach", "detach", "connect", "disconnect", "list", "bind", "unbind", "port"]
    /// Each subcommand's long options, which its completions must offer.
    static let options: [String: [String]] = [
        "attach": ["--remote", "--busid", "--device"],
        "detach": ["--port"],
        "list": ["--parsable", "--remote", "--local", "--device"],
        "bind": ["--busid"],
        "unbind": ["--busid"],
        "connect": ["--remote", "--busid", "--device"],
        "disconnect": ["--remote", "--busid", "--device"],
    ]

    static func script(_ shell: String) throws -> String {
        let result = try runTool(["--generate-completion-script", shell])
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.isEmpty, "\(result)")
        return result.stdout
    }

    static func hasShell(_ path: String) -> Bool { access(path, X_OK) == 0 }

    @Test(arguments: ["bash", "zsh", "fish"])
    func scriptMentionsEverySubcommandAndOption(shell: String) throws {
        let text = try Self.script(shell)
        for name in Self.subcommands {
            #expect(text.contains(name), "\(shell) script lacks \(name)")
        }
        for (name, options) in Self.options {
            for option in options {
                #expect(text.contains(option.dropFirst(2)), "\(shell) script lacks \(name) \(option)")
            }
        }
    }

    @Test func bashScriptOffersTheSubcommandsOnce() throws {
        let text = try Self.script("bash")
        #expect(text.hasPrefix("#!/bin/bash\n"))
        #expect(text.contains("complete -o filenames -F _usbip usbip") || text.contains("-F _usbip usbip"))
        // The command list offered after `usbip `: each subcommand once (ArgumentParser adds its own `help`;
        // the tool's own help command is hidden so that it is not offered twice).
        let line = text.split(separator: "\n").first { $0.contains("compgen -W '") && $0.contains("attach") }
        let words = line.map { $0.split(separator: "'")[1].split(separator: " ").map(String.init) } ?? []
        #expect(Array(words.prefix(Self.subcommands.count)) == Self.subcommands)
        #expect(Set(words).count == words.count, "duplicates in \(words)")
    }

    @Test func zshScriptDeclaresCompdef() throws {
        let text = try Self.script("zsh")
        #expect(text.hasPrefix("#compdef usbip\n"))
    }

    @Test func fishScriptCompletesForUsbip() throws {
        let text = try Self.script("fish")
        #expect(text.contains("complete -c 'usbip'"))
    }

    /// What bash's completion offers for `line` (the cursor at its end), with the generated script loaded.
    static func bashCompletions(_ line: String, script: String) throws -> [String] {
        let program = """
            source "$1"
            COMP_LINE="$2"; COMP_POINT=${#COMP_LINE}
            read -ra COMP_WORDS <<< "$COMP_LINE"
            [[ "$COMP_LINE" == *" " ]] && COMP_WORDS+=("")
            COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=()
            _usbip usbip "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        let result = try ToolRunner.run("/bin/bash", ["-c", program, "bash", script, line])
        #expect(result.status == 0, "\(result)")
        return result.stdout.split(separator: "\n").map(String.init)
    }

    @Test func bashCompletesSubcommandsAndTheirOptions() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.write("usbip.bash", try Self.script("bash"))
        let top = try Self.bashCompletions("usbip ", script: path)
        for name in Self.subcommands { #expect(top.contains(name), "usbip <TAB>: \(top)") }
        #expect(try Self.bashCompletions("usbip at", script: path) == ["attach"])
        #expect(try Self.bashCompletions("usbip li", script: path) == ["list"])
        for (name, options) in Self.options {
            let offered = try Self.bashCompletions("usbip \(name) --", script: path)
            for option in options { #expect(offered.contains(option), "usbip \(name) --<TAB>: \(offered)") }
        }
    }

    @Test(.enabled(if: hasShell("/usr/bin/fish"), "fish is not installed"))
    func fishCompletesSubcommandsAndTheirOptions() throws {
        // Only the generated script: a fresh fish whose completion path is a folder holding just usbip.fish
        // (fish's own bundled usbip completions would otherwise answer too).
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("usbip.fish", try Self.script("fish"))
        func complete(_ line: String) throws -> [String] {
            let result = try ToolRunner.run(
                "/usr/bin/fish",
                ["--no-config", "-c", "set fish_complete_path \(folder.path); complete -C '\(line)'"])
            #expect(result.status == 0, "\(result)")
            return result.stdout.split(separator: "\n").map { String($0.split(separator: "\t").first ?? "") }
        }
        let top = try complete("usbip ")
        for name in Self.subcommands { #expect(top.contains(name), "usbip <TAB>: \(top)") }
        #expect(top.filter { $0 == "help" }.count == 1, "help offered once: \(top)")
        for (name, options) in Self.options {
            let offered = try complete("usbip \(name) --")
            for option in options { #expect(offered.contains(option), "usbip \(name) --<TAB>: \(offered)") }
        }
    }

    @Test(.enabled(if: hasShell("/usr/bin/zsh"), "zsh is not installed"))
    func zshScriptParses() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.write("_usbip", try Self.script("zsh"))
        let result = try ToolRunner.run("/usr/bin/zsh", ["-n", path])
        #expect(result.status == 0, "\(result)")
    }

    @Test func unknownShellFails() throws {
        let result = try runTool(["--generate-completion-script", "tcsh"])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("tcsh"), "\(result)")
    }
}
