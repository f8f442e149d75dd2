//! L2 part A against CPython 3.13.5's own bytecode: `probes/line_starts.py`
//! printed, for a range of function shapes, dis's instructions (offset, base
//! opname, line, jump target), the exception handlers, and which instructions
//! CPython turned into INSTRUMENTED_LINE when LINE was enabled. The test maps
//! each opname to a `LineRole` (the same mapping the VM does for its own
//! opcodes) and demands the same marks. Part B is checked on L3's examples.

use std::collections::HashMap;

use vigil_monitoring::{LineInstr, LineRole, line_event_due, line_starts, prune_never_due};

const PROBE: &str = include_str!("../probes/line_starts.out");

/// offset, opname, line, jump target, marked as a line start.
type Row = (u32, String, Option<u32>, Option<u32>, bool);

struct Section {
    name: String,
    rows: Vec<Row>,
    handlers: Vec<u32>,
}

fn parse() -> Vec<Section> {
    let mut out: Vec<Section> = Vec::new();
    for line in PROBE.lines() {
        if let Some(name) = line.strip_prefix("## ") {
            out.push(Section {
                name: name.to_owned(),
                rows: vec![],
                handlers: vec![],
            });
            continue;
        }
        let sec = out.last_mut().expect("section header first");
        let f: Vec<&str> = line.split_whitespace().collect();
        if f[0] == "handlers" {
            sec.handlers = f[1..].iter().map(|h| h.parse().unwrap()).collect();
            continue;
        }
        let num = |s: &str| (s != "-").then(|| s.parse::<u32>().unwrap());
        sec.rows.push((
            f[0].parse().unwrap(),
            f[1].to_owned(),
            num(f[2]),
            num(f[3]),
            f[4] == "L",
        ));
    }
    out
}

fn role(op: &str, target: Option<usize>) -> LineRole {
    match op {
        "RESUME" | "END_FOR" | "END_SEND" => LineRole::Transparent,
        "END_ASYNC_FOR" => LineRole::EndAsyncFor,
        "POP_JUMP_IF_FALSE" | "POP_JUMP_IF_TRUE" | "POP_JUMP_IF_NONE" | "POP_JUMP_IF_NOT_NONE" => {
            LineRole::Jump(target.unwrap())
        }
        "JUMP_FORWARD" | "JUMP_BACKWARD" | "JUMP_BACKWARD_NO_INTERRUPT" => {
            LineRole::Goto(target.unwrap())
        }
        "RETURN_VALUE" | "RETURN_CONST" | "RAISE_VARARGS" | "RERAISE" => LineRole::Stop,
        "FOR_ITER" | "SEND" => LineRole::LoopExit(target.unwrap()),
        _ => LineRole::Plain,
    }
}

/// One probe function as `line_starts` takes it: its instructions with their line roles
/// (jump targets as instruction indices), the index of its RESUME and its handlers' indices.
fn inputs(sec: &Section) -> (Vec<LineInstr>, usize, Vec<usize>) {
    let index: HashMap<u32, usize> = sec.rows.iter().enumerate().map(|(i, r)| (r.0, i)).collect();
    let instrs = sec
        .rows
        .iter()
        .map(|(_, op, line, target, _)| LineInstr {
            line: *line,
            role: role(op, target.map(|t| index[&t])),
        })
        .collect();
    let first = sec.rows.iter().position(|r| r.1 == "RESUME").unwrap();
    let handlers = sec.handlers.iter().map(|h| index[h]).collect();
    (instrs, first, handlers)
}

#[test]
fn l2_line_starts_match_cpython() {
    let sections = parse();
    assert!(sections.len() >= 10, "probe output has all functions");
    let mut total = 0;
    for sec in &sections {
        let (instrs, first, handlers) = inputs(sec);
        let got = line_starts(&instrs, first, &handlers);
        let want: Vec<bool> = sec.rows.iter().map(|r| r.4).collect();
        for (i, row) in sec.rows.iter().enumerate() {
            assert_eq!(
                got[i], want[i],
                "{}: offset {} {} line {:?}",
                sec.name, row.0, row.1, row.2
            );
        }
        total += want.iter().filter(|&&w| w).count();
    }
    assert!(
        total > 100,
        "the probe exercises many line starts ({total})"
    );
}

#[test]
fn l2_part_b_when_line_fires() {
    // First line start after RESUME fires even on the same line
    // (c_line2.out: `def one(): return 1` gives LINE).
    assert!(line_event_due(Some(4), true, 4));
    // A one-line loop jumping back to its own line: no LINE (case 03).
    assert!(!line_event_due(Some(5), false, 5));
    // Back from another line: LINE (case 04).
    assert!(line_event_due(Some(6), false, 5));
    // From an instruction without a line (-1): LINE.
    assert!(line_event_due(None, false, 5));
}

fn li(line: Option<u32>, role: LineRole) -> LineInstr {
    LineInstr { line, role }
}

#[test]
fn never_due_starts_are_pruned_and_only_those() {
    use LineRole::*;
    // 0 RESUME; line 2: `t = a and b` with the jump target (5) on line 2 only reachable
    // from line 2; line 3: a `while` whose head (6) is jumped to from line 4 (kept); the
    // instruction after the RESUME (1) keeps its start; 9 is a handler on line 5 reached by
    // a jump from line 5 as well (kept: a handler's previous instruction can be anything).
    let instrs = [
        li(Some(1), Transparent), // 0 RESUME
        li(Some(2), Plain),       // 1 LOAD a
        li(Some(2), Plain),       // 2 COPY
        li(Some(2), Jump(5)),     // 3 POP_JUMP_IF_FALSE -> 5
        li(Some(2), Plain),       // 4 LOAD b
        li(Some(2), Plain),       // 5 STORE t (target, same line both ways)
        li(Some(3), Plain),       // 6 while head
        li(Some(3), Jump(9)),     // 7 POP_JUMP -> 9
        li(Some(4), Jump(6)),     // 8 JUMP_BACKWARD -> 6 (from line 4)
        li(Some(5), Plain),       // 9 handler / exit
        li(Some(5), Jump(9)),     // 10 jumps back to 9 from its own line
    ];
    let handlers = [9];
    let mut starts = line_starts(&instrs, 0, &handlers);
    assert!(starts[5], "the rule marks the `and` target");
    let before = starts.clone();
    prune_never_due(&instrs, &mut starts, &handlers);
    for (i, (b, a)) in before.iter().zip(&starts).enumerate() {
        assert!(!a || *b, "pruning never adds a start ({i})");
    }
    assert!(!starts[5], "reached only from line 2: never due");
    assert!(starts[1], "after RESUME: due");
    assert!(starts[6], "jumped to from line 4: due");
    assert!(starts[8], "first instruction of line 4");
    assert!(starts[9], "handler");
}

#[test]
fn loop_exits_resumes_and_lineless_instructions() {
    use LineRole::*;
    let instrs = [
        li(Some(1), Transparent),  // 0 RESUME
        li(Some(2), Plain),        // 1 GET_ITER
        li(Some(2), LoopExit(5)),  // 2 FOR_ITER, END_FOR at 5
        li(Some(2), Plain),        // 3 STORE x (body on the `for` line)
        li(Some(2), Jump(2)),      // 4 JUMP_BACKWARD -> 2 (same line: pruned)
        li(Some(2), Transparent),  // 5 END_FOR
        li(Some(3), Plain),        // 6 POP_TOP on another line (loop-exit successor)
        li(None, Plain),           // 7 artificial
        li(Some(3), Plain),        // 8 after an instruction without a line
        li(Some(3), Transparent),  // 9 RESUME (after a yield)
        li(Some(3), Plain),        // 10 same line, but after a RESUME
        li(Some(3), LoopExit(12)), // 11 SEND, END_SEND at 12
        li(Some(3), Transparent),  // 12 END_SEND
        li(Some(3), Plain),        // 13 after END_SEND on its line: never due
        li(Some(4), Plain),        // 14 reached from line 3 by a SEND exit: kept
    ];
    let mut starts = line_starts(&instrs, 0, &[]);
    for i in [8, 10, 13, 14] {
        starts[i] = true;
    }
    prune_never_due(&instrs, &mut starts, &[]);
    assert!(!starts[2], "a one-line loop's head is never due");
    assert!(starts[6], "loop exit onto another line: kept");
    assert!(starts[8], "after an instruction without a line: kept");
    assert!(starts[10], "after a RESUME: kept");
    assert!(!starts[13], "after END_SEND on the same line: never due");
    assert!(starts[14], "a SEND exit from another line: kept");
}

#[test]
fn returns_raises_and_unconditional_jumps_do_not_fall_through() {
    use LineRole::*;
    // `if x: return` / `if y: raise` / `if z: ... else: ...` and a generator's trailing
    // `if self.right: yield from self.right` (CPython 3.13 gives the `if` line's false
    // branch its own RETURN_CONST after the body's): the targets are entered only by the
    // `if` line's own jump, so LINE is never due there.
    let instrs = [
        li(Some(1), Transparent), // 0 RESUME
        li(Some(2), Plain),       // 1 LOAD x
        li(Some(2), Jump(4)),     // 2 POP_JUMP_IF_FALSE -> 4
        li(Some(3), Stop),        // 3 RETURN_CONST (line 3)
        li(Some(2), Stop),        // 4 RETURN_CONST on line 2: only from 2
        li(Some(5), Plain),       // 5 LOAD y
        li(Some(5), Jump(8)),     // 6 POP_JUMP_IF_FALSE -> 8
        li(Some(6), Goto(9)),     // 7 JUMP_FORWARD -> 9 (end of the `if` body, line 6)
        li(Some(5), Plain),       // 8 `else` part on line 5: only from 6
        li(Some(7), Plain),       // 9 after the `if`: from 7 (line 6) and 8 (line 5)
        li(Some(7), Jump(11)),    // 10 POP_JUMP_IF_FALSE -> 11
        li(Some(8), Plain),       // 11 target on line 8, previous (10) is a conditional jump
    ];
    let mut starts = line_starts(&instrs, 0, &[]);
    for i in [4, 8, 11] {
        starts[i] = true;
    }
    prune_never_due(&instrs, &mut starts, &[]);
    assert!(!starts[4], "after a return, entered only from its own line");
    assert!(
        !starts[8],
        "after an unconditional jump, entered only from its own line"
    );
    assert!(starts[9], "jumped to from line 6");
    assert!(starts[11], "falls in from line 7");
}

#[test]
fn pruning_only_removes_starts_on_cpythons_functions() {
    // On every probe function, pruned starts are a subset of CPython's, and each removed
    // one is entered only from its own line: the instruction before it is on that line or
    // never goes on to it (a return, raise or unconditional jump).
    let mut removed = 0;
    for sec in &parse() {
        let (instrs, first, handlers) = inputs(sec);
        let full = line_starts(&instrs, first, &handlers);
        let mut pruned = full.clone();
        prune_never_due(&instrs, &mut pruned, &handlers);
        for i in 0..full.len() {
            assert!(!pruned[i] || full[i], "{}: {i} added", sec.name);
            if full[i] && !pruned[i] {
                removed += 1;
                assert!(!handlers.contains(&i), "{}: handler {i} removed", sec.name);
                assert!(
                    instrs[i - 1].line == instrs[i].line
                        || matches!(instrs[i - 1].role, LineRole::Stop | LineRole::Goto(_)),
                    "{}: {i}",
                    sec.name
                );
            }
        }
    }
    assert!(removed > 0, "the probe has same-line jump targets");
}
