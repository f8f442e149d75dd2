//! The ABI evolution policy, tested with real libraries built against two versions of the
//! plugin API: this workspace's, and the `abi-next` build (every vtable one field longer, as
//! the next minor version might be). See `vigil_plugin_api::docs::abi_evolution`.

use vigil_tests::{TempDir, artifacts, texts, vigil};

#[test]
fn new_plugin_loads_into_an_old_host() {
    let a = artifacts();
    let (next_plugin, _) = a.abi_next();
    let dir = TempDir::new("newplugin");
    dir.add_plugin_to("plugins", &next_plugin, "nextgen");
    // The plugin checks, inside `create`, that the older host lacks the newer Host API entry.
    let session = dir.write(
        "s.toml",
        "[session]\nplugin_dirs = [\"plugins\"]\n[[tool]]\nplugin = \"nextgen\"\n[tool.settings]\nexpect_next_probe = false\n",
    );
    let out = vigil(&["check", "--session", session.to_str().unwrap()]);
    let (stdout, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stdout.contains("tool 0: nextgen"), "{stdout}");
}

#[test]
fn old_plugin_is_refused_by_a_new_host_with_a_clear_reason() {
    let a = artifacts();
    let (next_plugin, probe) = a.abi_next();
    let out = std::process::Command::new(&probe)
        .arg(a.fixture("recorder"))
        .arg(&next_plugin)
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&out);
    assert!(out.status.success(), "{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "refused: ABI layout mismatch: too many fields: expected 20, found 19 (the plugin was built against an older vigil-plugin-api)",
            "ok nextgen",
        ]
    );
}
