//! Tests of the shared delivery loop (`deliver`), named after the rules it
//! encodes: M1 order, M2 stop on error, M3 no events inside callbacks, E4
//! skip slots without a callback, C3 DISABLE handling. Expected orders and
//! outcomes are CPython 3.13.5's, from the probe outputs cited per test.

use std::cell::RefCell;

use vigil_monitoring::{
    CodeMonitoring, Delivered, Event, Monitoring, MonitoringError, Site, Slot, Tracing, Verdict,
    deliver,
};

type Mon = Monitoring<&'static str, String>;

const CALL: i32 = 16;
const LINE: i32 = 32;
const RAISE: i32 = 1 << 10;

fn setup(tools: &[i32], events: i32, evs: &[Event]) -> (RefCell<Mon>, RefCell<CodeMonitoring>) {
    let mut m = Mon::new();
    for &t in tools {
        m.use_tool_id(t, Some(format!("t{t}"))).unwrap();
        let _ = m.set_events(t, events).unwrap();
        for &ev in evs {
            m.register_callback(Slot::from_index(t as usize).unwrap(), ev, Some("rec"));
        }
    }
    let mut code = CodeMonitoring::new();
    let _ = m.instrument(&mut code);
    (RefCell::new(m), RefCell::new(code))
}

fn s(i: usize) -> Slot {
    Slot::from_index(i).unwrap()
}

#[test]
fn m1_delivery_goes_from_slot_5_down() {
    // probes/c_multi1.out: "t5 LINE", "t2 LINE", "t0 LINE".
    let (m, code) = setup(&[0, 2, 5], LINE, &[Event::Line]);
    let tracing = Tracing::new();
    let mut seen = vec![];
    let site = Site {
        code: &code,
        location: 3,
    };
    let r: Result<Delivered, String> = deliver(
        &m,
        &tracing,
        Event::Line,
        Some(site),
        |slot, _| {
            seen.push(slot.index());
            Ok(Verdict::Continue)
        },
        |e| e.message,
    );
    assert_eq!(
        r,
        Ok(Delivered {
            calls: 3,
            deinstrument: false
        })
    );
    assert_eq!(seen, vec![5, 2, 0]);
}

#[test]
fn m2_a_raising_callback_stops_lower_tools() {
    // Case 48: tool 4's CALL callback raises, tool 1's is not called.
    let (m, code) = setup(&[1, 4], CALL, &[Event::Call]);
    let tracing = Tracing::new();
    let mut seen = vec![];
    let r = deliver(
        &m,
        &tracing,
        Event::Call,
        Some(Site {
            code: &code,
            location: 7,
        }),
        |slot, _| {
            seen.push(slot.index());
            Err("RuntimeError: callback failed")
        },
        |_| "unexpected",
    );
    assert_eq!(r, Err("RuntimeError: callback failed"));
    assert_eq!(seen, vec![4]);
    assert!(!tracing.is_active(), "the guard is released on error");
    // The callback stays registered (C5).
    assert_eq!(m.borrow().callback(s(4), Event::Call), Some(&"rec"));
}

#[test]
fn m3_events_inside_a_callback_are_not_delivered() {
    // p17_reentrancy.out: tool 1 sees only `target`, never what tool 0's
    // callback runs.
    let (m, code) = setup(&[0, 1], 1 | RAISE, &[Event::PyStart, Event::Raise]);
    let tracing = Tracing::new();
    let mut log = vec![];
    let site = Site {
        code: &code,
        location: 0,
    };
    let _ = deliver(
        &m,
        &tracing,
        Event::PyStart,
        Some(site),
        |slot, _| {
            log.push(format!("t{} PY_START", slot.index()));
            // The callback runs Python code and raises internally.
            let inner: Result<Delivered, ()> = deliver(
                &m,
                &tracing,
                Event::Raise,
                None,
                |_, _| panic!("no event may fire inside a callback"),
                |_| (),
            );
            assert_eq!(inner, Ok(Delivered::default()));
            Ok(Verdict::Continue)
        },
        |_| (),
    );
    assert_eq!(log, vec!["t1 PY_START", "t0 PY_START"]);
}

#[test]
fn e4_slots_without_callback_are_skipped_and_read_per_slot() {
    // Case 46: tool 5 enabled CALL but has no C_RETURN callback.
    let (m, code) = setup(&[0, 3, 5], CALL, &[Event::Call]);
    m.borrow_mut()
        .register_callback(s(0), Event::CReturn, Some("c0"));
    m.borrow_mut()
        .register_callback(s(3), Event::CReturn, Some("c3"));
    let tracing = Tracing::new();
    let mut seen = vec![];
    let r: Result<_, ()> = deliver(
        &m,
        &tracing,
        Event::CReturn,
        Some(Site {
            code: &code,
            location: 9,
        }),
        |slot, cb| {
            seen.push((slot.index(), cb));
            // Tool 3's callback unregisters tool 0's: CPython reads the
            // table per slot, so tool 0 is not called for this occurrence.
            m.borrow_mut().register_callback(s(0), Event::CReturn, None);
            Ok(Verdict::Continue)
        },
        |_| (),
    );
    assert_eq!(r.unwrap().calls, 1);
    assert_eq!(seen, vec![(3, "c3")]);
}

#[test]
fn c3_disable_local_event_deinstruments_when_no_tool_left() {
    // Case 47: tool 2 disables LINE at a location, tool 1 keeps it; once
    // both disabled, the location goes back to plain code.
    let (m, code) = setup(&[1, 2], LINE, &[Event::Line]);
    let tracing = Tracing::new();
    let site = Site {
        code: &code,
        location: 6,
    };
    let r: Result<_, ()> = deliver(
        &m,
        &tracing,
        Event::Line,
        Some(site),
        |slot, _| {
            Ok(if slot.index() == 2 {
                Verdict::Disable
            } else {
                Verdict::Continue
            })
        },
        |_| (),
    );
    assert_eq!(
        r,
        Ok(Delivered {
            calls: 2,
            deinstrument: false
        })
    );
    let mut seen = vec![];
    let r: Result<_, ()> = deliver(
        &m,
        &tracing,
        Event::Line,
        Some(site),
        |slot, _| {
            seen.push(slot.index());
            Ok(Verdict::Disable)
        },
        |_| (),
    );
    assert_eq!(seen, vec![1]);
    assert_eq!(
        r,
        Ok(Delivered {
            calls: 1,
            deinstrument: true
        })
    );
    // Other locations still deliver to both.
    let other = Site {
        code: &code,
        location: 8,
    };
    let r: Result<_, ()> = deliver(
        &m,
        &tracing,
        Event::Line,
        Some(other),
        |_, _| Ok(Verdict::Continue),
        |_| (),
    );
    assert_eq!(r.unwrap().calls, 2);
}

#[test]
fn c3_disable_from_raise_is_refused_and_stops_delivery() {
    // p09_disable_nonlocal.out: "escaped ValueError Cannot disable RAISE
    // events. Callback removed." and "still registered: False".
    let (m, _code) = setup(&[0, 3], RAISE, &[Event::Raise]);
    let tracing = Tracing::new();
    let mut seen = vec![];
    let r = deliver(
        &m,
        &tracing,
        Event::Raise,
        None,
        |slot, _| {
            seen.push(slot.index());
            Ok(Verdict::Disable)
        },
        |e: MonitoringError| e.to_string(),
    );
    assert_eq!(
        r,
        Err("ValueError: Cannot disable RAISE events. Callback removed.".to_owned())
    );
    assert_eq!(seen, vec![3]);
    assert_eq!(m.borrow().callback(s(3), Event::Raise), None);
    assert_eq!(m.borrow().callback(s(0), Event::Raise), Some(&"rec"));
}
