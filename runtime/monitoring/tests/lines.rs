//! L2 part A against CPython 3.13.5's own bytecode: `probes/line_starts.py`
//! printed, for a range of function shapes, dis's instructions (offset, base
//! opname, line, jump target), the exception handlers, and which instructions
//! CPython turned into INSTRUMENTED_LINE when LINE was enabled. The test maps
//! each opname to a `LineRole` (the same mapping the VM does for its own
//! opcodes) and demands the same marks. Part B is checked on L3's examples.

use std::collections::HashMap;

use vigil_monitoring::{LineInstr, LineRole, line_event_due, line_starts};

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
        "POP_JUMP_IF_FALSE"
        | "POP_JUMP_IF_TRUE"
        | "POP_JUMP_IF_NONE"
        | "POP_JUMP_IF_NOT_NONE"
        | "JUMP_FORWARD"
        | "JUMP_BACKWARD"
        | "JUMP_BACKWARD_NO_INTERRUPT" => LineRole::Jump(target.unwrap()),
        "FOR_ITER" | "SEND" => LineRole::LoopExit(target.unwrap()),
        _ => LineRole::Plain,
    }
}

#[test]
fn l2_line_starts_match_cpython() {
    let sections = parse();
    assert!(sections.len() >= 10, "probe output has all functions");
    let mut total = 0;
    for sec in &sections {
        let index: HashMap<u32, usize> =
            sec.rows.iter().enumerate().map(|(i, r)| (r.0, i)).collect();
        let instrs: Vec<LineInstr> = sec
            .rows
            .iter()
            .map(|(_, op, line, target, _)| LineInstr {
                line: *line,
                role: role(op, target.map(|t| index[&t])),
            })
            .collect();
        let first = sec.rows.iter().position(|r| r.1 == "RESUME").unwrap();
        let handlers: Vec<usize> = sec.handlers.iter().map(|h| index[h]).collect();
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
