//! The profiler's report writers, rendering a [`Profile`] to text: `text` (pstats' table:
//! `ncalls tottime percall cumtime percall filename:lineno(function)`, ncalls as
//! `total/primitive` when they differ), `json` (one record per function, with callers),
//! `collapsed` (folded stacks, `a;b;c N`, N in microseconds of self time), `flamegraph` (an
//! SVG drawn by inferno from the folded stacks) and `chrome`/`speedscope` (trace-event JSON
//! with begin/end pairs, which Perfetto, chrome://tracing and speedscope open).
//! It writes no files itself.

use std::fmt::Write as _;

use crate::profile::{FuncInfo, Profile, Stats};

/// The `sort` setting (pstats' keys).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sort {
    /// `cumulative` / `cumtime`: cumtime, descending (the default).
    Cumulative,
    /// `tottime` / `time`: tottime, descending.
    Tottime,
    /// `calls` / `ncalls`: calls, descending.
    Calls,
    /// `pcalls`: primitive calls, descending.
    PrimitiveCalls,
    /// `name`: function name.
    Name,
    /// `filename` / `file`: file, then line.
    File,
    /// `line`: line number.
    Line,
}

impl std::str::FromStr for Sort {
    type Err = String;
    fn from_str(s: &str) -> Result<Sort, String> {
        Ok(match s {
            "cumulative" | "cumtime" => Sort::Cumulative,
            "tottime" | "time" => Sort::Tottime,
            "calls" | "ncalls" => Sort::Calls,
            "pcalls" => Sort::PrimitiveCalls,
            "name" => Sort::Name,
            "filename" | "file" => Sort::File,
            "line" => Sort::Line,
            _ => {
                return Err(format!(
                    "`sort`: unknown key `{s}` (valid: cumulative, tottime, calls, pcalls, name, filename, line)"
                ));
            }
        })
    }
}

impl Sort {
    fn label(self) -> &'static str {
        match self {
            Sort::Cumulative => "cumulative time",
            Sort::Tottime => "internal time",
            Sort::Calls => "call count",
            Sort::PrimitiveCalls => "primitive call count",
            Sort::Name => "function name",
            Sort::File => "file name",
            Sort::Line => "line number",
        }
    }
}

/// pstats' `func_std_string`: `file:line(name)`, or the bare name for builtins.
pub fn std_name(f: &FuncInfo, file: &str) -> String {
    if f.builtin {
        f.name.clone()
    } else {
        format!("{file}:{}({})", f.line, f.name)
    }
}

/// Function indices in report order.
pub fn order(p: &Profile, sort: Sort, display: &dyn Fn(&str) -> String) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..p.funcs.len())
        .filter(|&i| p.stats[i].stats.calls > 0 || p.stats[i].stats.tottime > 0.0)
        .collect();
    let name = |i: usize| std_name(&p.funcs[i], &display(&p.funcs[i].file));
    let s = |i: usize| p.stats[i].stats;
    idx.sort_by(|&a, &b| {
        let key = match sort {
            Sort::Cumulative => s(b).cumtime.total_cmp(&s(a).cumtime),
            Sort::Tottime => s(b).tottime.total_cmp(&s(a).tottime),
            Sort::Calls => s(b).calls.cmp(&s(a).calls),
            Sort::PrimitiveCalls => s(b).primitive.cmp(&s(a).primitive),
            Sort::Name => p.funcs[a].name.cmp(&p.funcs[b].name),
            Sort::File => (display(&p.funcs[a].file), p.funcs[a].line)
                .cmp(&(display(&p.funcs[b].file), p.funcs[b].line)),
            Sort::Line => p.funcs[a].line.cmp(&p.funcs[b].line),
        };
        key.then_with(|| name(a).cmp(&name(b)))
    });
    idx
}

fn f8(x: f64) -> String {
    format!("{x:8.3}")
}

/// The pstats-like table.
pub fn text(p: &Profile, sort: Sort, display: &dyn Fn(&str) -> String) -> String {
    let mut o = String::new();
    let _ = write!(o, "         {} function calls", p.total_calls);
    if p.total_calls != p.primitive_calls {
        let _ = write!(o, " ({} primitive calls)", p.primitive_calls);
    }
    let _ = writeln!(o, " in {:.3} seconds\n", p.total_time());
    let _ = writeln!(o, "   Ordered by: {}\n", sort.label());
    o.push_str("   ncalls  tottime  percall  cumtime  percall filename:lineno(function)\n");
    for i in order(p, sort, display) {
        let s: Stats = p.stats[i].stats;
        let mut c = s.calls.to_string();
        if s.calls != s.primitive {
            let _ = write!(c, "/{}", s.primitive);
        }
        let per_t = if s.calls == 0 {
            " ".repeat(8)
        } else {
            f8(s.tottime / s.calls as f64)
        };
        let per_c = if s.primitive == 0 {
            " ".repeat(8)
        } else {
            f8(s.cumtime / s.primitive as f64)
        };
        let _ = writeln!(
            o,
            "{c:>9} {} {per_t} {} {per_c} {}",
            f8(s.tottime),
            f8(s.cumtime),
            std_name(&p.funcs[i], &display(&p.funcs[i].file))
        );
    }
    o.push_str("\n\n");
    o
}

/// A list of `{function, file, line, calls, primitive_calls, tottime, cumtime, callers}`.
pub fn json(p: &Profile, sort: Sort, display: &dyn Fn(&str) -> String) -> String {
    let rec = |i: usize, s: &Stats| {
        let f = &p.funcs[i];
        serde_json::json!({
            "function": f.name,
            "file": if f.builtin { "~".to_owned() } else { display(&f.file) },
            "line": f.line,
            "calls": s.calls,
            "primitive_calls": s.primitive,
            "tottime": s.tottime,
            "cumtime": s.cumtime,
        })
    };
    let list: Vec<serde_json::Value> = order(p, sort, display)
        .into_iter()
        .map(|i| {
            let mut v = rec(i, &p.stats[i].stats);
            let mut callers: Vec<(&usize, &Stats)> = p.stats[i].callers.iter().collect();
            callers.sort_by(|a, b| b.1.cumtime.total_cmp(&a.1.cumtime).then(a.0.cmp(b.0)));
            v["callers"] = callers.into_iter().map(|(c, s)| rec(*c, s)).collect();
            v
        })
        .collect();
    serde_json::to_string_pretty(&list).unwrap_or_default()
}

/// A frame's label in stacks: `name (file:line)`, or the builtin's name; never a `;`.
fn label(f: &FuncInfo) -> String {
    let s = if f.builtin {
        f.name.clone()
    } else {
        let base = f.file.rsplit('/').next().unwrap_or(&f.file);
        format!("{} ({base}:{})", f.name, f.line)
    };
    s.replace(';', ",")
}

/// Folded stacks, one `a;b;c N` line per distinct stack with self time, N in microseconds,
/// sorted.
pub fn collapsed(p: &Profile) -> String {
    let mut lines: Vec<String> = (0..p.nodes.len())
        .filter_map(|n| {
            let us = (p.nodes[n].self_time * 1e6).round() as u64;
            (us > 0).then(|| {
                let names: Vec<String> =
                    p.stack_of(n).iter().map(|&f| label(&p.funcs[f])).collect();
                format!("{} {us}", names.join(";"))
            })
        })
        .collect();
    lines.sort();
    let mut o = lines.join("\n");
    if !o.is_empty() {
        o.push('\n');
    }
    o
}

/// The flame graph SVG of the folded stacks.
pub fn flamegraph(p: &Profile) -> Result<Vec<u8>, String> {
    let folded = collapsed(p);
    if folded.is_empty() {
        return Err("no time was recorded, so there is no flame graph to draw".to_owned());
    }
    let mut opts = inferno::flamegraph::Options::default();
    opts.title = "vigil profile".to_owned();
    opts.count_name = "μs".to_owned();
    let mut svg = Vec::new();
    inferno::flamegraph::from_lines(&mut opts, folded.lines(), &mut svg)
        .map_err(|e| format!("inferno could not draw the flame graph: {e}"))?;
    Ok(svg)
}

/// Trace-event JSON (begin/end pairs, microseconds).
pub fn trace_events(p: &Profile) -> String {
    let origin = p.trace.first().map_or(0.0, |e| e.ts);
    let events: Vec<serde_json::Value> = p
        .trace
        .iter()
        .map(|e| {
            let f = &p.funcs[e.func];
            let mut v = serde_json::json!({
                "name": label(f),
                "cat": if f.builtin { "builtin" } else { "python" },
                "ph": if e.begin { "B" } else { "E" },
                "ts": (e.ts - origin) * 1e6,
                "pid": 1,
                "tid": 1,
            });
            if e.begin && !f.builtin {
                v["args"] = serde_json::json!({"file": f.file, "line": f.line});
            }
            v
        })
        .collect();
    let mut doc = serde_json::json!({ "traceEvents": events, "displayTimeUnit": "ms" });
    if p.trace_truncated {
        doc["otherData"] = serde_json::json!({
            "truncated": format!("only the first {} events were kept", p.trace_limit)
        });
    }
    serde_json::to_string(&doc).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::FuncKey;

    fn sample() -> Profile {
        let mut p = Profile::new(1000);
        let info = |name: &str, line: u32| FuncInfo {
            name: name.to_owned(),
            file: "/w/prog.py".to_owned(),
            line,
            builtin: false,
        };
        let m = p.intern(FuncKey::Python(1), || info("<module>", 1));
        let fib = p.intern(FuncKey::Python(2), || info("fib", 3));
        let len = p.intern(FuncKey::Builtin("len".into()), || FuncInfo {
            name: "{built-in method len}".into(),
            file: "~".into(),
            line: 0,
            builtin: true,
        });
        // Ticks of 0.1 ms, scaled to seconds below as `finish` does.
        p.py_start(m, 0);
        p.py_start(fib, 10);
        p.py_start(fib, 20);
        p.py_leave(fib, 30);
        p.py_leave(fib, 50);
        p.c_call(len, (1, 4), 60);
        p.c_leave((1, 4), 66);
        p.py_leave(m, 100);
        // As `finish` does before writing reports (it fills `callers` and the totals).
        p.close(100);
        p.scale(1e-4);
        p
    }

    fn rel(f: &str) -> String {
        f.strip_prefix("/w/").unwrap_or(f).to_owned()
    }

    #[test]
    fn text_is_pstats_shaped() {
        let t = text(&sample(), Sort::Cumulative, &rel);
        // The layout of `python3.13 -m cProfile -s cumulative` (checked on a fib program).
        let expected = concat!(
            "         4 function calls (3 primitive calls) in 0.010 seconds\n",
            "\n",
            "   Ordered by: cumulative time\n",
            "\n",
            "   ncalls  tottime  percall  cumtime  percall filename:lineno(function)\n",
            "        1    0.005    0.005    0.010    0.010 prog.py:1(<module>)\n",
            "      2/1    0.004    0.002    0.004    0.004 prog.py:3(fib)\n",
            "        1    0.001    0.001    0.001    0.001 {built-in method len}\n",
            "\n\n",
        );
        assert_eq!(t, expected);
        let by_calls = text(&sample(), Sort::Calls, &rel);
        let first_row = by_calls.lines().nth(5).unwrap();
        assert!(first_row.ends_with("prog.py:3(fib)"), "{first_row}");
        assert!("bogus".parse::<Sort>().unwrap_err().contains("`sort`"));
    }

    #[test]
    fn json_records_with_callers() {
        let v: serde_json::Value =
            serde_json::from_str(&json(&sample(), Sort::Cumulative, &rel)).unwrap();
        let fib = &v[1];
        assert_eq!(fib["function"], "fib");
        assert_eq!(fib["file"], "prog.py");
        assert_eq!(fib["line"], 3);
        assert_eq!(fib["calls"], 2);
        assert_eq!(fib["primitive_calls"], 1);
        let callers: Vec<&str> = fib["callers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["function"].as_str().unwrap())
            .collect();
        assert_eq!(callers, ["<module>", "fib"]);
        assert_eq!(v[2]["file"], "~");
    }

    #[test]
    fn collapsed_and_flamegraph() {
        let p = sample();
        assert_eq!(
            collapsed(&p),
            "<module> (prog.py:1) 5400\n\
             <module> (prog.py:1);fib (prog.py:3) 3000\n\
             <module> (prog.py:1);fib (prog.py:3);fib (prog.py:3) 1000\n\
             <module> (prog.py:1);{built-in method len} 600\n"
        );
        let svg = String::from_utf8(flamegraph(&p).unwrap()).unwrap();
        assert!(svg.starts_with("<?xml"));
        assert!(svg.contains("fib (prog.py:3)"));
        assert!(flamegraph(&Profile::new(0)).is_err());
    }

    #[test]
    fn trace_events_pair_up() {
        let v: serde_json::Value = serde_json::from_str(&trace_events(&sample())).unwrap();
        let evs = v["traceEvents"].as_array().unwrap();
        assert_eq!(evs.len(), 8);
        let b = evs.iter().filter(|e| e["ph"] == "B").count();
        assert_eq!(b, 4);
        assert_eq!(evs[0]["ts"], 0.0);
        assert_eq!(evs[7]["ph"], "E");
        assert!(v.get("otherData").is_none());
    }
}
