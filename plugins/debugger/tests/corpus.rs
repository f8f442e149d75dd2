//! The debugger check of the tools issue, end to end: a scripted session on a corpus program
//! stops at the same lines with the same values as CPython 3.13's pdb given the same commands
//! (pdb is run in the test; its output is the expectation, never vigil's).
//!
//! Ignored by default: it needs a built `vigil` whose VM delivers monitoring events to plugins
//! and implements the frame functions of the Host API (`cargo build -p vigil -p
//! vigil-debugger`, then `cargo test -p vigil-debugger -- --ignored`). `VIGIL_BIN`,
//! `VIGIL_PLUGIN_DIR`, `VIGIL_CORPUS` and `CPYTHON313` override the defaults.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn workspace() -> PathBuf {
    let w = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    std::fs::canonicalize(&w).unwrap_or(w)
}

fn from_env(var: &str, default: PathBuf) -> PathBuf {
    std::env::var_os(var).map_or(default, PathBuf::from)
}

/// The outputs of successive commands: the text between `(Pdb) ` prompts. With `echoed`, each
/// chunk starts with the echoed command line, which is dropped.
fn chunks(text: &str, echoed: bool) -> Vec<String> {
    text.split("(Pdb) ")
        .map(|c| {
            if echoed {
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
    assert_eq!(chunks("a\n(Pdb) p i\n1\n(Pdb) c\n", true), ["", "1\n", ""]);
    assert_eq!(
        program_frames("  /bdb.py(1)run()\n-> x\n  /w/p.py(3)f()\n-> y", "/w/p.py"),
        "  /w/p.py(3)f()\n-> y"
    );
}

#[test]
#[ignore = "needs vigil's VM delivering monitoring events and frame views to plugins"]
fn scripted_session_matches_pdb() {
    let vigil = from_env("VIGIL_BIN", workspace().join("target/debug/vigil"));
    let plugins = from_env("VIGIL_PLUGIN_DIR", workspace().join("target/debug"));
    let corpus = from_env(
        "VIGIL_CORPUS",
        workspace().join("../shared/conformance/corpus"),
    );
    let python = from_env(
        "CPYTHON313",
        PathBuf::from("/root/.cache/cpython3.13/python3.13"),
    );
    assert!(
        vigil.exists(),
        "build vigil first: {} is missing",
        vigil.display()
    );
    let prog = std::fs::canonicalize(corpus.join("nqueens.py")).unwrap();
    let prog_s = prog.display().to_string();
    let bp = format!("{prog_s}:20, i == 1");
    let script = [
        "p i",
        "p cycles, indices",
        "n",
        "p cycles",
        "where",
        "clear 1",
    ];

    // CPython: pdb reads the same commands on stdin (plus the breakpoint and a first `c`).
    let mut pdb = Command::new(&python)
        .env("PYTHONHASHSEED", "0")
        .current_dir(&corpus)
        .args(["-m", "pdb", "nqueens.py", "4"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = format!("b {bp}\nc\n");
    for c in script {
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
    // want[0]: the initial stop; want[1]: `b`; want[2]: the stop `c` reached; then the script.
    let want_stop = want[2].clone();
    let want_cmds: Vec<String> = want[3..3 + script.len()].to_vec();

    let dir = std::env::temp_dir().join(format!("vigil-debugger-corpus-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let transcript = dir.join("t.txt");
    let session = dir.join("s.toml");
    let commands: Vec<String> = script.iter().map(|c| format!("\"{c}\"")).collect();
    std::fs::write(
        &session,
        format!(
            "[session]\nplugin_dirs = [\"{}\"]\n\n[[tool]]\nplugin = \"debugger\"\nid = 0\n[tool.settings]\nbreak = [\"{bp}\"]\ncommands = [{}, \"c\"]\noutput = \"{}\"\n",
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
        "the program's own output"
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

/// Drives `vigil run` inside a pseudo-terminal (Python's `pty` module, from the system
/// `python3`), typing commands at the `(Pdb) ` prompt as a user would.
const PTY_DRIVER: &str = r#"
import os, pty, sys, time
argv = sys.argv[1:]
pid, fd = pty.fork()
if pid == 0:
    os.execv(argv[0], argv)
out = b""
def until(marker, limit=30):
    global out
    end = time.time() + limit
    while marker not in out and time.time() < end:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
for cmd in [b"p i", b"next", b"p cycles", b"continue"]:
    until(b"(Pdb) ")
    n = out.count(b"(Pdb) ")
    os.write(fd, cmd + b"\n")
    # Wait for this command's echo before sending the next one.
    until(cmd + b"\r\n")
until(b"\x00", 10)
os.waitpid(pid, 0)
sys.stdout.buffer.write(out)
"#;

#[test]
#[ignore = "needs vigil's VM delivering monitoring events and frame views to plugins"]
fn interactive_session_in_a_terminal() {
    let vigil = from_env("VIGIL_BIN", workspace().join("target/debug/vigil"));
    let plugins = from_env("VIGIL_PLUGIN_DIR", workspace().join("target/debug"));
    let corpus = from_env(
        "VIGIL_CORPUS",
        workspace().join("../shared/conformance/corpus"),
    );
    let prog = std::fs::canonicalize(corpus.join("nqueens.py")).unwrap();
    let dir = std::env::temp_dir().join(format!("vigil-debugger-pty-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let driver = dir.join("pty_driver.py");
    std::fs::write(&driver, PTY_DRIVER).unwrap();
    let session = dir.join("s.toml");
    std::fs::write(
        &session,
        format!(
            "[session]\nplugin_dirs = [\"{}\"]\n\n[[tool]]\nplugin = \"debugger\"\nid = 0\n[tool.settings]\nbreak = [\"{}:20, i == 1\"]\n",
            plugins.display(),
            prog.display()
        ),
    )
    .unwrap();
    let out = Command::new("python3")
        .current_dir(&corpus)
        .arg(&driver)
        .arg(&vigil)
        .args(["run", "--session"])
        .arg(&session)
        .args(["nqueens.py", "4"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).replace('\r', "");
    // What CPython 3.13's pdb shows at the same points (see scripted_session_matches_pdb).
    let path = prog.display();
    assert!(
        text.contains(&format!(
            "> {path}(20)permutations()\n-> cycles[i] -= 1\n(Pdb) p i\n1\n"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!("(Pdb) next\n> {path}(21)permutations()\n-> if cycles[i] == 0:\n(Pdb) p cycles\n[4, 2, 2, 1]\n")),
        "{text}"
    );
    assert!(text.contains("(Pdb) continue\n"), "{text}");
    assert!(
        text.trim_end().ends_with('2'),
        "the program ran to its end: {text}"
    );
}
