//! One test per rule of `shared/spec/monitoring-semantics.md` that this crate
//! implements, named after the rule id. Expected messages and values are
//! CPython 3.13.5's, copied from the probe outputs cited on each test
//! (`shared/spec/probes/*.out`, and `runtime/monitoring/probes/*.out` for the
//! few orderings the shared probes do not pin down). This file does not test
//! event placement in bytecode: that needs the VM.

use vigil_monitoring::{
    CodeMonitoring, Disabled, ErrorKind, Event, EventSet, Monitoring, MonitoringError, Slot,
    ToolMask, Tracing, Update,
};

type Mon = Monitoring<&'static str, String>;

const CALL: i32 = 16;
const LINE: i32 = 32;
const PY_START: i32 = 1;
const C_RETURN: i32 = 1 << 15;
const C_RAISE: i32 = 1 << 16;

fn err<T: std::fmt::Debug>(r: Result<T, MonitoringError>) -> String {
    let e = r.expect_err("CPython raises here");
    format!("{}: {}", e.kind.name(), e.message)
}

fn mon_with(tools: &[i32]) -> Mon {
    let mut m = Mon::new();
    for &t in tools {
        m.use_tool_id(t, Some(format!("tool{t}"))).unwrap();
    }
    m
}

fn slots(ids: &[u8]) -> ToolMask {
    let mut mask = ToolMask::EMPTY;
    for &i in ids {
        mask.insert(Slot::from_index(i as usize).unwrap());
    }
    mask
}

fn s(i: usize) -> Slot {
    Slot::from_index(i).unwrap()
}

/// Syncs like a function entry would.
fn enter(m: &Mon, code: &mut CodeMonitoring) {
    let _ = m.instrument(code);
}

#[test]
fn t1_invalid_tool_ids() {
    // p03_toolids.out: every function, ids -1, 6, 7, 8.
    let mut m = mon_with(&[]);
    let mut code = CodeMonitoring::new();
    for bad in [-1, 6, 7, 8] {
        let want = format!("ValueError: invalid tool {bad} (must be between 0 and 5)");
        assert_eq!(err(m.get_tool(bad)), want);
        assert_eq!(err(m.use_tool_id(bad, Some("x".into()))), want);
        assert_eq!(err(m.free_tool_id(bad)), want);
        assert_eq!(err(m.get_events(bad)), want);
        assert_eq!(err(m.set_events(bad, CALL)), want);
        assert_eq!(err(m.check_register_callback(bad, CALL)), want);
        assert_eq!(err(m.get_local_events(bad, &code)), want);
        assert_eq!(err(m.set_local_events(bad, &mut code, LINE)), want);
    }
    // register_order.out: an id of -2**31 after the C int conversion.
    assert_eq!(
        err(m.check_register_callback(i32::MIN, 1)),
        "ValueError: invalid tool -2147483648 (must be between 0 and 5)"
    );
    for ok in 0..6 {
        assert_eq!(m.get_tool(ok).unwrap(), None);
    }
}

#[test]
fn t2_c_int_conversion() {
    // p03: get_tool(2**40) -> OverflowError; get_tool("a") -> TypeError.
    assert_eq!(
        err(MonitoringError::c_int(1 << 40)),
        "OverflowError: Python int too large to convert to C int"
    );
    // p05: set_events(0, 1<<31) overflows too.
    assert_eq!(
        err(MonitoringError::c_int(1 << 31)),
        "OverflowError: Python int too large to convert to C int"
    );
    assert_eq!(MonitoringError::c_int(-(1 << 31)), Ok(i32::MIN));
    let e = MonitoringError::not_an_integer("str");
    assert_eq!(e.kind, ErrorKind::TypeError);
    assert_eq!(
        e.message,
        "'str' object cannot be interpreted as an integer"
    );
}

#[test]
fn t3_use_tool_id() {
    // p03_toolids.out.
    let mut m = mon_with(&[]);
    assert_eq!(
        err(m.use_tool_id(0, None)),
        "ValueError: tool name must be a str"
    );
    assert_eq!(m.use_tool_id(0, Some("dbg".into())), Ok(()));
    assert_eq!(m.get_tool(0).unwrap().map(String::as_str), Some("dbg"));
    assert_eq!(
        err(m.use_tool_id(0, Some("dbg".into()))),
        "ValueError: tool 0 is already in use"
    );
    assert_eq!(
        err(m.use_tool_id(0, Some("other".into()))),
        "ValueError: tool 0 is already in use"
    );
    // Range check before the str check: use_tool_id(6, "x") names the id.
    assert_eq!(
        err(m.use_tool_id(6, None)),
        "ValueError: invalid tool 6 (must be between 0 and 5)"
    );
}

#[test]
fn t3_name_object_is_stored_as_is() {
    // p03: `get_tool(4) is s` -> True. With a pointer-identity name type the
    // same object comes back.
    let name: &'static str = "sub";
    let mut m: Monitoring<(), &'static str> = Monitoring::new();
    m.use_tool_id(4, Some(name)).unwrap();
    assert!(std::ptr::eq(*m.get_tool(4).unwrap().unwrap(), name));
}

#[test]
fn t4_get_tool_free_slot_is_none() {
    let m = mon_with(&[2]);
    assert_eq!(m.get_tool(1).unwrap(), None);
    assert_eq!(m.get_tool(2).unwrap().unwrap(), "tool2");
}

#[test]
fn t5_free_tool_id_keeps_events_and_callbacks() {
    // p04_free.out.
    let mut m = mon_with(&[0]);
    let (slot, ev) = m.check_register_callback(0, CALL).unwrap();
    assert_eq!(m.register_callback(slot, ev, Some("cb")), None);
    assert_eq!(m.set_events(0, CALL), Ok(Update::ExecutingFrames));
    assert_eq!(m.free_tool_id(0), Ok(()));
    // "after free: get_events 16 get_tool None {'CALL': 1}"
    assert_eq!(m.get_events(0).unwrap().bits(), 16);
    assert_eq!(m.get_tool(0).unwrap(), None);
    assert_eq!(
        m.all_events().collect::<Vec<_>>(),
        vec![(Event::Call, slots(&[0]))]
    );
    // Events still fire after free.
    let mut code = CodeMonitoring::new();
    enter(&m, &mut code);
    assert_eq!(m.listeners(&code, Event::Call, 12), slots(&[0]));
    // "set_events after free: ValueError tool 0 is not in use"
    assert_eq!(err(m.set_events(0, 0)), "ValueError: tool 0 is not in use");
    // "reuse: get_events 16", "old callback is cb: True"
    m.use_tool_id(0, Some("b".into())).unwrap();
    assert_eq!(m.get_events(0).unwrap().bits(), 16);
    assert_eq!(m.register_callback(slot, ev, None), Some("cb"));
    // "local after free 32"
    let _ = m.set_events(0, 0).unwrap();
    let mut g = CodeMonitoring::new();
    m.set_local_events(0, &mut g, LINE).unwrap();
    m.free_tool_id(0).unwrap();
    assert_eq!(m.get_local_events(0, &g).unwrap().bits(), 32);
    // free_tool_id on a free slot is a no-op (p03 "free_tool_id(0) twice").
    assert_eq!(m.free_tool_id(0), Ok(()));
    assert_eq!(m.free_tool_id(3), Ok(()));
}

#[test]
fn t7_which_functions_need_the_tool_in_use() {
    // p03_toolids.out, tool 2 never claimed.
    let mut m = mon_with(&[]);
    let mut code = CodeMonitoring::new();
    assert_eq!(
        err(m.set_events(2, CALL)),
        "ValueError: tool 2 is not in use"
    );
    assert_eq!(err(m.set_events(2, 0)), "ValueError: tool 2 is not in use");
    assert_eq!(m.get_events(2).unwrap().bits(), 0);
    let (slot, ev) = m.check_register_callback(2, CALL).unwrap();
    assert_eq!(m.register_callback(slot, ev, Some("print")), None);
    assert_eq!(m.register_callback(slot, ev, None), Some("print"));
    assert_eq!(
        err(m.set_local_events(2, &mut code, LINE)),
        "ValueError: tool 2 is not in use"
    );
    assert_eq!(m.get_local_events(2, &code).unwrap().bits(), 0);
    assert_eq!(m.free_tool_id(3), Ok(()));
}

#[test]
fn t8_argument_count_messages() {
    // p22_api_errors.out and p03 (keywords).
    let cases = [
        (
            MonitoringError::expected_arguments("set_events", 2, 0),
            "TypeError: set_events expected 2 arguments, got 0",
        ),
        (
            MonitoringError::expected_arguments("use_tool_id", 2, 1),
            "TypeError: use_tool_id expected 2 arguments, got 1",
        ),
        (
            MonitoringError::takes_exactly_one("get_events", 0),
            "TypeError: sys.monitoring.get_events() takes exactly one argument (0 given)",
        ),
        (
            MonitoringError::takes_no_arguments("restart_events", 1),
            "TypeError: sys.monitoring.restart_events() takes no arguments (1 given)",
        ),
        (
            MonitoringError::no_keyword_arguments("use_tool_id"),
            "TypeError: sys.monitoring.use_tool_id() takes no keyword arguments",
        ),
    ];
    for (e, want) in cases {
        assert_eq!(e.to_string(), want);
    }
}

#[test]
fn e1_set_events_validation() {
    // p05_setevents.out (tool 0 in use).
    let mut m = mon_with(&[0]);
    let refused = "ValueError: cannot set C_RETURN or C_RAISE events independently";
    assert_eq!(err(m.set_events(0, C_RETURN)), refused);
    assert_eq!(err(m.set_events(0, C_RAISE)), refused);
    assert_eq!(err(m.set_events(0, C_RETURN | C_RAISE)), refused);
    assert_eq!(err(m.set_events(0, CALL | C_RETURN)), refused);
    assert!(m.set_events(0, CALL | C_RETURN | C_RAISE).is_ok());
    assert_eq!(
        err(m.set_events(0, 1 << 17)),
        "ValueError: invalid event set 0x20000"
    );
    assert_eq!(
        err(m.set_events(0, -1)),
        "ValueError: invalid event set 0xffffffff"
    );
    // register_order.out: -2**31 and 1<<20 (range before the C rule).
    assert_eq!(
        err(m.set_events(0, i32::MIN)),
        "ValueError: invalid event set 0x80000000"
    );
    assert_eq!(
        err(m.set_events(0, 1 << 20)),
        "ValueError: invalid event set 0x100000"
    );
    // The C rule comes before the in-use check (register_order.out, tool 1).
    assert_eq!(err(m.set_events(1, 1 << 15)), refused);
    // Range check before the event-set check: set_events(9, 1<<20).
    assert_eq!(
        err(m.set_events(9, 1 << 20)),
        "ValueError: invalid tool 9 (must be between 0 and 5)"
    );
    assert!(m.set_events(0, 0).is_ok());
    assert_eq!(m.get_events(0).unwrap().bits(), 0);
}

#[test]
fn e1_same_set_does_not_bump_the_version() {
    let mut m = mon_with(&[0]);
    assert_eq!(m.set_events(0, LINE), Ok(Update::ExecutingFrames));
    let v = m.version();
    assert_eq!(m.set_events(0, LINE), Ok(Update::Nothing));
    // The C bits are stripped before comparing.
    assert_eq!(m.set_events(0, LINE | CALL), Ok(Update::ExecutingFrames));
    let v2 = m.version();
    assert!(v2 > v);
    assert_eq!(
        m.set_events(0, LINE | CALL | C_RETURN | C_RAISE),
        Ok(Update::Nothing)
    );
    assert_eq!(m.version(), v2);
}

#[test]
fn e2_get_events_never_reports_c_events() {
    // p05: "set_events CALL|C_RETURN|C_RAISE -> None", "get_events -> 16";
    // "set_events (1<<17)-1", "get_events -> 32767".
    let mut m = mon_with(&[0]);
    let _ = m.set_events(0, CALL | C_RETURN | C_RAISE).unwrap();
    assert_eq!(m.get_events(0).unwrap().bits(), 16);
    let _ = m.set_events(0, (1 << 17) - 1).unwrap();
    assert_eq!(m.get_events(0).unwrap().bits(), 32767);
}

#[test]
fn e3_c_return_follows_call() {
    // p06 / case 55: set_events(t, CALL) plus a C_RETURN callback gives
    // C_RETURN, whether or not the CALL callback exists.
    let mut m = mon_with(&[1]);
    let _ = m.set_events(1, CALL).unwrap();
    let (slot, _) = m.check_register_callback(1, C_RETURN).unwrap();
    m.register_callback(slot, Event::CReturn, Some("on_c_return"));
    let mut code = CodeMonitoring::new();
    enter(&m, &mut code);
    assert_eq!(m.listeners(&code, Event::CReturn, 14), slots(&[1]));
    assert_eq!(m.listeners(&code, Event::CRaise, 14), ToolMask::EMPTY);
    assert_eq!(m.listeners(&code, Event::Call, 14), ToolMask::EMPTY);
    // Local CALL drives them as well.
    let mut m = mon_with(&[1]);
    m.register_callback(s(1), Event::CRaise, Some("on_c_raise"));
    let mut code = CodeMonitoring::new();
    m.set_local_events(1, &mut code, CALL).unwrap();
    assert_eq!(m.listeners(&code, Event::CRaise, 14), slots(&[1]));
    let other = CodeMonitoring::new();
    assert_eq!(m.listeners(&other, Event::CRaise, 14), ToolMask::EMPTY);
}

#[test]
fn e4_active_without_callback_delivers_nothing() {
    // p06 "PY_START set only".
    let mut m = mon_with(&[0]);
    let _ = m.set_events(0, PY_START).unwrap();
    let mut code = CodeMonitoring::new();
    enter(&m, &mut code);
    assert_eq!(m.tools_at(&code, Event::PyStart, 0), slots(&[0]));
    assert_eq!(m.listeners(&code, Event::PyStart, 0), ToolMask::EMPTY);
    m.register_callback(s(0), Event::PyStart, Some("cb"));
    assert_eq!(m.listeners(&code, Event::PyStart, 0), slots(&[0]));
}

#[test]
fn e5_all_events() {
    // p05: "_all_events -> {'CALL': 1}" after set_events(CALL|C_RETURN|C_RAISE).
    let mut m = mon_with(&[0, 2]);
    let _ = m.set_events(0, CALL | C_RETURN | C_RAISE).unwrap();
    assert_eq!(
        m.all_events()
            .map(|(e, t)| (e.name(), t.bits()))
            .collect::<Vec<_>>(),
        vec![("CALL", 1)]
    );
    let _ = m.set_events(2, CALL | (1 << 10)).unwrap();
    assert_eq!(
        m.all_events()
            .map(|(e, t)| (e.name(), t.bits()))
            .collect::<Vec<_>>(),
        vec![("CALL", 5), ("RAISE", 4)]
    );
    assert_eq!(m.global_tools(Event::Raise), slots(&[2]));
}

#[test]
fn e6_set_local_events_validation() {
    // p05_setevents.out, tool 0 in use.
    let mut m = mon_with(&[0]);
    let mut co = CodeMonitoring::new();
    for (i, ev) in Event::ALL.into_iter().enumerate() {
        let r = m.set_local_events(0, &mut co, 1 << i);
        if ev.is_local() {
            assert!(r.is_ok(), "{ev}");
            assert_eq!(m.get_local_events(0, &co).unwrap().bits(), 1 << i);
        } else if matches!(ev, Event::CReturn | Event::CRaise) {
            assert_eq!(
                err(r),
                "ValueError: cannot set C_RETURN or C_RAISE events independently"
            );
            assert_eq!(m.get_local_events(0, &co).unwrap().bits(), 512);
        } else {
            assert_eq!(
                err(r),
                format!("ValueError: invalid local event set {:#x}", 1 << i)
            );
            assert_eq!(m.get_local_events(0, &co).unwrap().bits(), 512);
        }
    }
    m.set_local_events(0, &mut co, CALL | C_RETURN | C_RAISE)
        .unwrap();
    assert_eq!(m.get_local_events(0, &co).unwrap().bits(), 16);
    m.set_local_events(0, &mut co, (1 << 10) - 1).unwrap();
    assert_eq!(m.get_local_events(0, &co).unwrap().bits(), 1023);
    assert_eq!(
        err(m.set_local_events(0, &mut co, -1)),
        "ValueError: invalid local event set 0xfffe7fff"
    );
    assert_eq!(
        err(m.set_local_events(7, &mut co, LINE)),
        "ValueError: invalid tool 7 (must be between 0 and 5)"
    );
    assert!(m.set_local_events(0, &mut co, 0).is_ok());
    // register_order.out: -2, 1<<10, -2**31, C_RETURN|C_RAISE|PY_START.
    assert_eq!(
        err(m.set_local_events(0, &mut co, -2)),
        "ValueError: invalid local event set 0xfffe7ffe"
    );
    assert_eq!(
        err(m.set_local_events(0, &mut co, 1 << 10)),
        "ValueError: invalid local event set 0x400"
    );
    assert_eq!(
        err(m.set_local_events(0, &mut co, i32::MIN)),
        "ValueError: invalid local event set 0x80000000"
    );
    assert_eq!(
        err(m.set_local_events(0, &mut co, 0x18001)),
        "ValueError: cannot set C_RETURN or C_RAISE events independently"
    );
    // The set check comes before the in-use check (tool 1 is not in use).
    assert_eq!(
        err(m.set_local_events(1, &mut co, 1 << 12)),
        "ValueError: invalid local event set 0x1000"
    );
    assert_eq!(
        err(m.set_local_events(1, &mut co, LINE)),
        "ValueError: tool 1 is not in use"
    );
    // The guest's non-code TypeError text (raised before the tool check).
    assert_eq!(
        MonitoringError::not_a_code_object().to_string(),
        "TypeError: code must be a code object"
    );
}

#[test]
fn e7_get_local_events_fresh_code_is_zero() {
    let m = mon_with(&[]);
    let co = CodeMonitoring::new();
    for t in 0..6 {
        assert_eq!(m.get_local_events(t, &co).unwrap(), EventSet::empty());
    }
}

#[test]
fn c3_disable_from_non_local_event_is_refused_and_unregisters() {
    // p09_disable_nonlocal.out / p08_disable_all.out: "Cannot disable <EV>
    // events. Callback removed." and "still registered: False".
    let mut m = mon_with(&[0]);
    let mut code = CodeMonitoring::new();
    for ev in [
        Event::Raise,
        Event::ExceptionHandled,
        Event::PyUnwind,
        Event::PyThrow,
        Event::Reraise,
        Event::CReturn,
        Event::CRaise,
    ] {
        m.register_callback(s(0), ev, Some("cb"));
        let e = m.disable(&mut code, s(0), ev, 10).unwrap_err();
        assert_eq!(e.kind, ErrorKind::ValueError);
        assert_eq!(
            e.message,
            format!("Cannot disable {} events. Callback removed.", ev.name())
        );
        assert_eq!(m.register_callback(s(0), ev, None), None, "{ev}");
    }
    assert!(!code.has_disabled_locations());
}

#[test]
fn c3_disable_from_local_event_keeps_callback_and_sets() {
    // p08_disable_all.out: "callback_still_registered=True" for all ten.
    let mut m = mon_with(&[0]);
    let _ = m.set_events(0, 0x3ff).unwrap();
    let mut code = CodeMonitoring::new();
    enter(&m, &mut code);
    for ev in Event::ALL.into_iter().filter(|e| e.is_local()) {
        m.register_callback(s(0), ev, Some("cb"));
        assert_eq!(
            m.disable(&mut code, s(0), ev, 4),
            Ok(Disabled::Local {
                remaining: ToolMask::EMPTY
            })
        );
        assert_eq!(m.callback(s(0), ev), Some(&"cb"));
        assert_eq!(m.tools_at(&code, ev, 4), ToolMask::EMPTY);
        assert_eq!(m.tools_at(&code, ev, 6), slots(&[0]));
    }
    assert_eq!(m.get_events(0).unwrap().bits(), 0x3ff);
}

#[test]
fn c6_register_callback_checks() {
    // p05_setevents.out.
    let mut m = mon_with(&[0]);
    let one = "ValueError: The callback can only be set for one event at a time";
    assert_eq!(err(m.check_register_callback(0, CALL | LINE)), one);
    assert_eq!(err(m.check_register_callback(0, 0)), one);
    assert_eq!(err(m.check_register_callback(0, -1)), one);
    assert_eq!(
        err(m.check_register_callback(0, 1 << 17)),
        "ValueError: invalid event 131072"
    );
    assert_eq!(
        err(m.check_register_callback(0, 1 << 20)),
        "ValueError: invalid event 1048576"
    );
    // register_order.out: a single bit in the sign position.
    assert_eq!(
        err(m.check_register_callback(0, i32::MIN)),
        "ValueError: invalid event -2147483648"
    );
    // Tool range first: register_callback(9, 1, None).
    assert_eq!(
        err(m.check_register_callback(9, 3)),
        "ValueError: invalid tool 9 (must be between 0 and 5)"
    );
    let (slot, ev) = m.check_register_callback(0, C_RETURN).unwrap();
    assert_eq!((slot, ev), (s(0), Event::CReturn));
    // "register_callback C_RETURN -> None", "... again -> <built-in print>".
    assert_eq!(m.register_callback(slot, ev, Some("print")), None);
    assert_eq!(m.register_callback(slot, ev, None), Some("print"));
    // "register_callback non-callable -> None", "LINE again -> 42".
    assert_eq!(m.register_callback(s(0), Event::Line, Some("42")), None);
    assert_eq!(m.register_callback(s(0), Event::Line, None), Some("42"));
    // Registering changes no event set.
    assert_eq!(m.get_events(0).unwrap().bits(), 0);
}

#[test]
fn d1_local_events_add_to_global() {
    // Case 45: f has local LINE and global PY_RETURN; g only PY_RETURN.
    let mut m = mon_with(&[0]);
    let _ = m.set_events(0, 4).unwrap();
    let mut f = CodeMonitoring::new();
    let mut g = CodeMonitoring::new();
    m.set_local_events(0, &mut f, LINE).unwrap();
    enter(&m, &mut f);
    enter(&m, &mut g);
    assert_eq!(m.tools_at(&f, Event::Line, 2), slots(&[0]));
    assert_eq!(m.tools_at(&f, Event::PyReturn, 8), slots(&[0]));
    assert_eq!(m.tools_at(&g, Event::Line, 2), ToolMask::EMPTY);
    assert_eq!(m.tools_at(&g, Event::PyReturn, 8), slots(&[0]));
    // Local events never mask global ones.
    m.set_local_events(0, &mut f, 0).unwrap();
    assert_eq!(m.tools_at(&f, Event::PyReturn, 8), slots(&[0]));
}

#[test]
fn d2_local_events_belong_to_one_code_object() {
    // Case 44: local LINE|PY_START on outer gives nothing for inner/other.
    let mut m = mon_with(&[0]);
    let mut outer = CodeMonitoring::new();
    let mut inner = CodeMonitoring::new();
    let r = m
        .set_local_events(0, &mut outer, LINE | PY_START)
        .unwrap()
        .expect("changed");
    assert_eq!(r.added(Event::Line), slots(&[0]));
    assert_eq!(r.added(Event::PyStart), slots(&[0]));
    // No global change: other code objects are not even stale.
    assert!(!m.is_stale(&inner));
    assert!(m.instrument(&mut inner).is_none());
    assert!(inner.active().is_empty());
    assert_eq!(outer.active().events(), EventSet::LINE | EventSet::PY_START);
}

#[test]
fn d3_disable_is_per_tool_event_and_location() {
    // Case 47: tool 2 disables LINE at one location, tool 1 keeps it; other
    // locations keep it (cases 39, 40, 71).
    let mut m = mon_with(&[1, 2]);
    let _ = m.set_events(1, LINE | CALL).unwrap();
    let _ = m.set_events(2, LINE | CALL).unwrap();
    let mut code = CodeMonitoring::new();
    enter(&m, &mut code);
    assert_eq!(
        m.disable(&mut code, s(2), Event::Line, 20),
        Ok(Disabled::Local {
            remaining: slots(&[1])
        })
    );
    assert_eq!(m.tools_at(&code, Event::Line, 20), slots(&[1]));
    assert_eq!(m.tools_at(&code, Event::Line, 30), slots(&[1, 2]));
    assert_eq!(m.tools_at(&code, Event::Instruction, 20), ToolMask::EMPTY);
    assert_eq!(
        m.disable(&mut code, s(1), Event::Line, 20),
        Ok(Disabled::Local {
            remaining: ToolMask::EMPTY
        })
    );
    // Disabling CALL at a site removes C_RETURN/C_RAISE there too (case 40).
    m.disable(&mut code, s(1), Event::Call, 14).unwrap();
    assert_eq!(m.tools_at(&code, Event::CReturn, 14), slots(&[2]));
    assert_eq!(m.tools_at(&code, Event::CRaise, 14), slots(&[2]));
    assert_eq!(m.tools_at(&code, Event::CReturn, 40), slots(&[1, 2]));
    // The sets do not change.
    assert_eq!(m.get_events(2).unwrap().bits(), (LINE | CALL) as u32);
}

/// probes/c_disable1.py: DISABLE of CALL at line 7, LINE at line 8, PY_START;
/// the second call shows only `LINE f:7`, `LINE f:9`; after
/// `restart_events()` the third call shows everything again.
#[test]
fn d4_restart_events_brings_back_every_location() {
    let (py_start, call, line8) = (0u32, 14u32, 30u32);
    let mut m = mon_with(&[0]);
    let _ = m
        .set_events(0, CALL | C_RETURN | C_RAISE | LINE | PY_START)
        .unwrap();
    let mut f = CodeMonitoring::new();
    enter(&m, &mut f);
    m.disable(&mut f, s(0), Event::PyStart, py_start).unwrap();
    m.disable(&mut f, s(0), Event::Call, call).unwrap();
    m.disable(&mut f, s(0), Event::Line, line8).unwrap();
    enter(&m, &mut f); // second call: up to date, DISABLEs hold
    assert!(m.tools_at(&f, Event::PyStart, py_start).is_empty());
    assert!(m.tools_at(&f, Event::Call, call).is_empty());
    assert!(m.tools_at(&f, Event::Line, line8).is_empty());
    assert_eq!(m.restart_events(), Update::ExecutingFrames);
    let r = m.instrument(&mut f).expect("stale after restart");
    assert!(r.restarted && r.disables_cleared && r.changed());
    assert_eq!(m.tools_at(&f, Event::PyStart, py_start), slots(&[0]));
    assert_eq!(m.tools_at(&f, Event::CReturn, call), slots(&[0]));
    assert_eq!(m.tools_at(&f, Event::Line, line8), slots(&[0]));
    assert_eq!(
        m.get_events(0).unwrap().bits(),
        (CALL | LINE | PY_START) as u32
    );
}

/// probes/c_disable2.py: LINE disabled at line 6 of f survives adding
/// PY_START, and survives `set_events(0, 0)` + `set_events(0, LINE)` because
/// f does not run in between (`LINE f:7` only, every time).
#[test]
fn d4_disable_survives_toggle_without_running() {
    let line6 = 2u32;
    let mut m = mon_with(&[0]);
    let _ = m.set_events(0, LINE).unwrap();
    let mut f = CodeMonitoring::new();
    enter(&m, &mut f);
    m.disable(&mut f, s(0), Event::Line, line6).unwrap();
    enter(&m, &mut f);
    assert!(m.tools_at(&f, Event::Line, line6).is_empty());
    let _ = m.set_events(0, LINE | PY_START).unwrap();
    let r = m.instrument(&mut f).unwrap();
    assert_eq!(r.added(Event::PyStart), slots(&[0]));
    assert!(!r.disables_cleared);
    assert!(m.tools_at(&f, Event::Line, line6).is_empty());
    let _ = m.set_events(0, 0).unwrap();
    let _ = m.set_events(0, LINE).unwrap();
    let r = m.instrument(&mut f).unwrap();
    assert_eq!(r.removed(Event::PyStart), slots(&[0]));
    assert!(!r.disables_cleared);
    assert!(m.tools_at(&f, Event::Line, line6).is_empty());
    assert_eq!(m.tools_at(&f, Event::Line, 6), slots(&[0]));
}

/// probes/c_disable3.py: `set_events(0, 0)`, f runs, `set_events(0, LINE)`,
/// f runs: `LINE f:6` is back.
#[test]
fn d4_disable_cleared_when_code_runs_with_event_off() {
    let line6 = 2u32;
    let mut m = mon_with(&[0]);
    let _ = m.set_events(0, LINE).unwrap();
    let mut f = CodeMonitoring::new();
    enter(&m, &mut f);
    m.disable(&mut f, s(0), Event::Line, line6).unwrap();
    let _ = m.set_events(0, 0).unwrap();
    let r = m.instrument(&mut f).unwrap();
    assert_eq!(r.removed(Event::Line), slots(&[0]));
    assert!(f.active().is_empty());
    let _ = m.set_events(0, LINE).unwrap();
    let r = m.instrument(&mut f).unwrap();
    assert_eq!(r.added(Event::Line), slots(&[0]));
    assert_eq!(m.tools_at(&f, Event::Line, line6), slots(&[0]));
}

/// Case 62 variant, as probes/line_disable_second_tool.out records it: a LINE
/// DISABLE tool 0 made alone is lost when tool 3 starts listening to LINE (tool 0
/// hears the line again); once tool 0 disables it again, tool 3 leaving does not
/// bring it back.
#[test]
fn d4_other_tools_changes_keep_disable() {
    let mut m = mon_with(&[0, 3]);
    let _ = m.set_events(0, LINE).unwrap();
    let mut f = CodeMonitoring::new();
    enter(&m, &mut f);
    m.disable(&mut f, s(0), Event::Line, 8).unwrap();
    let _ = m.set_events(3, LINE).unwrap();
    enter(&m, &mut f);
    assert_eq!(m.tools_at(&f, Event::Line, 8), slots(&[0, 3]));
    m.disable(&mut f, s(0), Event::Line, 8).unwrap();
    assert_eq!(m.tools_at(&f, Event::Line, 8), slots(&[3]));
    let _ = m.set_events(3, 0).unwrap();
    enter(&m, &mut f);
    assert!(m.tools_at(&f, Event::Line, 8).is_empty());
}

#[test]
fn d5_restart_events_changes_no_set_and_no_callback() {
    let mut m = mon_with(&[0]);
    let _ = m.set_events(0, LINE).unwrap();
    m.register_callback(s(0), Event::Raise, Some("cb"));
    let _ = m.disable(&mut CodeMonitoring::new(), s(0), Event::Raise, 0);
    let v = m.version();
    let _ = m.restart_events();
    assert!(m.version() > v);
    assert_eq!(m.get_events(0).unwrap().bits(), LINE as u32);
    // A callback removed by C3 stays removed (D4).
    assert_eq!(m.callback(s(0), Event::Raise), None);
}

#[test]
fn d6_when_changes_take_effect() {
    let mut m = mon_with(&[0]);
    let mut f = CodeMonitoring::new();
    // Never-monitored code is current at version 0: the no-tool fast path.
    assert!(!m.is_stale(&f));
    assert_eq!(m.set_events(0, PY_START), Ok(Update::ExecutingFrames));
    assert!(m.is_stale(&f));
    // p20_enable_in_cb.out: set_local_events from a PY_START callback
    // re-instruments f at once, so LINE fires for the first line of the call.
    let r = m.set_local_events(0, &mut f, LINE).unwrap().unwrap();
    assert_eq!(r.added(Event::Line), slots(&[0]));
    assert_eq!(r.added(Event::PyStart), slots(&[0]));
    assert!(!m.is_stale(&f));
    assert_eq!(m.tools_at(&f, Event::Line, 4), slots(&[0]));
    // Same local set again: nothing to do.
    assert_eq!(m.set_local_events(0, &mut f, LINE), Ok(None));
    let r = m.set_local_events(0, &mut f, 0).unwrap().unwrap();
    assert_eq!(r.removed(Event::Line), slots(&[0]));
    assert!(m.tools_at(&f, Event::Line, 4).is_empty());
}

#[test]
fn m1_dispatch_order_is_highest_slot_first() {
    // probes/c_multi1.out: `t5 …`, `t2 …`, `t0 …` for every event;
    // p18_legacy_order.out: settrace (7), setprofile (6), tool 5, tool 0.
    let mut m = mon_with(&[0, 2, 5]);
    for t in [0, 2, 5] {
        let _ = m
            .set_events(t, PY_START | LINE | CALL | C_RETURN | C_RAISE | (1 << 10))
            .unwrap();
        for ev in [
            Event::PyStart,
            Event::Line,
            Event::Call,
            Event::CReturn,
            Event::Raise,
        ] {
            m.register_callback(s(t as usize), ev, Some("rec"));
        }
    }
    let mut code = CodeMonitoring::new();
    enter(&m, &mut code);
    for ev in [
        Event::PyStart,
        Event::Line,
        Event::Call,
        Event::CReturn,
        Event::Raise,
    ] {
        let order: Vec<usize> = m
            .listeners(&code, ev, 12)
            .dispatch_order()
            .map(Slot::index)
            .collect();
        assert_eq!(order, vec![5, 2, 0], "{ev}");
    }
    let _ = m.set_slot_events(Slot::TRACE, EventSet::PY_START);
    let _ = m.set_slot_events(Slot::PROFILE, EventSet::PY_START);
    m.register_callback(Slot::TRACE, Event::PyStart, Some("trace"));
    m.register_callback(Slot::PROFILE, Event::PyStart, Some("profile"));
    enter(&m, &mut code);
    let order: Vec<usize> = m
        .listeners(&code, Event::PyStart, 0)
        .dispatch_order()
        .map(Slot::index)
        .collect();
    assert_eq!(order, vec![7, 6, 5, 2, 0]);
}

#[test]
fn m3_no_events_while_a_callback_runs() {
    let t = Tracing::new();
    assert!(!t.is_active());
    {
        let _g = t.enter();
        assert!(t.is_active());
        {
            let _inner = t.enter();
            assert!(t.is_active());
        }
        assert!(t.is_active());
    }
    assert!(!t.is_active());
    // The guard is released when a native callback panics.
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let _g = t.enter();
        panic!("callback failed");
    }));
    assert!(r.is_err());
    assert!(!t.is_active());
}

#[test]
fn g6_for_iter_specializes_on_second_uninstrumented_run() {
    // Case 26 / p16_forgen.out: the first loop over a generator whose
    // FOR_ITER runs once fires nothing; its second execution is specialized.
    let mut f = CodeMonitoring::new();
    assert!(!f.for_iter_specialized(28, false));
    assert!(f.for_iter_specialized(28, false));
    assert!(f.for_iter_specialized(28, false));
    // Another location warms up on its own.
    assert!(!f.for_iter_specialized(60, false));
    // Instrumented (BRANCH/INSTRUCTION/LINE active): never specialized, and
    // de-instrumenting restarts the warm-up (p26_rewrite, case 74).
    assert!(!f.for_iter_specialized(28, true));
    assert!(!f.for_iter_specialized(28, false));
    assert!(f.for_iter_specialized(28, false));
}

#[test]
fn sync_report_and_global_only_events() {
    let mut m = mon_with(&[0]);
    // RAISE etc. are never baked into code: no sync changes.
    let _ = m.set_events(0, 1 << 10).unwrap();
    let mut f = CodeMonitoring::new();
    let r = m.instrument(&mut f).unwrap();
    assert!(!r.changed());
    assert_eq!(m.tools_at(&f, Event::Raise, 0), slots(&[0]));
    assert_eq!(m.global_tools(Event::Reraise), ToolMask::EMPTY);
}

#[test]
fn native_tool_failure_clears_the_slot_but_keeps_the_id() {
    // Issue 4: a failing native tool is disabled alone; its id stays taken.
    let mut m = mon_with(&[1, 2]);
    let _ = m.set_events(1, LINE).unwrap();
    let _ = m.set_events(2, LINE).unwrap();
    m.register_callback(s(1), Event::Line, Some("native"));
    m.register_callback(s(2), Event::Line, Some("other"));
    let mut f = CodeMonitoring::new();
    let _ = m.set_local_events(1, &mut f, PY_START).unwrap();
    assert_eq!(m.clear_slot(s(1)), Update::ExecutingFrames);
    enter(&m, &mut f);
    assert_eq!(m.listeners(&f, Event::Line, 3), slots(&[2]));
    assert_eq!(m.listeners(&f, Event::PyStart, 0), ToolMask::EMPTY);
    assert_eq!(m.get_events(1).unwrap().bits(), 0);
    assert_eq!(
        err(m.use_tool_id(1, Some("guest".into()))),
        "ValueError: tool 1 is already in use"
    );
}

#[test]
fn e3_e4_d3_code_tools_and_callbacks_at() {
    // code_tools: union per event for instrumenting (D1, E3); callbacks_at:
    // delivery order, DISABLEd and callback-less slots left out (M1, E4, D3).
    let mut m = mon_with(&[0, 1, 4]);
    let _ = m.set_events(0, CALL).unwrap();
    let _ = m.set_events(4, CALL | (1 << 10)).unwrap();
    let mut code = CodeMonitoring::new();
    let _ = m.set_local_events(1, &mut code, CALL).unwrap();
    assert_eq!(m.code_tools(&code, Event::Call), slots(&[0, 1, 4]));
    assert_eq!(m.code_tools(&code, Event::CRaise), slots(&[0, 1, 4]));
    assert_eq!(m.code_tools(&code, Event::Raise), slots(&[4]));
    assert_eq!(m.code_tools(&code, Event::Line), ToolMask::EMPTY);
    m.register_callback(s(0), Event::CReturn, Some("c0"));
    m.register_callback(s(1), Event::CReturn, Some("c1"));
    m.register_callback(s(4), Event::CReturn, Some("c4"));
    m.disable(&mut code, s(1), Event::Call, 5).unwrap();
    let got: Vec<_> = m
        .callbacks_at(&code, Event::CReturn, 5)
        .map(|(slot, cb)| (slot.index(), *cb))
        .collect();
    assert_eq!(got, vec![(4, "c4"), (0, "c0")]);
    m.register_callback(s(4), Event::CReturn, None);
    let got: Vec<_> = m
        .callbacks_at(&code, Event::CReturn, 6)
        .map(|(slot, cb)| (slot.index(), *cb))
        .collect();
    assert_eq!(got, vec![(1, "c1"), (0, "c0")]);
    // The disable does not change what the code as a whole wants.
    assert_eq!(m.code_tools(&code, Event::Call), slots(&[0, 1, 4]));
}

/// Case 40 / probes/c_disable1.out (one tool): the C_RETURN of the very call
/// whose CALL callback returned DISABLE still fires. runtime/monitoring/probes/
/// multi_tool.out D1 (two tools on CALL): the disabling tool misses it, the
/// other gets it; C1-C3: a single-tool CALL DISABLE survives a second tool
/// arriving.
#[test]
fn d3_c_return_after_call_disable_single_vs_multi_tool() {
    let site = 18u32;
    // One tool.
    let mut m = mon_with(&[0, 1]);
    let _ = m.set_events(0, CALL).unwrap();
    let mut g = CodeMonitoring::new();
    enter(&m, &mut g);
    assert!(!g.per_location_tools());
    m.disable(&mut g, s(0), Event::Call, site).unwrap();
    assert_eq!(m.tools_at(&g, Event::Call, site), ToolMask::EMPTY);
    assert_eq!(m.tools_at(&g, Event::CReturn, site), slots(&[0]));
    // C3: tool 1 arrives; tool 0's DISABLE holds, C_RETURN goes to tool 1.
    let _ = m.set_events(1, CALL).unwrap();
    enter(&m, &mut g);
    assert!(g.per_location_tools());
    assert_eq!(m.tools_at(&g, Event::Call, site), slots(&[1]));
    assert_eq!(m.tools_at(&g, Event::CReturn, site), slots(&[1]));
    // D1: two tools from the start; tool 0 disables CALL mid-occurrence.
    let mut h = CodeMonitoring::new();
    enter(&m, &mut h);
    m.disable(&mut h, s(0), Event::Call, site).unwrap();
    assert_eq!(m.tools_at(&h, Event::CReturn, site), slots(&[1]));
    // The flag is sticky (CPython never frees its per-location masks).
    let _ = m.set_events(1, 0).unwrap();
    enter(&m, &mut h);
    assert!(h.per_location_tools());
    assert_eq!(m.tools_at(&h, Event::CReturn, site), ToolMask::EMPTY);
}

/// runtime/monitoring/probes/multi_tool.out E1-E3 and F1-F4: DISABLE by one
/// tool survives another tool arriving, leaving and coming back; B1-B3: except
/// a LINE DISABLE made while one tool was alone, which CPython 3.13 loses when
/// a second tool arrives (it builds its per-tool LINE masks only then).
#[test]
fn d4_disable_survives_other_tool_arriving_and_leaving() {
    let mut m = mon_with(&[0, 1]);
    let _ = m.set_events(0, PY_START | LINE).unwrap();
    let mut k = CodeMonitoring::new();
    enter(&m, &mut k);
    m.disable(&mut k, s(0), Event::PyStart, 0).unwrap();
    m.disable(&mut k, s(0), Event::Line, 2).unwrap();
    assert_eq!(m.tools_at(&k, Event::Line, 2), ToolMask::EMPTY);
    let _ = m.set_events(1, PY_START | LINE).unwrap();
    enter(&m, &mut k);
    // E3: PY_START stays disabled for tool 0. B3: LINE at 2 reaches tool 0 again.
    assert_eq!(m.tools_at(&k, Event::PyStart, 0), slots(&[1]));
    assert_eq!(m.tools_at(&k, Event::Line, 2), slots(&[0, 1]));
    // F1-F4: a LINE DISABLE made with both tools there survives tool 1 leaving and
    // coming back.
    m.disable(&mut k, s(0), Event::Line, 2).unwrap();
    let _ = m.set_events(1, 0).unwrap();
    enter(&m, &mut k);
    assert_eq!(m.tools_at(&k, Event::Line, 2), ToolMask::EMPTY);
    assert_eq!(m.tools_at(&k, Event::Line, 4), slots(&[0]));
    let _ = m.set_events(1, LINE).unwrap();
    enter(&m, &mut k);
    assert_eq!(m.tools_at(&k, Event::Line, 2), slots(&[1]));
}

#[test]
fn t8_call_shape_checks() {
    use vigil_monitoring::ApiFn;
    // probes/arity.out and p22_api_errors.out, line for line.
    let cases: [(ApiFn, usize, bool, &str); 16] = [
        (
            ApiFn::SetEvents,
            1,
            true,
            "TypeError: sys.monitoring.set_events() takes no keyword arguments",
        ),
        (
            ApiFn::SetEvents,
            0,
            true,
            "TypeError: sys.monitoring.set_events() takes no keyword arguments",
        ),
        (
            ApiFn::SetEvents,
            3,
            false,
            "TypeError: set_events expected 2 arguments, got 3",
        ),
        (
            ApiFn::SetEvents,
            0,
            false,
            "TypeError: set_events expected 2 arguments, got 0",
        ),
        (
            ApiFn::UseToolId,
            3,
            false,
            "TypeError: use_tool_id expected 2 arguments, got 3",
        ),
        (
            ApiFn::UseToolId,
            1,
            false,
            "TypeError: use_tool_id expected 2 arguments, got 1",
        ),
        (
            ApiFn::RegisterCallback,
            4,
            false,
            "TypeError: register_callback expected 3 arguments, got 4",
        ),
        (
            ApiFn::GetEvents,
            2,
            false,
            "TypeError: sys.monitoring.get_events() takes exactly one argument (2 given)",
        ),
        (
            ApiFn::GetEvents,
            0,
            true,
            "TypeError: sys.monitoring.get_events() takes no keyword arguments",
        ),
        (
            ApiFn::GetTool,
            1,
            true,
            "TypeError: sys.monitoring.get_tool() takes no keyword arguments",
        ),
        (
            ApiFn::FreeToolId,
            0,
            false,
            "TypeError: sys.monitoring.free_tool_id() takes exactly one argument (0 given)",
        ),
        (
            ApiFn::RestartEvents,
            0,
            true,
            "TypeError: sys.monitoring.restart_events() takes no keyword arguments",
        ),
        (
            ApiFn::RestartEvents,
            2,
            false,
            "TypeError: sys.monitoring.restart_events() takes no arguments (2 given)",
        ),
        (
            ApiFn::AllEvents,
            1,
            false,
            "TypeError: sys.monitoring._all_events() takes no arguments (1 given)",
        ),
        (
            ApiFn::GetLocalEvents,
            3,
            false,
            "TypeError: get_local_events expected 2 arguments, got 3",
        ),
        (
            ApiFn::SetLocalEvents,
            3,
            true,
            "TypeError: sys.monitoring.set_local_events() takes no keyword arguments",
        ),
    ];
    for (f, n, kw, want) in cases {
        assert_eq!(err(f.check_call(n, kw)), want);
    }
    for f in ApiFn::ALL {
        assert_eq!(f.check_call(f.arity(), false), Ok(()), "{}", f.name());
    }
}
