//! End to end through the real `vigil` binary: plugin discovery, refusals of broken
//! libraries with their one-line messages, session errors, and the third-party plugin.
//! Each broken case also shows that everything else goes on (the other plugins load, `check`
//! still validates the rest).

use vigil_tests::{TempDir, artifacts, texts, vigil, vigil_with_env};

fn recorder_session(dir: &TempDir, report: &str, extra: &str) -> std::path::PathBuf {
    dir.write(
        "session.toml",
        &format!(
            "[session]\nplugin_dirs = [\"plugins\"]\n\n[[tool]]\nplugin = \"recorder\"\nid = 1\n[tool.settings]\nreport = \"{report}\"\n{extra}"
        ),
    )
}

#[test]
fn plugins_lists_good_and_refused_libraries() {
    let a = artifacts();
    let dir = TempDir::new("list");
    dir.add_plugin(&a.fixture("recorder"), "recorder");
    dir.add_plugin(&a.fixture("not-a-plugin"), "notplugin");
    dir.add_plugin(&a.fixture("layout-mismatch"), "mismatch");
    dir.add_plugin(&a.fixture("version-mismatch"), "future");
    dir.write("libvigil_text.so", "not a library at all\n");
    let whole = std::fs::read(a.fixture("recorder")).unwrap();
    std::fs::write(
        dir.path().join("libvigil_cut.so"),
        &whole[..whole.len() / 3],
    )
    .unwrap();
    dir.write("README.txt", "ignored: not named like a plugin");

    let out = vigil(&["plugins", "--plugin-dir", dir.path().to_str().unwrap()]);
    let (stdout, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let row = |name: &str| {
        stdout
            .lines()
            .find(|l| l.starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("no row for {name} in:\n{stdout}"))
            .to_owned()
    };
    let rec = row("recorder");
    assert!(
        rec.contains("0.2.0") && rec.contains("PY_START,CALL,LINE,BRANCH,RAISE"),
        "{rec}"
    );
    assert!(rec.ends_with(" ok"), "{rec}");
    assert!(
        row("notplugin").contains("refused: not a vigil plugin"),
        "{stdout}"
    );
    let mm = row("mismatch");
    assert!(
        mm.contains("refused: ABI layout mismatch: mismatched package: expected vigil-plugin-api, found fixture-layout-mismatch"),
        "{mm}"
    );
    assert!(
        row("future")
            .contains("refused: built against vigil-plugin-api 0.0.9, this vigil needs 0.1.0"),
        "{stdout}"
    );
    assert!(row("text").contains("refused: not a loadable shared library (not an ELF file)"));
    assert!(
        row("cut").contains("refused: not a loadable shared library (truncated"),
        "{stdout}"
    );
    assert!(!stdout.contains("README"));
    // The one-line diagnosis only; the layout dump needs --verbose.
    assert!(!stdout.contains("Type Layout"), "{stdout}");
    let verbose = vigil(&[
        "plugins",
        "--verbose",
        "--plugin-dir",
        dir.path().to_str().unwrap(),
    ]);
    assert!(texts(&verbose).0.contains("--- Type Layout ---"));
}

#[test]
fn refused_plugins_in_a_session_are_config_errors_and_nothing_runs() {
    let a = artifacts();
    let dir = TempDir::new("refused");
    dir.add_plugin_to("plugins", &a.fixture("recorder"), "recorder");
    dir.add_plugin_to("plugins", &a.fixture("not-a-plugin"), "notplugin");
    dir.add_plugin_to("plugins", &a.fixture("layout-mismatch"), "mismatch");
    let report = dir.path().join("rec.log");
    let session = recorder_session(
        &dir,
        report.to_str().unwrap(),
        "\n[[tool]]\nplugin = \"notplugin\"\n\n[[tool]]\nplugin = \"mismatch\"\n",
    );
    let script = dir.write("prog.py", "print('hello')\n");
    let out = vigil(&[
        "run",
        "--session",
        session.to_str().unwrap(),
        script.to_str().unwrap(),
    ]);
    let (stdout, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(stdout, "", "nothing may run");
    let s = session.display();
    assert!(
        stderr.contains(&format!(
            "vigil: error: {s}:10: `tool.plugin`: cannot load plugin `notplugin`"
        )),
        "{stderr}"
    );
    assert!(stderr.contains("not a vigil plugin (the library exports no plugin root module)"));
    assert!(stderr.contains(&format!(
        "{s}:13: `tool.plugin`: cannot load plugin `mismatch`"
    )));
    assert!(
        stderr.contains("ABI layout mismatch: mismatched package"),
        "{stderr}"
    );
    assert!(stderr.contains("hint: rebuild the plugin"), "{stderr}");
    assert!(!stderr.contains("Type Layout"), "{stderr}");
    assert!(stderr.contains("2 configuration errors; nothing was run"));
    assert!(!report.exists(), "no tool may have been started");
    // --verbose adds abi_stable's full report under the one-line diagnosis.
    let out = vigil(&[
        "run",
        "--verbose",
        "--session",
        session.to_str().unwrap(),
        script.to_str().unwrap(),
    ]);
    let (_, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("  full report:\n"), "{stderr}");
    assert!(stderr.contains("--- Type Layout ---"), "{stderr}");

    // Without the broken entries, the same directory (still holding them) works.
    let ok = recorder_session(&dir, report.to_str().unwrap(), "");
    let out = vigil(&["check", "--session", ok.to_str().unwrap()]);
    let (stdout, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stdout.contains("tool 1: recorder"), "{stdout}");
    assert!(!report.exists(), "check does not run finish");
}

#[test]
fn constructor_error_and_panic_are_reported_with_the_plugins_message() {
    let a = artifacts();
    let dir = TempDir::new("ctor");
    dir.add_plugin_to("plugins", &a.fixture("recorder"), "recorder");
    dir.add_plugin_to("plugins", &a.fixture("ctor-error"), "ctorerror");
    dir.add_plugin_to("plugins", &a.fixture("ctor-panic"), "ctorpanic");
    let report = dir.path().join("rec.log");
    let session = recorder_session(
        &dir,
        report.to_str().unwrap(),
        "\n[[tool]]\nplugin = \"ctorerror\"\n\n[[tool]]\nplugin = \"ctorpanic\"\n\n[[tool]]\nplugin = \"ctorerror\"\nid = 4\n[tool.settings]\nreject = true\n",
    );
    let out = vigil(&["check", "--session", session.to_str().unwrap()]);
    let (_, stderr) = texts(&out);
    // Exit 2 (a config error), not 134 (abort) or 101 (panic): the SDK caught the panic.
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    let s = session.display();
    assert!(
        stderr.contains(&format!(
            "{s}:10: `tool`: plugin `ctor-error` failed to start: fixture: the constructor always fails"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "{s}:13: `tool`: plugin `ctor-panic` failed to start: panicked: fixture: the constructor panics (at plugins/testing/ctor-panic/src/lib.rs:"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "{s}:16: `tool.settings`: plugin `ctor-error` rejected its settings: key `reject`: this fixture rejects every setting"
        )),
        "{stderr}"
    );
    // The panic was reported through the error, not through the default panic hook.
    assert!(!stderr.contains("thread '"), "{stderr}");
    assert!(stderr.contains("3 configuration errors; nothing was run"));
    assert!(!report.exists());
}

#[test]
fn session_file_errors_name_file_line_and_key() {
    let dir = TempDir::new("session");
    let cases = [
        ("[[tool]\nplugin = 'x'\n", ":1: invalid TOML"),
        (
            "[[tool]]\nplugin = 'x'\nid = 7\n",
            ":3: `tool.id`: tool id 7 is out of range",
        ),
        (
            "[[tool]]\nplugin = 'x'\nidd = 1\n",
            ":3: `tool.idd`: unknown key in [[tool]]",
        ),
        (
            "[[tool]]\nplugin = ['x']\n",
            ":2: `tool.plugin`: expected a string",
        ),
        (
            "[session]\nplugin_dirs = 'p'\n",
            ":2: `session.plugin_dirs`: expected an array of strings",
        ),
        (
            "[[tool]]\nplugin = 'a'\nid = 0\n[[tool]]\nplugin = 'b'\nid = 0\n",
            ":4: `tool.id`: tool id 0 is given to both plugin `a`",
        ),
    ];
    for (i, (text, expected)) in cases.iter().enumerate() {
        let session = dir.write(&format!("s{i}.toml"), text);
        let out = vigil(&["check", "--session", session.to_str().unwrap()]);
        let (_, stderr) = texts(&out);
        assert_eq!(out.status.code(), Some(2), "{text}: {stderr}");
        let want = format!("vigil: error: {}{expected}", session.display());
        assert!(
            stderr.contains(&want),
            "{text}\nwanted {want}\ngot {stderr}"
        );
        assert!(stderr.contains("  hint: "), "{stderr}");
    }
    let out = vigil(&["check", "--session", "/nonexistent/s.toml"]);
    let (_, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.contains("/nonexistent/s.toml: cannot read the session file"),
        "{stderr}"
    );
}

#[test]
fn unknown_plugin_lists_where_it_looked_and_what_it_found() {
    let a = artifacts();
    let dir = TempDir::new("unknown");
    dir.add_plugin_to("plugins", &a.fixture("recorder"), "recorder");
    let session = dir.write(
        "s.toml",
        "[session]\nplugin_dirs = [\"plugins\"]\n[[tool]]\nplugin = \"coverge\"\n",
    );
    let out = vigil(&["check", "--session", session.to_str().unwrap()]);
    let (_, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.contains(
            ":3: `tool.plugin`: no plugin named `coverge` (looked for libvigil_coverge.so in: "
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains(&dir.path().join("plugins").display().to_string()),
        "{stderr}"
    );
    assert!(stderr.contains("found: recorder"), "{stderr}");
}

#[test]
fn search_order_first_wins_and_directory_warnings() {
    let a = artifacts();
    let first = TempDir::new("first");
    let second = TempDir::new("second");
    let third = TempDir::new("third");
    first.add_plugin(&a.fixture("recorder"), "tool");
    second.add_plugin(&a.fixture("ctor-error"), "tool");
    third.add_plugin(&a.fixture("ctor-error"), "other");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(third.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let env = format!("{}:{}", second.path().display(), third.path().display());
    let out = vigil_with_env(
        &["plugins", "--plugin-dir", first.path().to_str().unwrap()],
        &[("VIGIL_PLUGIN_PATH", &env)],
    );
    let (stdout, stderr) = texts(&out);
    let flag_line = format!("{} [--plugin-dir]", first.path().display());
    let env_line = format!("{} [$VIGIL_PLUGIN_PATH]", second.path().display());
    let (f, e) = (
        stdout.find(&flag_line).unwrap(),
        stdout.find(&env_line).unwrap(),
    );
    assert!(f < e, "{stdout}");
    assert!(
        stdout.contains(&format!(
            "shadowed by {}",
            first.path().join("libvigil_tool.so").display()
        )),
        "{stdout}"
    );
    assert!(
        stderr.contains("warning: plugin `tool` found twice: using"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "warning: {} is writable by other users",
            third.path().display()
        )),
        "{stderr}"
    );

    // `run --tool tool` resolves to the first directory's library (the recorder, which
    // rejects the missing `report` setting: proof of which file was loaded).
    let script = first.write("p.py", "pass\n");
    let out = vigil_with_env(
        &[
            "run",
            "--plugin-dir",
            first.path().to_str().unwrap(),
            "--tool",
            "tool",
            script.to_str().unwrap(),
        ],
        &[("VIGIL_PLUGIN_PATH", &env)],
    );
    let (_, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.contains("plugin `recorder` rejected its settings: missing key `report`"),
        "{stderr}"
    );
}

#[test]
fn the_current_directory_is_never_searched_implicitly() {
    let a = artifacts();
    let cwd = TempDir::new("cwd");
    cwd.add_plugin(&a.fixture("recorder"), "recorder");
    let out = std::process::Command::new(&a.vigil)
        .args(["plugins"])
        .env("VIGIL_PLUGIN_PATH", "::")
        .current_dir(cwd.path())
        .output()
        .unwrap();
    let (stdout, _) = texts(&out);
    assert!(!stdout.contains("libvigil_recorder.so"), "{stdout}");
}

#[test]
fn third_party_plugin_builds_outside_the_workspace_and_loads_by_name() {
    let a = artifacts();
    let lib = a.third_party();
    let dir = TempDir::new("third");
    dir.add_plugin_to("plugins", &lib, "callcount");
    let counts = dir.path().join("counts.txt");
    let session = dir.write(
        "s.toml",
        &format!(
            "[session]\nplugin_dirs = [\"plugins\"]\n[[tool]]\nplugin = \"callcount\"\nid = \"auto\"\n[tool.settings]\noutput = \"{}\"\n",
            counts.display()
        ),
    );
    let out = vigil(&["plugins", "--session", session.to_str().unwrap()]);
    let (stdout, _) = texts(&out);
    assert!(
        stdout.lines().any(|l| l.starts_with("callcount")
            && l.contains("1.2.3")
            && l.contains("PY_START,CALL")
            && l.ends_with(" ok")),
        "{stdout}"
    );
    let out = vigil(&["check", "--session", session.to_str().unwrap()]);
    let (stdout, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stdout.contains("tool 0: callcount"), "{stdout}");

    // Its own settings validation reaches the user with file and line.
    let bad = dir.write("bad.toml", "[session]\nplugin_dirs = [\"plugins\"]\n[[tool]]\nplugin = \"callcount\"\n[tool.settings]\nouput = \"x\"\n");
    let out = vigil(&["check", "--session", bad.to_str().unwrap()]);
    let (_, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains(":3: `tool.settings`: plugin `callcount` rejected its settings: unknown setting `ouput` (valid: output)"), "{stderr}");

    // `run` creates and finishes it (the finish writes the report whatever the program did).
    let script = dir.write("p.py", "print('x')\n");
    let out = vigil(&[
        "run",
        "--session",
        session.to_str().unwrap(),
        script.to_str().unwrap(),
    ]);
    let report = std::fs::read_to_string(&counts).unwrap_or_default();
    assert!(
        report.starts_with("callcount tool=0 "),
        "{report:?} {:?}",
        texts(&out)
    );
    assert!(
        report.ends_with(&format!("exit={}\n", out.status.code().unwrap())),
        "{report}"
    );
}

#[test]
fn path_loads_an_exact_file_relative_to_the_session() {
    let a = artifacts();
    let dir = TempDir::new("path");
    let lib_dir = dir.path().join("lib");
    std::fs::create_dir_all(&lib_dir).unwrap();
    // Any file name works with `path`; it is not searched for.
    std::fs::copy(a.fixture("ctor-error"), lib_dir.join("custom-name.so")).unwrap();
    let session = dir.write(
        "s.toml",
        "[[tool]]\npath = \"lib/custom-name.so\"\nid = 5\n\n[[tool]]\npath = \"lib/absent.so\"\n",
    );
    let out = vigil(&["check", "--session", session.to_str().unwrap()]);
    let (_, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(2));
    let s = session.display();
    // The first loads (and its constructor runs: that is the error it reports) ...
    assert!(
        !stderr.contains(&format!(
            "{s}:1: `tool`: plugin `ctor-error` failed to start"
        )),
        "loading errors come first, nothing is created while any tool fails to load: {stderr}"
    );
    // ... the second is missing, reported with its resolved path.
    assert!(
        stderr.contains(&format!(
            "{s}:5: `tool.path`: cannot load `{}`",
            lib_dir.join("absent.so").display()
        )),
        "{stderr}"
    );
    let ok = dir.write(
        "ok.toml",
        "[[tool]]\npath = \"lib/custom-name.so\"\nid = 5\n",
    );
    let out = vigil(&["check", "--session", ok.to_str().unwrap()]);
    let (_, stderr) = texts(&out);
    assert!(
        stderr.contains(&format!(
            "{}:1: `tool`: plugin `ctor-error` failed to start: fixture: the constructor always fails",
            ok.display()
        )),
        "{stderr}"
    );
}

#[test]
fn a_library_that_kills_the_dynamic_loader_is_refused_not_fatal() {
    let a = artifacts();
    let dir = TempDir::new("corrupt");
    dir.add_plugin_to("plugins", &a.fixture("recorder"), "recorder");
    let bad = vigil_tests::corrupt_relocations(&a.fixture("recorder"));
    std::fs::write(dir.path().join("plugins/libvigil_broken.so"), bad).unwrap();
    let plugins = dir.path().join("plugins");

    let out = vigil(&["plugins", "--plugin-dir", plugins.to_str().unwrap()]);
    let (stdout, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let broken = stdout
        .lines()
        .find(|l| l.starts_with("broken "))
        .unwrap_or_default();
    assert!(
        broken.contains("refused: corrupt library: loading it killed a probe process ("),
        "{stdout}"
    );
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("recorder ") && l.ends_with(" ok")),
        "{stdout}"
    );

    let report = dir.path().join("rec.log");
    let session = dir.write(
        "s.toml",
        &format!(
            "[session]\nplugin_dirs = [\"plugins\"]\n[[tool]]\nplugin = \"broken\"\n[tool.settings]\nreport = \"{}\"\n",
            report.display()
        ),
    );
    let out = vigil(&["check", "--session", session.to_str().unwrap()]);
    let (_, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("cannot load plugin `broken`"), "{stderr}");
    assert!(stderr.contains("corrupt library"), "{stderr}");
}

/// A probe that succeeded is remembered, and a library that changed afterwards, even in place
/// with its size and modification time kept, is probed again: a cached verdict must never let
/// a library that kills its opener into the vigil process (issue 7).
#[test]
fn a_remembered_probe_is_redone_when_the_library_changes() {
    let a = artifacts();
    let t = CachedRecorder::new("probecache");
    let (lib, cache) = (&t.lib, &t.cache);
    let run = || t.run();

    let out = run();
    let (stdout, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(stdout, "hi\n");
    let entries = || cache_entries(cache, "vigil-probe-");
    assert_eq!(entries(), 1, "the successful probe was not remembered");

    // Same path, inode, size and modification time; only the contents (and so the status
    // change time) differ.
    let bad = vigil_tests::corrupt_relocations(&a.fixture("recorder"));
    assert_eq!(bad.len() as u64, std::fs::metadata(lib).unwrap().len());
    std::fs::write(lib, bad).unwrap();
    set_old(lib);
    let out = run();
    let (stdout, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(2), "{stdout}{stderr}");
    assert!(stderr.contains("cannot load plugin `recorder`"), "{stderr}");
    assert!(stderr.contains("corrupt library"), "{stderr}");
    assert_eq!(entries(), 1, "a failed probe must not be remembered");
}

/// The recorder plugin in a fresh plugin directory, old enough for the probe and layout
/// caches to remember it, and a one-line program to run under it with the cache in `cache`.
struct CachedRecorder {
    /// Owns the directory, removed when the test ends.
    _dir: TempDir,
    lib: std::path::PathBuf,
    cache: std::path::PathBuf,
    session: std::path::PathBuf,
    script: std::path::PathBuf,
}

impl CachedRecorder {
    fn new(name: &str) -> CachedRecorder {
        let dir = TempDir::new(name);
        let lib = dir.add_plugin_to("plugins", &artifacts().fixture("recorder"), "recorder");
        set_old(&lib);
        let cache = dir.path().join("cache");
        let report = dir.path().join("rec.log");
        let session = recorder_session(&dir, report.to_str().unwrap(), "");
        let script = dir.write("p.py", "print('hi')\n");
        CachedRecorder {
            _dir: dir,
            lib,
            cache,
            session,
            script,
        }
    }

    fn run(&self) -> std::process::Output {
        vigil_with_env(
            &[
                "run",
                "--session",
                self.session.to_str().unwrap(),
                self.script.to_str().unwrap(),
            ],
            &[("VIGIL_PROBE_CACHE", self.cache.to_str().unwrap())],
        )
    }
}

/// Backdates `p` by an hour: old enough to be remembered (the caches ignore files modified in
/// the last seconds).
fn set_old(p: &std::path::Path) {
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    let f = std::fs::File::options().write(true).open(p).unwrap();
    f.set_modified(old).unwrap();
}

/// Cache entries in `dir` whose key starts with `kind` (probes and layout checks share it).
fn cache_entries(dir: &std::path::Path, kind: &str) -> usize {
    std::fs::read_dir(dir).map_or(0, |d| {
        d.filter(|e| {
            e.as_ref()
                .ok()
                .and_then(|e| std::fs::read(e.path()).ok())
                .is_some_and(|t| t.starts_with(kind.as_bytes()))
        })
        .count()
    })
}

/// A remembered layout check is about one file: a library rewritten in place (same path and
/// inode, old modification time) with one whose types differ is checked again and refused,
/// never loaded on the strength of the earlier pass.
#[test]
fn a_remembered_layout_check_is_redone_when_the_library_changes() {
    let a = artifacts();
    let t = CachedRecorder::new("layoutcache");
    let (lib, cache) = (&t.lib, &t.cache);
    let run = || t.run();
    for _ in 0..2 {
        // The second run loads with the remembered check (when the vigil binary under test
        // is old enough to have its check remembered at all).
        let out = run();
        let (stdout, stderr) = texts(&out);
        assert_eq!(out.status.code(), Some(0), "{stderr}");
        assert_eq!(stdout, "hi\n");
    }
    let layouts = cache_entries(cache, "vigil-layout-");
    assert!(layouts <= 1, "{layouts} layout entries for one library");

    std::fs::write(lib, std::fs::read(a.fixture("layout-mismatch")).unwrap()).unwrap();
    set_old(lib);
    let out = run();
    let (stdout, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(2), "{stdout}{stderr}");
    assert!(stderr.contains("cannot load plugin `recorder`"), "{stderr}");
    assert!(stderr.contains("ABI layout mismatch"), "{stderr}");
    assert_eq!(
        cache_entries(cache, "vigil-layout-"),
        layouts,
        "a failed layout check must not be remembered"
    );
}
