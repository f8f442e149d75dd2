//! The coverage report writers: `text` (coverage.py's table), `lcov`, `cobertura` (XML),
//! `json` (coverage.py's layout) and `html` (an index and one annotated page per file). Each
//! renders [`FileCoverage`] results to a string (or, for html, a set of files); the caller
//! writes them and collects failures so that one failing report does not stop the others.
//! Layouts were checked against coverage.py 7.17's output for the same programs.

use std::fmt::Write as _;

use crate::analysis::{FileCoverage, Numbers, display_percent};

/// A file's numbers, with the branch columns zeroed when branches are not measured.
pub fn nums(f: &FileCoverage, branch: bool) -> Numbers {
    let mut n = f.numbers();
    if !branch {
        n.branches = 0;
        n.taken = 0;
        n.partial = 0;
    }
    n
}

/// Totals over all files.
pub fn totals(files: &[FileCoverage], branch: bool) -> Numbers {
    let mut t = Numbers::default();
    for f in files {
        t.add(&nums(f, branch));
    }
    t
}

/// coverage.py's `report -m` table (the text report).
pub fn text(files: &[FileCoverage], branch: bool) -> String {
    let mut header = vec!["Name", "Stmts", "Miss"];
    if branch {
        header.extend(["Branch", "BrPart"]);
    }
    header.extend(["Cover", "Missing"]);
    let row = |name: &str, n: &Numbers, missing: String| -> Vec<String> {
        let mut v = vec![
            name.to_owned(),
            n.statements.to_string(),
            n.missing().to_string(),
        ];
        if branch {
            v.push(n.branches.to_string());
            v.push(n.partial.to_string());
        }
        v.push(display_percent(n.percent()));
        v.push(missing);
        v
    };
    let rows: Vec<Vec<String>> = files
        .iter()
        .map(|f| row(&f.name, &nums(f, branch), f.missing_formatted(branch)))
        .collect();
    let total = row("TOTAL", &totals(files, branch), String::new());
    let cover = header.len() - 2;
    let max_name = rows.iter().map(|r| r[0].len()).max().unwrap_or(0).max(5) + 1;
    let mut max_n = (total[cover].len() + 2).max(" Cover".len()) + 1;
    for r in &rows {
        max_n = max_n.max(r[cover].len() + 2);
    }
    let cell = |i: usize, s: &str, head: bool| -> String {
        match header[i] {
            "Name" => format!("{s:<max_name$}"),
            "Cover" if head => format!("{s:>max_n$}"),
            "Cover" => format!("{s:>w$}%", w = max_n - 1),
            "Missing" if head => format!("{s:>10}"),
            "Missing" => format!("   {s:9}"),
            _ => format!("{s:>7}"),
        }
    };
    let line = |r: &[String], head: bool| -> String {
        let s: String = r
            .iter()
            .enumerate()
            .map(|(i, v)| cell(i, v, head))
            .collect();
        s.trim_end().to_owned()
    };
    let head: Vec<String> = header.iter().map(|s| (*s).to_owned()).collect();
    let head = line(&head, true);
    let rule = "-".repeat(head.len());
    let mut out = format!("{head}\n{rule}\n");
    for r in &rows {
        out.push_str(&line(r, false));
        out.push('\n');
    }
    if !rows.is_empty() {
        out.push_str(&rule);
        out.push('\n');
    }
    out.push_str(&line(&total, false));
    out.push('\n');
    out
}

/// LCOV tracefile (genhtml's input), in coverage.py's record order.
pub fn lcov(files: &[FileCoverage], branch: bool) -> String {
    let mut o = String::new();
    for f in files {
        let _ = writeln!(o, "SF:{}", f.name);
        for l in &f.statements {
            let _ = writeln!(o, "DA:{l},{}", u8::from(f.executed.contains(l)));
        }
        let _ = writeln!(o, "LF:{}", f.statements.len());
        let _ = writeln!(o, "LH:{}", f.executed.len());
        for func in &f.functions {
            let _ = writeln!(o, "FN:{},{},{}", func.first_line, func.last_line, func.name);
            let _ = writeln!(o, "FNDA:{},{}", u8::from(func.hit), func.name);
        }
        if !f.functions.is_empty() {
            let _ = writeln!(o, "FNF:{}", f.functions.len());
            let _ = writeln!(o, "FNH:{}", f.functions.iter().filter(|x| x.hit).count());
        }
        if branch {
            let n = nums(f, branch);
            for (line, dests) in &f.arcs {
                let any = dests.values().any(|t| *t);
                let mut ds: Vec<(&i64, &bool)> = dests.iter().collect();
                // Exits after normal destinations, as coverage.py orders them.
                ds.sort_by_key(|(d, _)| (**d < 0, **d));
                for (d, taken) in ds {
                    let what = if *d < 0 {
                        "jump to the function exit".to_owned()
                    } else {
                        format!("jump to line {d}")
                    };
                    let hit = if !any {
                        "-"
                    } else if *taken {
                        "1"
                    } else {
                        "0"
                    };
                    let _ = writeln!(o, "BRDA:{line},0,{what},{hit}");
                }
            }
            if n.branches > 0 {
                let _ = writeln!(o, "BRF:{}", n.branches);
                let _ = writeln!(o, "BRH:{}", n.taken);
            }
        }
        o.push_str("end_of_record\n");
    }
    o
}

/// Cobertura's `rate`: "0" and "1" only when exact, else 4 significant digits.
pub fn rate(hit: usize, num: usize) -> String {
    if num == 0 || hit == num {
        return "1".to_owned();
    }
    if hit == 0 {
        return "0".to_owned();
    }
    let frac = (hit as f64 / num as f64).clamp(0.0001, 0.9999);
    // Python's "%.4g" for a value in [0.0001, 1): fixed notation, 4 significant digits,
    // trailing zeros dropped.
    let decimals = (3 - frac.log10().floor() as i32).max(0) as usize;
    let s = format!("{frac:.decimals$}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_owned()
}

fn xml_escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// Cobertura XML as coverage.py writes it (one package per directory, one class per file).
pub fn cobertura(files: &[FileCoverage], branch: bool, source: &str, timestamp_ms: u128) -> String {
    let t = totals(files, branch);
    let (bv, bc) = if branch {
        (t.branches, t.taken)
    } else {
        (0, 0)
    };
    let mut o = String::from("<?xml version=\"1.0\" ?>\n");
    let _ = writeln!(
        o,
        "<coverage version=\"{}\" timestamp=\"{timestamp_ms}\" lines-valid=\"{}\" lines-covered=\"{}\" line-rate=\"{}\" branches-valid=\"{bv}\" branches-covered=\"{bc}\" branch-rate=\"{}\" complexity=\"0\">",
        env!("CARGO_PKG_VERSION"),
        t.statements,
        t.executed,
        rate(t.executed, t.statements),
        if branch { rate(bc, bv) } else { "0".to_owned() },
    );
    let _ = writeln!(o, "\t<!-- Generated by vigil-coverage -->");
    let _ = writeln!(
        o,
        "\t<!-- Based on https://raw.githubusercontent.com/cobertura/web/master/htdocs/xml/coverage-04.dtd -->"
    );
    let _ = writeln!(
        o,
        "\t<sources>\n\t\t<source>{}</source>\n\t</sources>",
        xml_escape(source)
    );
    o.push_str("\t<packages>\n");
    // Files grouped by directory, in name order.
    let mut packages: Vec<(String, Vec<&FileCoverage>)> = Vec::new();
    for f in files {
        let dir = match f.name.rfind('/') {
            Some(i) => f.name[..i].replace('/', "."),
            None => ".".to_owned(),
        };
        match packages.iter_mut().find(|(d, _)| *d == dir) {
            Some((_, v)) => v.push(f),
            None => packages.push((dir, vec![f])),
        }
    }
    packages.sort_by(|a, b| a.0.cmp(&b.0));
    for (pkg, fs) in packages {
        let mut pn = Numbers::default();
        for f in &fs {
            pn.add(&nums(f, branch));
        }
        let br = |n: &Numbers| {
            if branch {
                rate(n.taken, n.branches)
            } else {
                "0".to_owned()
            }
        };
        let _ = writeln!(
            o,
            "\t\t<package name=\"{}\" line-rate=\"{}\" branch-rate=\"{}\" complexity=\"0\">\n\t\t\t<classes>",
            xml_escape(&pkg),
            rate(pn.executed, pn.statements),
            br(&pn)
        );
        for f in fs {
            let n = nums(f, branch);
            let base = f.name.rsplit('/').next().unwrap_or(&f.name);
            let _ = writeln!(
                o,
                "\t\t\t\t<class name=\"{}\" filename=\"{}\" complexity=\"0\" line-rate=\"{}\" branch-rate=\"{}\">\n\t\t\t\t\t<methods/>\n\t\t\t\t\t<lines>",
                xml_escape(base),
                xml_escape(&f.name),
                rate(n.executed, n.statements),
                br(&n)
            );
            let missing_arcs = f.missing_arcs();
            for l in &f.statements {
                let _ = write!(
                    o,
                    "\t\t\t\t\t\t<line number=\"{l}\" hits=\"{}\"",
                    u8::from(f.executed.contains(l))
                );
                if branch && let Some(d) = f.arcs.get(l) {
                    let total = d.len();
                    let taken = d.values().filter(|t| **t).count();
                    let _ = write!(
                        o,
                        " branch=\"true\" condition-coverage=\"{}% ({taken}/{total})\"",
                        100 * taken / total
                    );
                }
                if branch && let Some(m) = missing_arcs.get(l) {
                    let ann: Vec<String> = m
                        .iter()
                        .map(|d| {
                            if *d < 0 {
                                "exit".to_owned()
                            } else {
                                d.to_string()
                            }
                        })
                        .collect();
                    let _ = write!(o, " missing-branches=\"{}\"", ann.join(","));
                }
                o.push_str("/>\n");
            }
            o.push_str("\t\t\t\t\t</lines>\n\t\t\t\t</class>\n");
        }
        o.push_str("\t\t\t</classes>\n\t\t</package>\n");
    }
    o.push_str("\t</packages>\n</coverage>\n");
    o
}

fn summary(n: &Numbers, branch: bool) -> serde_json::Value {
    let mut s = serde_json::json!({
        "covered_lines": n.executed,
        "num_statements": n.statements,
        "percent_covered": n.percent(),
        "percent_covered_display": display_percent(n.percent()),
        "missing_lines": n.missing(),
        "excluded_lines": 0,
        "percent_statements_covered": n.percent_statements(),
        "percent_statements_covered_display": display_percent(n.percent_statements()),
    });
    if branch {
        s["num_branches"] = n.branches.into();
        s["num_partial_branches"] = n.partial.into();
        s["covered_branches"] = n.taken.into();
        s["missing_branches"] = n.missing_branches().into();
        s["percent_branches_covered"] = n.percent_branches().into();
        s["percent_branches_covered_display"] = display_percent(n.percent_branches()).into();
    }
    s
}

/// coverage.py's JSON report (format 3): meta, files (executed/missing lines, branches,
/// summary), totals.
pub fn json(files: &[FileCoverage], branch: bool, timestamp: &str) -> String {
    let mut fmap = serde_json::Map::new();
    for f in files {
        let mut e = serde_json::json!({
            "executed_lines": f.executed,
            "summary": summary(&nums(f, branch), branch),
            "missing_lines": f.missing,
            "excluded_lines": [],
        });
        if branch {
            let mut exec = Vec::new();
            let mut miss = Vec::new();
            for (l, d) in &f.arcs {
                for (to, taken) in d {
                    if *taken {
                        exec.push([i64::from(*l), *to]);
                    } else {
                        miss.push([i64::from(*l), *to]);
                    }
                }
            }
            e["executed_branches"] = serde_json::json!(exec);
            e["missing_branches"] = serde_json::json!(miss);
        }
        fmap.insert(f.name.clone(), e);
    }
    let doc = serde_json::json!({
        "meta": {
            "format": 3,
            "version": concat!("vigil-coverage ", env!("CARGO_PKG_VERSION")),
            "timestamp": timestamp,
            "branch_coverage": branch,
            "show_contexts": false,
        },
        "files": fmap,
        "totals": summary(&totals(files, branch), branch),
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

/// The html report: `(file name, contents)` pairs, `index.html` first. `source` reads a
/// file's text (`None` when it cannot be read: the page says so).
pub fn html(
    files: &[FileCoverage],
    branch: bool,
    source: &dyn Fn(&str) -> Option<String>,
) -> Vec<(String, String)> {
    const STYLE: &str = "body{font-family:sans-serif;margin:1em 2em}table{border-collapse:collapse}\
td,th{padding:2px 8px;text-align:right}td.name,th.name{text-align:left}\
pre{margin:0}.src td{text-align:left;font-family:monospace;white-space:pre;padding:0 6px}\
.run{background:#dfd}.mis{background:#fdd}.par{background:#ffd}.n{color:#888;text-align:right}";
    let page_name = |f: &FileCoverage| {
        let mut s: String = f
            .name
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        s.push_str(".html");
        s
    };
    let mut pages = Vec::new();
    let mut index = format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Coverage report</title><style>{STYLE}</style></head><body>\n<h1>Coverage report: {}%</h1>\n<table>\n<tr><th class=\"name\">Module</th><th>statements</th><th>missing</th>{}<th>coverage</th></tr>\n",
        display_percent(totals(files, branch).percent()),
        if branch {
            "<th>branches</th><th>partial</th>"
        } else {
            ""
        }
    );
    for f in files {
        let n = nums(f, branch);
        let _ = writeln!(
            index,
            "<tr><td class=\"name\"><a href=\"{}\">{}</a></td><td>{}</td><td>{}</td>{}<td>{}%</td></tr>",
            page_name(f),
            xml_escape(&f.name),
            n.statements,
            n.missing(),
            if branch {
                format!("<td>{}</td><td>{}</td>", n.branches, n.partial)
            } else {
                String::new()
            },
            display_percent(n.percent())
        );
        let mut page = format!(
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Coverage for {0}</title><style>{STYLE}</style></head><body>\n<h1>Coverage for {0}: {1}%</h1>\n<p>{2} statements, {3} run, {4} missing{5}. <a href=\"index.html\">index</a></p>\n",
            xml_escape(&f.name),
            display_percent(n.percent()),
            n.statements,
            n.executed,
            n.missing(),
            if branch {
                format!(", {} partial branches", n.partial)
            } else {
                String::new()
            }
        );
        let missing_arcs = f.missing_arcs();
        match source(&f.path) {
            Some(text) => {
                page.push_str("<table class=\"src\">\n");
                for (i, l) in text.lines().enumerate() {
                    let no = (i + 1) as u32;
                    let (class, note) = if f.missing.contains(&no) {
                        ("mis", String::new())
                    } else if branch && let Some(m) = missing_arcs.get(&no) {
                        let ds: Vec<String> = m
                            .iter()
                            .map(|d| if *d < 0 { "exit".into() } else { d.to_string() })
                            .collect();
                        ("par", format!("  # never jumped to {}", ds.join(", ")))
                    } else if f.executed.contains(&no) {
                        ("run", String::new())
                    } else {
                        ("", String::new())
                    };
                    let _ = writeln!(
                        page,
                        "<tr class=\"{class}\"><td class=\"n\">{no}</td><td>{}{}</td></tr>",
                        xml_escape(l),
                        xml_escape(&note)
                    );
                }
                page.push_str("</table>\n");
            }
            None => {
                let _ = writeln!(
                    page,
                    "<p>The source of {} could not be read; missing lines: {}</p>",
                    xml_escape(&f.path),
                    xml_escape(&f.missing_formatted(branch))
                );
            }
        }
        page.push_str("</body></html>\n");
        pages.push((page_name(f), page));
    }
    index.push_str("</table>\n</body></html>\n");
    pages.insert(0, ("index.html".to_owned(), index));
    pages
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};

    /// prog.py from the crate tests (coverage.py 7.17, `--branch`): statements
    /// 1,2,3,4,6,7,8,10,11,12; missing 7,8; branches at 2 (->3, ->4) and 10 (->11, ->12),
    /// all taken; functions f (1-4, run) and never (6-8, not run).
    fn prog() -> FileCoverage {
        let statements: BTreeSet<u32> = [1, 2, 3, 4, 6, 7, 8, 10, 11, 12].into();
        let missing: BTreeSet<u32> = [7, 8].into();
        FileCoverage {
            path: "/tmp/covt/prog.py".into(),
            name: "prog.py".into(),
            executed: statements.difference(&missing).copied().collect(),
            statements,
            missing,
            arcs: BTreeMap::from([
                (2, BTreeMap::from([(3, true), (4, true)])),
                (10, BTreeMap::from([(11, true), (12, true)])),
            ]),
            functions: vec![
                crate::analysis::Function {
                    name: "f".into(),
                    first_line: 1,
                    last_line: 4,
                    hit: true,
                },
                crate::analysis::Function {
                    name: "never".into(),
                    first_line: 6,
                    last_line: 8,
                    hit: false,
                },
            ],
        }
    }

    /// p2.py from the analysis tests (coverage.py 7.17, `--branch`): two partial branches.
    fn p2() -> FileCoverage {
        let statements: BTreeSet<u32> = [1, 2, 3, 5, 6, 7, 8, 9, 10].into();
        let missing: BTreeSet<u32> = [5, 7].into();
        FileCoverage {
            path: "/tmp/covt/p2.py".into(),
            name: "p2.py".into(),
            executed: statements.difference(&missing).copied().collect(),
            statements,
            missing,
            arcs: BTreeMap::from([
                (2, BTreeMap::from([(3, true), (5, false)])),
                (6, BTreeMap::from([(7, false), (8, true)])),
            ]),
            functions: vec![],
        }
    }

    #[test]
    fn partial_branches_match_coverage_py() {
        let f = [p2()];
        assert_eq!(
            text(&f, true).lines().nth(2).unwrap(),
            "p2.py       9      2      4      2    69%   5, 7"
        );
        let x = cobertura(&f, true, "/tmp/covt", 1);
        assert!(x.contains("<line number=\"2\" hits=\"1\" branch=\"true\" condition-coverage=\"50% (1/2)\" missing-branches=\"5\"/>"), "{x}");
        assert!(x.contains("<line number=\"6\" hits=\"1\" branch=\"true\" condition-coverage=\"50% (1/2)\" missing-branches=\"7\"/>"));
        assert!(x.contains("line-rate=\"0.7778\" branches-valid=\"4\" branches-covered=\"2\" branch-rate=\"0.5\""), "{x}");
        let l = lcov(&f, true);
        assert!(l.contains("BRDA:2,0,jump to line 3,1\nBRDA:2,0,jump to line 5,0\nBRDA:6,0,jump to line 7,0\nBRDA:6,0,jump to line 8,1\nBRF:4\nBRH:2\n"), "{l}");
        let j: serde_json::Value = serde_json::from_str(&json(&f, true, "t")).unwrap();
        let file = &j["files"]["p2.py"];
        assert_eq!(
            file["executed_branches"],
            serde_json::json!([[2, 3], [6, 8]])
        );
        assert_eq!(
            file["missing_branches"],
            serde_json::json!([[2, 5], [6, 7]])
        );
        assert_eq!(file["summary"]["num_partial_branches"], 2);
        assert_eq!(file["summary"]["percent_covered_display"], "69");
    }

    #[test]
    fn text_report_matches_coverage_py() {
        let f = [prog()];
        assert_eq!(
            text(&f, true),
            "Name      Stmts   Miss Branch BrPart  Cover   Missing\n\
             -----------------------------------------------------\n\
             prog.py      10      2      4      0    86%   7-8\n\
             -----------------------------------------------------\n\
             TOTAL        10      2      4      0    86%\n"
        );
        assert_eq!(
            text(&f, false),
            "Name      Stmts   Miss  Cover   Missing\n\
             ---------------------------------------\n\
             prog.py      10      2    80%   7-8\n\
             ---------------------------------------\n\
             TOTAL        10      2    80%\n"
        );
    }

    #[test]
    fn lcov_matches_coverage_py() {
        let expected = "SF:prog.py\nDA:1,1\nDA:2,1\nDA:3,1\nDA:4,1\nDA:6,1\nDA:7,0\nDA:8,0\nDA:10,1\n\
DA:11,1\nDA:12,1\nLF:10\nLH:8\nFN:1,4,f\nFNDA:1,f\nFN:6,8,never\nFNDA:0,never\nFNF:2\nFNH:1\n\
BRDA:2,0,jump to line 3,1\nBRDA:2,0,jump to line 4,1\nBRDA:10,0,jump to line 11,1\n\
BRDA:10,0,jump to line 12,1\nBRF:4\nBRH:4\nend_of_record\n";
        assert_eq!(lcov(&[prog()], true), expected);
    }

    #[test]
    fn cobertura_rates_and_lines() {
        assert_eq!(rate(8, 10), "0.8");
        assert_eq!(rate(2, 3), "0.6667");
        assert_eq!(rate(1, 30000), "0.0001");
        assert_eq!(rate(0, 3), "0");
        assert_eq!(rate(3, 3), "1");
        assert_eq!(rate(0, 0), "1");
        let x = cobertura(&[prog()], true, "/tmp/covt", 1);
        assert!(x.contains("lines-valid=\"10\" lines-covered=\"8\" line-rate=\"0.8\" branches-valid=\"4\" branches-covered=\"4\" branch-rate=\"1\""), "{x}");
        assert!(
            x.contains("<package name=\".\" line-rate=\"0.8\" branch-rate=\"1\" complexity=\"0\">")
        );
        assert!(x.contains("<class name=\"prog.py\" filename=\"prog.py\" complexity=\"0\" line-rate=\"0.8\" branch-rate=\"1\">"));
        assert!(x.contains(
            "<line number=\"2\" hits=\"1\" branch=\"true\" condition-coverage=\"100% (2/2)\"/>"
        ));
        assert!(x.contains("<line number=\"7\" hits=\"0\"/>"));
        assert!(x.ends_with("</packages>\n</coverage>\n"));
    }

    #[test]
    fn json_layout_matches_coverage_py() {
        let j: serde_json::Value = serde_json::from_str(&json(&[prog()], true, "t")).unwrap();
        let keys: Vec<&String> = j.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["meta", "files", "totals"]);
        assert_eq!(j["meta"]["format"], 3);
        assert_eq!(j["meta"]["branch_coverage"], true);
        let f = &j["files"]["prog.py"];
        assert_eq!(
            f["executed_lines"],
            serde_json::json!([1, 2, 3, 4, 6, 10, 11, 12])
        );
        assert_eq!(f["missing_lines"], serde_json::json!([7, 8]));
        assert_eq!(
            f["executed_branches"],
            serde_json::json!([[2, 3], [2, 4], [10, 11], [10, 12]])
        );
        let s = &f["summary"];
        assert_eq!(s["covered_lines"], 8);
        assert_eq!(s["percent_covered"], 85.71428571428571);
        assert_eq!(s["percent_covered_display"], "86");
        assert_eq!(s["percent_statements_covered"], 80.0);
        assert_eq!(s["num_branches"], 4);
        assert_eq!(s["missing_branches"], 0);
        assert_eq!(j["totals"], *s);
        let nb: serde_json::Value = serde_json::from_str(&json(&[prog()], false, "t")).unwrap();
        assert!(nb["totals"].get("num_branches").is_none());
        assert_eq!(nb["totals"]["percent_covered"], 80.0);
    }

    #[test]
    fn html_has_an_index_and_annotated_pages() {
        let src = "def f(x):\n    if x > 0:\n        return 1\n    return 2\n\ndef never():\n    a = 1\n    return a\n";
        let pages = html(&[prog()], true, &|_| Some(src.to_owned()));
        assert_eq!(pages[0].0, "index.html");
        assert!(pages[0].1.contains("<a href=\"prog_py.html\">prog.py</a>"));
        let page = &pages[1].1;
        assert!(page.contains("<tr class=\"mis\"><td class=\"n\">7</td><td>    a = 1</td></tr>"));
        assert!(
            page.contains("<tr class=\"run\"><td class=\"n\">2</td><td>    if x &gt; 0:</td></tr>")
        );
        let unreadable = html(&[prog()], false, &|_| None);
        assert!(unreadable[1].1.contains("could not be read"));
    }
}
