//! The profiler's `[tool.settings]`: `report` (a list of `text`, `text:PATH`, `json:PATH`,
//! `collapsed:PATH`, `flamegraph:PATH`, `chrome:PATH`, `speedscope:PATH`; default
//! `["text"]`), `sort` (pstats' keys; default `cumulative`), `trace_limit` (the most begin/end
//! events kept for the trace-event reports; default 1,000,000). The text report goes to stderr
//! when it has no path, so the program's stdout is untouched. Errors name the key.

use crate::report::Sort;

/// One report to write at the end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Report {
    /// pstats-like table; `None`: stderr.
    Text(Option<String>),
    /// JSON records.
    Json(String),
    /// Folded stacks.
    Collapsed(String),
    /// Flame graph SVG.
    Flamegraph(String),
    /// Trace-event JSON (also what `speedscope:` writes: speedscope imports it).
    Trace(String),
}

/// Validated settings.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Reports, in order.
    pub reports: Vec<Report>,
    /// Table order.
    pub sort: Sort,
    /// Trace event cap.
    pub trace_limit: usize,
}

/// Parses one `report` entry.
pub fn parse_report(s: &str) -> Result<Report, String> {
    if s == "text" {
        return Ok(Report::Text(None));
    }
    let (kind, path) = s.split_once(':').unwrap_or((s, ""));
    if path.is_empty() {
        return Err(format!(
            "`report`: `{s}` needs a path (valid: text, text:PATH, json:PATH, collapsed:PATH, flamegraph:PATH, chrome:PATH, speedscope:PATH)"
        ));
    }
    let p = path.to_owned();
    Ok(match kind {
        "text" => Report::Text(Some(p)),
        "json" => Report::Json(p),
        "collapsed" => Report::Collapsed(p),
        "flamegraph" => Report::Flamegraph(p),
        "chrome" | "speedscope" => Report::Trace(p),
        _ => {
            return Err(format!(
                "`report`: unknown report `{kind}` (valid: text, json, collapsed, flamegraph, chrome, speedscope)"
            ));
        }
    })
}

impl Settings {
    /// Parses the settings TOML.
    pub fn parse(text: &str) -> Result<Settings, String> {
        let table: toml::Table = text.parse().map_err(|e| format!("settings: {e}"))?;
        let mut s = Settings {
            reports: vec![Report::Text(None)],
            sort: Sort::Cumulative,
            trace_limit: 1_000_000,
        };
        for (key, v) in &table {
            match key.as_str() {
                "report" => {
                    let items: Vec<&str> = match v {
                        toml::Value::String(x) => vec![x.as_str()],
                        toml::Value::Array(a) => a
                            .iter()
                            .map(|x| {
                                x.as_str()
                                    .ok_or_else(|| format!("`report`: expected strings, found {x}"))
                            })
                            .collect::<Result<_, _>>()?,
                        other => return Err(format!("`report`: expected a list, found {other}")),
                    };
                    s.reports = items
                        .into_iter()
                        .map(parse_report)
                        .collect::<Result<_, _>>()?;
                }
                "sort" => {
                    s.sort = v
                        .as_str()
                        .ok_or_else(|| format!("`sort`: expected a string, found {v}"))?
                        .parse()?;
                }
                "trace_limit" => {
                    s.trace_limit = v
                        .as_integer()
                        .and_then(|n| usize::try_from(n).ok())
                        .ok_or_else(|| format!("`trace_limit`: expected a count, found {v}"))?;
                }
                other => {
                    return Err(format!(
                        "unknown setting `{other}` (valid: report, sort, trace_limit)"
                    ));
                }
            }
        }
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses() {
        let s = Settings::parse(
            "report = [\"text\", \"json:p.json\", \"collapsed:p.folded\", \"flamegraph:p.svg\", \"speedscope:p.trace.json\"]\nsort = \"tottime\"",
        )
        .unwrap();
        assert_eq!(s.sort, Sort::Tottime);
        assert_eq!(s.reports.len(), 5);
        assert_eq!(s.reports[4], Report::Trace("p.trace.json".into()));
    }

    #[test]
    fn errors_name_the_key() {
        assert!(
            Settings::parse("sort = \"fast\"")
                .unwrap_err()
                .contains("`sort`")
        );
        assert!(
            Settings::parse("report = [\"svg:x\"]")
                .unwrap_err()
                .contains("svg")
        );
        assert!(
            Settings::parse("trace_limit = -1")
                .unwrap_err()
                .contains("`trace_limit`")
        );
        assert!(Settings::parse("x = 1").unwrap_err().contains("`x`"));
    }
}
