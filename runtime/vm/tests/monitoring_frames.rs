//! The Host API's frame views against CPython 3.13: at one LINE event a native tool reads the
//! stack (`frame_count`/`frame_info`), the locals (`frame_locals`) and evaluates expressions
//! in the frame (`frame_eval`), including one that calls a Python function: no event reaches
//! any tool while it runs. The expected transcript is printed by a `sys.monitoring` probe run
//! under CPython 3.13 in the test (`sys._getframe`, `f_locals`, `eval`), never by vigil.

#![cfg(feature = "monitoring")]

use std::cell::RefCell;
use std::path::PathBuf;
use std::process::Command;
use std::rc::Rc;
use vigil_plugin_api::sdk::{Code, Host, Tool, create_in_process};
use vigil_plugin_api::{Action, EventSet, PluginError, ToolId};

const PROG: &str = "\
def g():
    return 42

def f(a, b=[1, 2]):
    x = a * 2
    y = {'k': (x, None)}
    z = x + 1
    return z

def main():
    w = 'main'
    return f(3)

print(main())
";

const EXPRS: [&str; 6] = [
    "x + y['k'][0]",
    "g() + a",
    "[n * 2 for n in b]",
    "1 / 0",
    "undefined_name",
    "(a, b, x)",
];

/// The probe: the same questions at line 7 of the program, answered by CPython.
const PROBE: &str = r#"
import os, sys
M = sys.monitoring
path = os.path.abspath(sys.argv[1])
EXPRS = sys.argv[2].split("\x1f")
events_in_eval = 0
busy = False
def line(code, n):
    global events_in_eval, busy
    if busy:
        events_in_eval += 1
        return
    if code.co_filename != path or n != 7:
        return
    busy = True
    fr = sys._getframe(1)
    frames = []
    f = fr
    while f is not None:
        if f.f_code.co_filename == path:
            frames.append(f)
        f = f.f_back
    print("count", len(frames))
    for d, f in enumerate(frames):
        print("frame", d, f.f_code.co_qualname, f.f_lineno)
    for d, f in enumerate(frames):
        for k, v in f.f_locals.items():
            if f.f_code.co_name == "<module>" and k.startswith("__"):
                continue
            if f.f_code.co_name == "<module>" and k in ("g", "f", "main"):
                print("local", d, k, "<function>")
                continue
            print("local", d, k, repr(v))
    for e in EXPRS:
        try:
            r = repr(eval(e, fr.f_globals, fr.f_locals))
        except Exception as ex:
            r = f"{type(ex).__name__}: {ex}"
        print("eval", e, "=", r)
    busy = False
def start(code, off):
    global events_in_eval
    if busy:
        events_in_eval += 1
M.use_tool_id(0, "probe")
M.register_callback(0, M.events.LINE, line)
M.register_callback(0, M.events.PY_START, start)
M.set_events(0, M.events.LINE | M.events.PY_START)
src = open(path).read()
sys.argv = sys.argv[1:2]
exec(compile(src, path, "exec"), {"__name__": "__main__", "__file__": path})
M.set_events(0, 0)
print("events during eval", events_in_eval)
"#;

/// vigil's side of the probe, as a native tool.
struct FrameProbe {
    out: Rc<RefCell<String>>,
    events_in_eval: u32,
    busy: bool,
}

thread_local! {
    static OUT: Rc<RefCell<String>> = Rc::new(RefCell::new(String::new()));
}

impl FrameProbe {
    fn say(&self, s: String) {
        let mut o = self.out.borrow_mut();
        o.push_str(&s);
        o.push('\n');
    }
}

impl Tool for FrameProbe {
    const NAME: &'static str = "frameprobe";
    const VERSION: &'static str = "0";
    const EVENTS: EventSet = EventSet::LINE.union(EventSet::PY_START);

    fn create(host: &Host, _: &str) -> Result<Self, PluginError> {
        host.set_events(Self::EVENTS)
            .map_err(|e| PluginError::settings(e.to_string()))?;
        Ok(FrameProbe {
            out: OUT.with(Rc::clone),
            events_in_eval: 0,
            busy: false,
        })
    }

    fn finish(&mut self, _: &Host, _: i32) -> Result<(), PluginError> {
        self.say(format!("events during eval {}", self.events_in_eval));
        Ok(())
    }

    fn py_start(&mut self, _: &Host, _: Code<'_>, _: u32) -> Action {
        if self.busy {
            self.events_in_eval += 1;
        }
        Action::CONTINUE
    }

    fn line(&mut self, host: &Host, code: Code<'_>, line: u32) -> Action {
        if self.busy {
            self.events_in_eval += 1;
            return Action::CONTINUE;
        }
        if line != 7 || code.qualname().as_deref() != Ok("f") {
            return Action::CONTINUE;
        }
        self.busy = true;
        let n = host.frame_count().expect("frame_count");
        self.say(format!("count {n}"));
        for d in 0..n {
            let fi = host.frame_info(d).expect("frame_info");
            let q = host.code(fi.code).qualname().unwrap();
            self.say(format!("frame {d} {q} {}", fi.line));
        }
        assert!(host.frame_info(n).is_err(), "no frame past the outermost");
        for d in 0..n {
            let module = host.code(host.frame_info(d).unwrap().code).name().unwrap() == "<module>";
            for (k, v) in host.frame_locals(d).expect("frame_locals") {
                if module && k.starts_with("__") {
                    continue;
                }
                if module && ["g", "f", "main"].contains(&k.as_str()) {
                    self.say(format!("local {d} {k} <function>"));
                    continue;
                }
                self.say(format!("local {d} {k} {v}"));
            }
        }
        for e in EXPRS {
            let r = match host.frame_eval(0, e) {
                Ok(r) => r,
                Err(err) => err.message.to_string(),
            };
            self.say(format!("eval {e} = {r}"));
        }
        self.busy = false;
        Action::CONTINUE
    }
}

#[test]
fn frame_views_match_cpython() {
    let dir = std::env::temp_dir().join(format!("vigil-frames-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("prog.py");
    std::fs::write(&script, PROG).unwrap();
    let probe = dir.join("probe.py");
    std::fs::write(&probe, PROBE).unwrap();
    let python = std::env::var_os("CPYTHON313").map_or_else(
        || PathBuf::from("/root/.cache/cpython3.13/python3.13"),
        PathBuf::from,
    );
    let cp = Command::new(&python)
        .env("PYTHONHASHSEED", "0")
        .arg(&probe)
        .arg(&script)
        .arg(EXPRS.join("\u{1f}"))
        .output()
        .expect("run CPython 3.13");
    let want = String::from_utf8_lossy(&cp.stdout).into_owned();
    assert!(
        cp.status.success(),
        "{}",
        String::from_utf8_lossy(&cp.stderr)
    );

    let file = script.display().to_string();
    let got = vigil_vm::run_session(&script, vec![file], |s| {
        let api = s.api();
        (api.vtable.use_tool_id())(api.ctx, 0, "frameprobe".into())
            .into_result()
            .expect("use_tool_id");
        let tool = ToolId::new(0).unwrap();
        let inst = create_in_process::<FrameProbe>(api, tool, "").expect("create");
        s.attach(tool, &inst);
        let (status, out) = s.run_captured();
        (inst.callbacks.finish())(inst.state, status)
            .into_result()
            .expect("finish");
        (inst.callbacks.release())(inst.state);
        // The program's output comes first in CPython's transcript (printed after the probe's
        // lines of the LINE event, before the final count).
        let probe = OUT.with(|o| o.borrow().clone());
        let (body, last) = probe
            .trim_end()
            .rsplit_once('\n')
            .map(|(a, b)| (a.to_owned(), b.to_owned()))
            .unwrap_or_default();
        format!("{body}\n{out}{last}\n")
    })
    .expect("interpreter thread");
    assert_eq!(got, want);
    let _ = std::fs::remove_dir_all(&dir);
}
