//! The debugger check of the tools issue, end to end: a scripted session on a corpus program
//! stops at the same lines with the same values as CPython 3.13's pdb given the same commands
//! (pdb is run in the test; its output is the expectation, never vigil's).
//!
//! It runs the real `vigil` binary with the plugins from the workspace's `target/debug`, building
//! both first if needed (see `plugins/testing/e2e.rs`; `VIGIL_BIN`, `VIGIL_PLUGIN_DIR`,
//! `VIGIL_CORPUS` and `CPYTHON313` override the defaults).

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

#[path = "../../testing/e2e.rs"]
mod e2e;

use e2e::{corpus, plugin_dir, python, vigil};

/// The outputs of successive commands: the text between `(Pdb) ` prompts. With `echoed`, each
/// chunk starts with the echoed command line, which is dropped.
fn chunks(text: &str, echoed: bool) -> Vec<String> {
    text.split("(Pdb) ")
        .enumerate()
        .map(|(i, c)| {
            // The text before the first prompt answers no command.
            if echoed && i > 0 {
                c.split_once('\n').map_or("", |(_, rest)| rest).to_owned()
            } else {
                c.to_owned()
            }
        })
        .collect()
}

/// `where` output from the first frame of the program's file on (pdb adds its own frames).
fn program_frames(text: &str, file: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.iter().position(|l| l.contains(file)).unwrap_or(0);
    lines[start..].join("\n")
}

#[test]
fn chunk_parsing() {
    assert_eq!(
        chunks("a\n(Pdb) 1\n(Pdb) x\n", false),
        ["a\n", "1\n", "x\n"]
    );
    assert_eq!(
        chunks("a\n(Pdb) p i\n1\n(Pdb) c\n", true),
        ["a\n", "1\n", ""]
    );
    assert_eq!(
        program_frames("  /bdb.py(1)run()\n-> x\n  /w/p.py(3)f()\n-> y", "/w/p.py"),
        "  /w/p.py(3)f()\n-> y"
    );
}

/// Runs `nqueens.py 4` under pdb and under vigil's debugger and compares, command by command,
/// what each printed from the first stop on. pdb gets `pdb_setup` (commands that set the
/// breakpoint and continue to it; the last one's output is the first stop), vigil gets
/// `vigil_break` as its `break` setting; both then get `script`.
fn scripted_matches_pdb(pdb_setup: &[String], vigil_break: &str, script: &[&str], tag: &str) {
    let vigil = vigil();
    let plugins = plugin_dir();
    let corpus = corpus();
    let python = python();
    let prog = std::fs::canonicalize(corpus.join("nqueens.py")).unwrap();
    let prog_s = prog.display().to_string();

    // CPython: pdb reads the setup and the same commands on stdin.
    let mut pdb = Command::new(&python)
        .env("PYTHONHASHSEED", "0")
        .current_dir(&corpus)
        .args(["-m", "pdb", "nqueens.py", "4"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = String::new();
    for c in pdb_setup
        .iter()
        .map(String::as_str)
        .chain(script.iter().copied())
    {
        input.push_str(c);
        input.push('\n');
    }
    input.push_str("q\n");
    pdb.stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = pdb.wait_with_output().unwrap();
    let want = chunks(&String::from_utf8_lossy(&out.stdout), false);
    // want[0]: the initial stop; then one chunk per setup command (the last: the stop it
    // reached); then the script.
    let want_stop = want[pdb_setup.len()].clone();
    let want_cmds: Vec<String> =
        want[pdb_setup.len() + 1..pdb_setup.len() + 1 + script.len()].to_vec();

    let dir = std::env::temp_dir().join(format!(
        "vigil-debugger-corpus-{}-{tag}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let transcript = dir.join("t.txt");
    let _ = std::fs::remove_file(&transcript);
    let session = dir.join("s.toml");
    let commands: Vec<String> = script.iter().map(|c| format!("\"{c}\"")).collect();
    std::fs::write(
        &session,
        format!(
            "[session]\nplugin_dirs = [\"{}\"]\n\n[[tool]]\nplugin = \"debugger\"\nid = 0\n[tool.settings]\nbreak = [\"{vigil_break}\"]\ncommands = [{}, \"c\"]\noutput = \"{}\"\n",
            plugins.display(),
            commands.join(", "),
            transcript.display()
        ),
    )
    .unwrap();
    let run = Command::new(&vigil)
        .current_dir(&corpus)
        .args(["run", "--session"])
        .arg(&session)
        .args(["nqueens.py", "4"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&run.stdout),
        "2\n",
        "the program's own output; stderr: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let got = chunks(&std::fs::read_to_string(&transcript).unwrap(), true);
    assert_eq!(got[0], want_stop, "the first stop");
    for (i, cmd) in script.iter().enumerate() {
        let (g, w) = if *cmd == "where" {
            (
                program_frames(&got[i + 1], &prog_s),
                program_frames(&want_cmds[i], &prog_s),
            )
        } else {
            (got[i + 1].clone(), want_cmds[i].clone())
        };
        assert_eq!(g, w, "after `{cmd}`");
    }
}

#[test]
fn scripted_session_matches_pdb() {
    let prog = std::fs::canonicalize(corpus().join("nqueens.py")).unwrap();
    let bp = format!("{}:20, i == 1", prog.display());
    scripted_matches_pdb(
        &[format!("b {bp}"), "c".to_owned()],
        &bp,
        &[
            "p i",
            "p cycles, indices",
            "n",
            "p cycles",
            "where",
            "clear 1",
        ],
        "line",
    );
}

/// A breakpoint by function name stops at the first line of its body, as pdb's does; then
/// `next` over a `yield` (pdb waits for the generator's next line), `step` into a generator
/// expression and out again, `where`, `list`.
/// pdb can only take a function breakpoint once the function exists, so it first runs to
/// `run()` (line 58), where `permutations` is defined.
#[test]
fn function_breakpoint_and_stepping_match_pdb() {
    scripted_matches_pdb(
        &[
            "b 58".to_owned(),
            "c".to_owned(),
            "b permutations".to_owned(),
            "c".to_owned(),
        ],
        "permutations",
        &[
            "p iterable",
            "n",
            "n",
            "p pool, n",
            "s",
            "s",
            "p r",
            "n",
            "n",
            "n",
            "n",
            "s",
            "where",
            "n",
            "p i",
            "list",
        ],
        "function",
    );
}

/// Drives a debugger inside a pseudo-terminal (Python's `pty` module, run by the reference
/// CPython, so no other Python is needed), typing each line of the commands file at a `(Pdb) ` prompt as a user would, then
/// collecting what follows until the program ends (or a time limit kills it). Reads wait with
/// `select`, so a debugger that never prompts fails the test instead of hanging it.
const PTY_DRIVER: &str = r#"
import os, pty, select, signal, sys, time
cmds = open(sys.argv[1], "rb").read().splitlines()
argv = sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    os.execv(argv[0], argv)
out = b""
closed = False
def read_until(done, limit):
    # Reads the terminal until done() holds, the child closes it, or limit seconds pass.
    global out, closed
    end = time.time() + limit
    while not closed and not done() and time.time() < end:
        ready, _, _ = select.select([fd], [], [], max(0.0, end - time.time()))
        if not ready:
            break
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            chunk = b""
        if not chunk:
            closed = True
        out += chunk
for k, cmd in enumerate(cmds):
    # The k-th command is typed at the (k+1)-th prompt, never ahead of it.
    read_until(lambda: out.count(b"(Pdb) ") > k, 60)
    os.write(fd, cmd + b"\n")
# Until the program ends (or, under pdb, which restarts it, prompts once more).
read_until(lambda: out.count(b"(Pdb) ") > len(cmds), 30)
try:
    os.kill(pid, signal.SIGKILL)
except ProcessLookupError:
    pass
os.waitpid(pid, 0)
sys.stdout.buffer.write(out)
"#;

/// Runs `argv` under the pty driver with `commands`; returns the terminal text without `\r`.
fn in_terminal(dir: &Path, cwd: &Path, commands: &[String], argv: &[&str]) -> String {
    let driver = dir.join("pty_driver.py");
    std::fs::write(&driver, PTY_DRIVER).unwrap();
    let cmds = dir.join(format!("cmds-{}.txt", commands.len()));
    std::fs::write(&cmds, commands.join("\n") + "\n").unwrap();
    let out = Command::new(python())
        .current_dir(cwd)
        .arg(&driver)
        .arg(&cmds)
        .args(argv)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).replace('\r', "")
}

#[test]
fn interactive_session_in_a_terminal() {
    let vigil = vigil();
    let plugins = plugin_dir();
    let corpus = corpus();
    let python = python();
    let prog = std::fs::canonicalize(corpus.join("nqueens.py")).unwrap();
    let dir = std::env::temp_dir().join(format!("vigil-debugger-pty-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bp = format!("{}:20, i == 1", prog.display());
    let session = dir.join("s.toml");
    std::fs::write(
        &session,
        format!(
            "[session]\nplugin_dirs = [\"{}\"]\n\n[[tool]]\nplugin = \"debugger\"\nid = 0\n[tool.settings]\nbreak = [\"{bp}\"]\n",
            plugins.display(),
        ),
    )
    .unwrap();
    let typed: Vec<String> = ["p i", "next", "p cycles", "where", "clear 1", "continue"]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    let ours = in_terminal(
        &dir,
        &corpus,
        &typed,
        &[
            vigil.to_str().unwrap(),
            "run",
            "--session",
            session.to_str().unwrap(),
            "nqueens.py",
            "4",
        ],
    );
    // CPython 3.13's pdb in the same terminal: set the breakpoint and continue to it first.
    let mut pdb_typed = vec![format!("b {bp}"), "c".to_owned()];
    pdb_typed.extend(typed.iter().cloned());
    let theirs = in_terminal(
        &dir,
        &corpus,
        &pdb_typed,
        &[python.to_str().unwrap(), "-m", "pdb", "nqueens.py", "4"],
    );
    // From the first stop at the breakpoint to the echo of `continue`: the stops, the values,
    // the messages. `where` lists pdb's own frames first, so only the program's frames count.
    let first_stop = format!("> {}(20)permutations()", prog.display());
    let cut = |t: &str| -> (String, String) {
        let start = t
            .find(&first_stop)
            .unwrap_or_else(|| panic!("never stopped at line 20:\n{t}"));
        let t = &t[start..];
        let end = t
            .find("(Pdb) continue\n")
            .unwrap_or_else(|| panic!("`continue` never typed:\n{t}"))
            + "(Pdb) continue\n".len();
        let session: Vec<String> = t[..end]
            .split("(Pdb) ")
            .map(|c| {
                if c.starts_with("where\n") {
                    format!("where\n{}", program_frames(c, &prog.display().to_string()))
                } else {
                    c.to_owned()
                }
            })
            .collect();
        (session.join("(Pdb) "), t[end..].to_owned())
    };
    let (our_session, our_rest) = cut(&ours);
    let (their_session, their_rest) = cut(&theirs);
    assert_eq!(our_session, their_session, "vigil:\n{ours}\npdb:\n{theirs}");
    assert_eq!(
        our_rest, "2\n",
        "the program ran to its end after `continue`"
    );
    assert!(their_rest.starts_with("2\n"), "pdb:\n{theirs}");
}
