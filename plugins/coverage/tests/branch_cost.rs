//! Branch coverage stops costing once both directions of a branch were seen: the tool silences
//! each direction with the native `disable_branch_direction` as it is first taken, and the VM
//! then removes the BRANCH instrumentation of that location (CPython 3.13's DISABLE on BRANCH
//! would silence the untaken direction too). Checked on the VM's own instrumentation after the
//! program ran, with the tool in-process against the Host API as `vigil run --session` makes it.

use vigil_coverage::Coverage;
use vigil_plugin_api::ToolId;
use vigil_plugin_api::sdk::create_in_process;

const PROG: &str = "\
def both(x):
    if x:
        return 1
    return 0

def one_way(x):
    if x:
        return 1
    return 0

for i in range(4):
    both(i % 2)
    one_way(1)
print('done')
";

#[test]
fn a_branch_seen_both_ways_is_no_longer_instrumented() {
    let dir = std::env::temp_dir().join(format!("vigil-branch-cost-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("prog.py");
    std::fs::write(&script, PROG).unwrap();
    let report = dir.join("cov.json");
    let settings = format!("branch = true\nreport = [\"json:{}\"]\n", report.display());
    let file = script.display().to_string();
    let (out, codes) = vigil_vm::run_session(&script, vec![file.clone()], move |s| {
        let api = s.api();
        (api.vtable.use_tool_id())(api.ctx, 1, "coverage".into())
            .into_result()
            .expect("use_tool_id");
        let tool = ToolId::new(1).unwrap();
        let inst = create_in_process::<Coverage>(api, tool, &settings).expect("create");
        s.attach(tool, &inst);
        let (status, out) = s.run_captured();
        (inst.callbacks.finish())(inst.state, status)
            .into_result()
            .expect("finish");
        (inst.callbacks.release())(inst.state);
        let codes: Vec<_> = s
            .instrumentation()
            .into_iter()
            .filter(|c| c.filename == file)
            .collect();
        (out, codes)
    })
    .expect("interpreter thread");
    assert_eq!(out, "done\n");
    let by_name = |n: &str| {
        codes
            .iter()
            .find(|c| c.qualname == n)
            .unwrap_or_else(|| panic!("{n} not entered: {codes:?}"))
    };
    // `both` took its `if` both ways: nothing left to learn, nothing instrumented.
    assert!(by_name("both").is_plain(), "{:?}", by_name("both"));
    // `one_way` never took the false side: its BRANCH stays armed for that direction, and the
    // line it never ran still has LINE.
    let one = by_name("one_way");
    assert!(one.event_words > 0, "{one:?}");
    assert_eq!(one.line_lines, [9], "{one:?}");
    // The module's `for` loop went round and exited: its branch is silent too.
    assert_eq!(
        by_name("<module>").event_words,
        0,
        "{:?}",
        by_name("<module>")
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert!(json["files"].as_object().is_some_and(|m| !m.is_empty()));
    let _ = std::fs::remove_dir_all(&dir);
}
