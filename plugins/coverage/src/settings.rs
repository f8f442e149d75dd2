//! The coverage tool's `[tool.settings]`: `branch` (bool), `report` (a list of `text`,
//! `text:PATH`, `lcov:PATH`, `cobertura:PATH`, `json:PATH`, `html:DIR`; default `["text"]`),
//! `include` and `omit` (globs on the file path; default: every file that ran). Errors name
//! the key. The text report goes to stderr when it has no path, so the program's stdout stays
//! exactly the program's.

/// One report to write at the end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Report {
    /// coverage.py's table; `None`: stderr.
    Text(Option<String>),
    /// LCOV tracefile.
    Lcov(String),
    /// Cobertura XML.
    Cobertura(String),
    /// coverage.py JSON.
    Json(String),
    /// HTML directory.
    Html(String),
}

/// Validated settings.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Measure branches too.
    pub branch: bool,
    /// Reports, in order.
    pub reports: Vec<Report>,
    /// Path globs a file must match (empty: all).
    pub include: Vec<String>,
    /// Path globs that exclude a file.
    pub omit: Vec<String>,
}

fn strings(key: &str, v: &toml::Value) -> Result<Vec<String>, String> {
    match v {
        toml::Value::String(s) => Ok(vec![s.clone()]),
        toml::Value::Array(a) => a
            .iter()
            .map(|x| {
                x.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| format!("`{key}`: expected strings, found {x}"))
            })
            .collect(),
        other => Err(format!(
            "`{key}`: expected a list of strings, found {other}"
        )),
    }
}

/// Parses one `report` entry.
pub fn parse_report(s: &str) -> Result<Report, String> {
    if s == "text" {
        return Ok(Report::Text(None));
    }
    let (kind, path) = s.split_once(':').unwrap_or((s, ""));
    if path.is_empty() {
        return Err(format!(
            "`report`: `{s}` needs a path (valid: text, text:PATH, lcov:PATH, cobertura:PATH, json:PATH, html:DIR)"
        ));
    }
    let p = path.to_owned();
    Ok(match kind {
        "text" => Report::Text(Some(p)),
        "lcov" => Report::Lcov(p),
        "cobertura" | "xml" => Report::Cobertura(p),
        "json" => Report::Json(p),
        "html" => Report::Html(p),
        _ => {
            return Err(format!(
                "`report`: unknown report `{kind}` (valid: text, lcov, cobertura, json, html)"
            ));
        }
    })
}

impl Settings {
    /// Parses the settings TOML.
    pub fn parse(text: &str) -> Result<Settings, String> {
        let table: toml::Table = text.parse().map_err(|e| format!("settings: {e}"))?;
        let mut s = Settings {
            branch: false,
            reports: vec![Report::Text(None)],
            include: Vec::new(),
            omit: Vec::new(),
        };
        for (key, v) in &table {
            match key.as_str() {
                "branch" => {
                    s.branch = v
                        .as_bool()
                        .ok_or_else(|| format!("`branch`: expected true or false, found {v}"))?;
                }
                "report" => {
                    s.reports = strings(key, v)?
                        .iter()
                        .map(|r| parse_report(r))
                        .collect::<Result<_, _>>()?;
                }
                "include" => s.include = strings(key, v)?,
                "omit" => s.omit = strings(key, v)?,
                other => {
                    return Err(format!(
                        "unknown setting `{other}` (valid: branch, report, include, omit)"
                    ));
                }
            }
        }
        Ok(s)
    }

    /// Whether a file is reported.
    pub fn wants_file(&self, path: &str) -> bool {
        (self.include.is_empty() || self.include.iter().any(|g| glob_match(g, path)))
            && !self.omit.iter().any(|g| glob_match(g, path))
    }
}

pub use vigil_plugin_api::glob::glob_match;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_reports() {
        let s = Settings::parse(
            "branch = true\nreport = [\"text\", \"lcov:a.lcov\", \"cobertura:c.xml\", \"json:c.json\", \"html:out\"]",
        )
        .unwrap();
        assert!(s.branch);
        assert_eq!(
            s.reports,
            vec![
                Report::Text(None),
                Report::Lcov("a.lcov".into()),
                Report::Cobertura("c.xml".into()),
                Report::Json("c.json".into()),
                Report::Html("out".into())
            ]
        );
        assert_eq!(
            Settings::parse("").unwrap().reports,
            vec![Report::Text(None)]
        );
    }

    #[test]
    fn errors_name_the_key() {
        assert!(
            Settings::parse("report = [\"lcov\"]")
                .unwrap_err()
                .contains("needs a path")
        );
        assert!(
            Settings::parse("report = [\"pdf:x\"]")
                .unwrap_err()
                .contains("pdf")
        );
        assert!(
            Settings::parse("branch = 1")
                .unwrap_err()
                .contains("`branch`")
        );
        assert!(
            Settings::parse("brnch = true")
                .unwrap_err()
                .contains("`brnch`")
        );
    }

    #[test]
    fn include_and_omit() {
        let s = Settings::parse("include = [\"/src/*\"]\nomit = [\"*_test.py\"]").unwrap();
        assert!(s.wants_file("/src/a.py"));
        assert!(!s.wants_file("/src/a_test.py"));
        assert!(!s.wants_file("/lib/a.py"));
    }
}
