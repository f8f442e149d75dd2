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
    // ... as the word the plain dispatch loop runs itself while it goes the seen way.
    assert_eq!(one.one_way_words, 1, "{one:?}");
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

/// Counts of the two tools below (statics because the SDK owns the tools; `silencer_run`
/// holds `SERIAL` while it uses them, as tests run on parallel threads).
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());
static SILENCER_CALLS: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
static COUNTER_CALLS: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

/// Silences every BRANCH direction it is told about.
struct Silencer;

impl vigil_plugin_api::Tool for Silencer {
    const NAME: &'static str = "silencer";
    const VERSION: &'static str = "0";
    const EVENTS: vigil_plugin_api::EventSet = vigil_plugin_api::EventSet::BRANCH;

    fn create(
        host: &vigil_plugin_api::Host,
        _: &str,
    ) -> Result<Self, vigil_plugin_api::PluginError> {
        host.set_events(vigil_plugin_api::EventSet::BRANCH)?;
        Ok(Silencer)
    }

    fn branch(
        &mut self,
        host: &vigil_plugin_api::Host,
        code: vigil_plugin_api::Code<'_>,
        offset: u32,
        dest: u32,
    ) -> vigil_plugin_api::Action {
        SILENCER_CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        host.disable_branch_direction(code.handle(), offset, dest)
            .expect("a branch destination");
        vigil_plugin_api::Action::CONTINUE
    }
}

/// Counts every BRANCH event and silences nothing.
struct Counter;

impl vigil_plugin_api::Tool for Counter {
    const NAME: &'static str = "counter";
    const VERSION: &'static str = "0";
    const EVENTS: vigil_plugin_api::EventSet = vigil_plugin_api::EventSet::BRANCH;

    fn create(
        host: &vigil_plugin_api::Host,
        _: &str,
    ) -> Result<Self, vigil_plugin_api::PluginError> {
        host.set_events(vigil_plugin_api::EventSet::BRANCH)?;
        Ok(Counter)
    }

    fn branch(
        &mut self,
        _: &vigil_plugin_api::Host,
        _: vigil_plugin_api::Code<'_>,
        _: u32,
        _: u32,
    ) -> vigil_plugin_api::Action {
        COUNTER_CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        vigil_plugin_api::Action::CONTINUE
    }
}

const TWO_TOOLS_PROG: &str = "\
def f(x):
    if x:
        return 1
    return 0

for i in range(6):
    f(i % 3)
print('done')
";

/// A silenced direction is skipped before delivery only when no other tool wants the event:
/// the tool that silences hears each direction once, the tool beside it hears every BRANCH.
/// CPython 3.13, one BRANCH tool on this program: 13 events (6 for the `if`, 7 for the loop's
/// FOR_ITER), 4 distinct (code, offset, destination).
/// Runs `src` with the silencer, and the counter beside it if `with_counter`: how many BRANCH
/// events each heard.
fn silencer_run(tag: &str, src: &str, with_counter: bool) -> (u32, u32) {
    let _serial = SERIAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let dir = std::env::temp_dir().join(format!("vigil-branch-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("prog.py");
    std::fs::write(&script, src).unwrap();
    let file = script.display().to_string();
    SILENCER_CALLS.store(0, std::sync::atomic::Ordering::Relaxed);
    COUNTER_CALLS.store(0, std::sync::atomic::Ordering::Relaxed);
    let out = vigil_vm::run_session(&script, vec![file], move |s| {
        let api = s.api();
        let mut insts = Vec::new();
        (api.vtable.use_tool_id())(api.ctx, 1, "silencer".into())
            .into_result()
            .expect("use_tool_id");
        let t1 = ToolId::new(1).unwrap();
        let i1 = create_in_process::<Silencer>(api, t1, "").expect("create");
        s.attach(t1, &i1);
        insts.push(i1);
        if with_counter {
            (api.vtable.use_tool_id())(api.ctx, 2, "counter".into())
                .into_result()
                .expect("use_tool_id");
            let t2 = ToolId::new(2).unwrap();
            let i2 = create_in_process::<Counter>(api, t2, "").expect("create");
            s.attach(t2, &i2);
            insts.push(i2);
        }
        let (_, out) = s.run_captured();
        for i in insts {
            (i.callbacks.release())(i.state);
        }
        out
    })
    .expect("interpreter thread");
    assert_eq!(out, "done\n");
    let _ = std::fs::remove_dir_all(&dir);
    (
        SILENCER_CALLS.load(std::sync::atomic::Ordering::Relaxed),
        COUNTER_CALLS.load(std::sync::atomic::Ordering::Relaxed),
    )
}

#[test]
fn a_silenced_direction_still_reaches_another_tool() {
    assert_eq!(silencer_run("two", TWO_TOOLS_PROG, false), (4, 0));
    assert_eq!(silencer_run("two", TWO_TOOLS_PROG, true), (4, 13));
}

/// Each conditional jump goes one way for a while, then the other (all four kinds: FALSE,
/// TRUE, NONE, NOT_NONE), so it runs as INSTRUMENTED_BRANCH_ONE_WAY in between. The silencer
/// must still hear each new direction once, and a tool beside it every BRANCH. CPython 3.13
/// with one BRANCH tool on this program: 82 events, 17 distinct (code, offset, destination).
const LATE_PROG: &str = "\
def g(x):
    if x < 7:
        return 1
    return 0

def h(v):
    if v is None:
        return 1
    return 2

def j(v):
    if v is not None:
        return 1
    return 2

def t(v):
    if not v:
        return 1
    return 2

for i in range(10):
    g(i)
    h(None if i < 6 else i)
    j(None if i < 8 else i)
    t(i > 4)
k = 0
while k < 10:
    k += 1
print('done')
";

#[test]
fn a_branch_that_turns_late_is_still_heard() {
    assert_eq!(silencer_run("late", LATE_PROG, false), (17, 0));
    assert_eq!(silencer_run("late", LATE_PROG, true), (17, 82));
}
