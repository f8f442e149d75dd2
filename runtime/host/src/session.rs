//! Session files: TOML text → a validated [`SessionConfig`], with every error pinned to the
//! file, line and key it comes from.
//!
//! The document is read twice: once with spans (`toml::de::DeTable`) to check every key and
//! type and to know lines, once as a plain `toml::Table` to re-serialise each `[tool.settings]`
//! table for the plugin. This module checks shape only (keys, types, id range, duplicate ids);
//! whether a plugin exists and accepts its settings is the loader's and the plugin's business.

use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::Spanned;
use toml::de::{DeTable, DeValue};
use vigil_plugin_api::ToolId;

use crate::error::{ConfigError, ConfigErrorKind};

/// Where a tool's library comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ToolSource {
    /// `plugin = "NAME"`: `libvigil_NAME.so` on the search path.
    Plugin(String),
    /// `path = "…"`: exactly this file (relative paths are relative to the session file).
    Path(PathBuf),
}

impl ToolSource {
    /// How the user named it, for messages.
    pub fn describe(&self) -> String {
        match self {
            ToolSource::Plugin(name) => format!("plugin `{name}`"),
            ToolSource::Path(path) => format!("`{}`", path.display()),
        }
    }
}

/// The id a tool asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdRequest {
    /// A fixed id.
    Fixed(ToolId),
    /// `id = "auto"` (or no id): the lowest id nobody else asked for.
    Auto,
}

/// Where a setting was written, for error messages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    /// The session file, or `<command line>`.
    pub file: PathBuf,
    /// 1-based line, if known.
    pub line: Option<usize>,
}

const COMMAND_LINE: &str = "<command line>";

impl Origin {
    /// The command line as an origin.
    pub fn command_line() -> Origin {
        Origin {
            file: PathBuf::from(COMMAND_LINE),
            line: None,
        }
    }

    /// The key to blame in a message: `session_key` for a session entry, `--tool` for a flag.
    pub fn key(&self, session_key: &str) -> String {
        if self.line.is_none() && self.file.as_os_str() == COMMAND_LINE {
            "--tool".to_owned()
        } else {
            session_key.to_owned()
        }
    }
}

/// One `[[tool]]` entry (or one `--tool` flag).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ToolSpec {
    /// Where the library is.
    pub source: ToolSource,
    /// The requested id.
    pub id: IdRequest,
    /// `[tool.settings]` as TOML text, handed to the plugin's `create` (empty if absent).
    pub settings: String,
    /// Where the entry was written.
    pub origin: Origin,
}

/// A parsed session file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SessionConfig {
    /// The file it was read from.
    pub file: PathBuf,
    /// `[session] plugin_dirs`, already resolved against the session file's folder.
    pub plugin_dirs: Vec<PathBuf>,
    /// The tools, in file order.
    pub tools: Vec<ToolSpec>,
}

/// Reads and parses a session file.
pub fn load_session_file(path: &Path) -> Result<SessionConfig, Vec<ConfigError>> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        vec![ConfigError::new(
            path,
            None,
            None,
            ConfigErrorKind::Unreadable(e.to_string()),
        )]
    })?;
    parse_session(path, &text)
}

/// Parses session text; `file` is used for messages and to resolve relative paths.
pub fn parse_session(file: &Path, text: &str) -> Result<SessionConfig, Vec<ConfigError>> {
    let mut p = Parser {
        file,
        text,
        errors: Vec::new(),
    };
    let config = p.document();
    // Keys are visited in table order, not file order; report in file order.
    p.errors.sort_by_key(|e| e.line);
    if p.errors.is_empty() {
        Ok(config.expect("no errors means a config"))
    } else {
        Err(p.errors)
    }
}

struct Parser<'a> {
    file: &'a Path,
    text: &'a str,
    errors: Vec<ConfigError>,
}

fn type_name(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a datetime",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

impl Parser<'_> {
    fn line_of(&self, span: &Range<usize>) -> usize {
        let end = span.start.min(self.text.len());
        self.text[..end].bytes().filter(|&b| b == b'\n').count() + 1
    }

    fn err(&mut self, span: Option<&Range<usize>>, key: Option<&str>, kind: ConfigErrorKind) {
        let line = span.map(|s| self.line_of(s));
        self.errors.push(ConfigError::new(
            self.file,
            line,
            key.map(str::to_owned),
            kind,
        ));
    }

    fn base_dir(&self) -> PathBuf {
        self.file
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default()
    }

    fn document(&mut self) -> Option<SessionConfig> {
        let root = match DeTable::parse(self.text) {
            Ok(root) => root,
            Err(e) => {
                let span = e.span();
                let message = e.message().trim().to_owned();
                self.err(span.as_ref(), None, ConfigErrorKind::Syntax(message));
                return None;
            }
        };
        // The serde view is only needed to re-serialise settings tables; it cannot fail where
        // the spanned parse succeeded.
        let plain: toml::Table = match self.text.parse() {
            Ok(t) => t,
            Err(e) => {
                self.err(None, None, ConfigErrorKind::Syntax(e.message().to_owned()));
                return None;
            }
        };
        let mut config = SessionConfig {
            file: self.file.to_path_buf(),
            ..SessionConfig::default()
        };
        for (key, value) in root.get_ref() {
            let name: &str = key.get_ref();
            match name {
                "session" => self.session_table(key, value, &mut config),
                "tool" => self.tool_array(key, value, &plain, &mut config),
                other => self.err(
                    Some(&key.span()),
                    Some(other),
                    ConfigErrorKind::UnknownKey {
                        table: "the top level".into(),
                        valid: "session, tool",
                    },
                ),
            }
        }
        self.check_ids(&config);
        Some(config)
    }

    fn session_table(
        &mut self,
        key: &Spanned<std::borrow::Cow<'_, str>>,
        value: &Spanned<DeValue<'_>>,
        config: &mut SessionConfig,
    ) {
        let DeValue::Table(table) = value.get_ref() else {
            return self.wrong_type(key, value, "a table ([session])");
        };
        for (k, v) in table {
            let name: &str = k.get_ref();
            match name {
                "plugin_dirs" => {
                    let DeValue::Array(items) = v.get_ref() else {
                        self.wrong_type_in("session.", k, v, "an array of strings");
                        continue;
                    };
                    for item in items {
                        match item.get_ref() {
                            DeValue::String(s) => {
                                let dir = self.base_dir().join(s.as_ref());
                                config.plugin_dirs.push(dir);
                            }
                            _ => self.wrong_type_in("session.", k, item, "an array of strings"),
                        }
                    }
                }
                other => self.err(
                    Some(&k.span()),
                    Some(&format!("session.{other}")),
                    ConfigErrorKind::UnknownKey {
                        table: "[session]".into(),
                        valid: "plugin_dirs",
                    },
                ),
            }
        }
    }

    fn wrong_type(
        &mut self,
        key: &Spanned<std::borrow::Cow<'_, str>>,
        value: &Spanned<DeValue<'_>>,
        expected: &'static str,
    ) {
        self.wrong_type_in("", key, value, expected);
    }

    fn wrong_type_in(
        &mut self,
        table: &str,
        key: &Spanned<std::borrow::Cow<'_, str>>,
        value: &Spanned<DeValue<'_>>,
        expected: &'static str,
    ) {
        let found = type_name(value.get_ref());
        let key_name: &str = key.get_ref();
        let key_name = format!("{table}{key_name}");
        self.err(
            Some(&value.span()),
            Some(&key_name),
            ConfigErrorKind::WrongType { expected, found },
        );
    }

    fn tool_array(
        &mut self,
        key: &Spanned<std::borrow::Cow<'_, str>>,
        value: &Spanned<DeValue<'_>>,
        plain: &toml::Table,
        config: &mut SessionConfig,
    ) {
        let DeValue::Array(items) = value.get_ref() else {
            return self.wrong_type(key, value, "an array of tables ([[tool]])");
        };
        let plain_items = plain.get("tool").and_then(toml::Value::as_array);
        for (index, item) in items.iter().enumerate() {
            let DeValue::Table(table) = item.get_ref() else {
                self.wrong_type(key, item, "an array of tables ([[tool]])");
                continue;
            };
            let plain_settings = plain_items
                .and_then(|a| a.get(index))
                .and_then(|t| t.get("settings"))
                .and_then(toml::Value::as_table);
            if let Some(spec) = self.tool(item.span(), table, plain_settings) {
                config.tools.push(spec);
            }
        }
    }

    fn tool(
        &mut self,
        span: Range<usize>,
        table: &DeTable<'_>,
        plain_settings: Option<&toml::Table>,
    ) -> Option<ToolSpec> {
        let before = self.errors.len();
        let mut plugin = None;
        let mut path = None;
        let mut id = IdRequest::Auto;
        let mut settings = String::new();
        let mut names_source = false;
        for (k, v) in table {
            let name: &str = k.get_ref();
            names_source |= name == "plugin" || name == "path";
            let key = format!("tool.{name}");
            match (name, v.get_ref()) {
                ("plugin", DeValue::String(s)) => {
                    if s.is_empty() || s.contains(['/', '\\']) {
                        self.err(
                            Some(&v.span()),
                            Some(&key),
                            ConfigErrorKind::BadPluginName(s.to_string()),
                        );
                    }
                    plugin = Some(s.to_string());
                }
                ("plugin", _) => self.wrong_type_in("tool.", k, v, "a string (the plugin's name)"),
                ("path", DeValue::String(s)) => path = Some(self.base_dir().join(s.as_ref())),
                ("path", _) => self.wrong_type_in("tool.", k, v, "a string (a library file)"),
                ("id", DeValue::String(s)) if s.as_ref() == "auto" => id = IdRequest::Auto,
                ("id", DeValue::Integer(i)) => {
                    let digits = i.as_str().replace('_', "");
                    let parsed = i64::from_str_radix(&digits, i.radix()).ok();
                    match parsed
                        .and_then(|n| u32::try_from(n).ok())
                        .and_then(ToolId::new)
                    {
                        Some(tool) => id = IdRequest::Fixed(tool),
                        None => self.err(
                            Some(&v.span()),
                            Some(&key),
                            ConfigErrorKind::IdOutOfRange(i.as_str().to_owned()),
                        ),
                    }
                }
                ("id", _) => self.wrong_type_in("tool.", k, v, "an integer 0..=5 or \"auto\""),
                ("settings", DeValue::Table(_)) => {
                    settings = plain_settings.map(ToString::to_string).unwrap_or_default();
                }
                ("settings", _) => self.wrong_type_in("tool.", k, v, "a table ([tool.settings])"),
                _ => self.err(
                    Some(&k.span()),
                    Some(&key),
                    ConfigErrorKind::UnknownKey {
                        table: "[[tool]]".into(),
                        valid: "plugin, path, id, settings",
                    },
                ),
            }
        }
        let source = match (plugin, path) {
            (Some(name), None) => Some(ToolSource::Plugin(name)),
            (None, Some(path)) => Some(ToolSource::Path(path)),
            (Some(_), Some(_)) => {
                self.err(Some(&span), Some("tool"), ConfigErrorKind::PluginAndPath);
                None
            }
            (None, None) => {
                if !names_source {
                    self.err(Some(&span), Some("tool"), ConfigErrorKind::NoPlugin);
                }
                None
            }
        };
        if self.errors.len() > before {
            return None;
        }
        Some(ToolSpec {
            source: source?,
            id,
            settings,
            origin: Origin {
                file: self.file.to_path_buf(),
                line: Some(self.line_of(&span)),
            },
        })
    }

    fn check_ids(&mut self, config: &SessionConfig) {
        if let Err(e) = check_unique_ids(&config.tools) {
            self.errors.push(*e);
        }
    }
}

/// Checks that no two tools ask for the same fixed id; the error names both.
pub fn check_unique_ids(tools: &[ToolSpec]) -> Result<(), Box<ConfigError>> {
    for (i, a) in tools.iter().enumerate() {
        let IdRequest::Fixed(id) = a.id else { continue };
        if let Some(b) = tools[..i].iter().find(|b| b.id == a.id) {
            return Err(Box::new(ConfigError::new(
                &a.origin.file,
                a.origin.line,
                Some(a.origin.key("tool.id")),
                ConfigErrorKind::DuplicateId {
                    id: id.index() as u8,
                    first: format!("{} ({})", b.source.describe(), location(&b.origin)),
                    second: a.source.describe(),
                },
            )));
        }
    }
    Ok(())
}

fn location(origin: &Origin) -> String {
    match origin.line {
        Some(line) => format!("{}:{line}", origin.file.display()),
        None => origin.file.display().to_string(),
    }
}

/// Parses a `--tool NAME[=ID]` flag.
pub fn parse_tool_flag(flag: &str) -> Result<ToolSpec, Box<ConfigError>> {
    let (name, id) = match flag.split_once('=') {
        Some((name, id)) => (name, Some(id)),
        None => (flag, None),
    };
    let origin = Origin::command_line();
    let fail = |kind| {
        Box::new(ConfigError::new(
            &origin.file,
            None,
            Some("--tool".into()),
            kind,
        ))
    };
    if name.is_empty() || name.contains(['/', '\\']) {
        return Err(fail(ConfigErrorKind::BadPluginName(name.to_owned())));
    }
    let id = match id {
        None | Some("auto") => IdRequest::Auto,
        Some(text) => match text.parse::<u32>().ok().and_then(ToolId::new) {
            Some(tool) => IdRequest::Fixed(tool),
            None => return Err(fail(ConfigErrorKind::IdOutOfRange(text.to_owned()))),
        },
    };
    Ok(ToolSpec {
        source: ToolSource::Plugin(name.to_owned()),
        id,
        settings: String::new(),
        origin,
    })
}

/// Gives every `Auto` tool the lowest id no fixed tool (or earlier auto tool) has.
pub fn assign_ids(tools: &[ToolSpec]) -> Result<Vec<ToolId>, Box<ConfigError>> {
    let mut taken = [false; ToolId::COUNT];
    for t in tools {
        if let IdRequest::Fixed(id) = t.id {
            taken[id.index()] = true;
        }
    }
    let mut out = Vec::with_capacity(tools.len());
    for t in tools {
        let id = match t.id {
            IdRequest::Fixed(id) => id,
            IdRequest::Auto => {
                let Some(free) = taken.iter().position(|&t| !t) else {
                    return Err(Box::new(ConfigError::new(
                        &t.origin.file,
                        t.origin.line,
                        Some(t.origin.key("tool.id")),
                        ConfigErrorKind::NoFreeId(t.source.describe()),
                    )));
                };
                taken[free] = true;
                ToolId::new(free as u32).expect("index below COUNT")
            }
        };
        out.push(id);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<SessionConfig, Vec<String>> {
        parse_session(Path::new("/cfg/s.toml"), text)
            .map_err(|errs| errs.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn full_session() {
        let c = parse(
            r#"
[session]
plugin_dirs = ["plugins", "/abs"]

[[tool]]
plugin = "coverage"
id = 1
[tool.settings]
branch = true
report = ["text"]

[[tool]]
path = "lib/libx.so"
id = "auto"
"#,
        )
        .unwrap();
        assert_eq!(
            c.plugin_dirs,
            [PathBuf::from("/cfg/plugins"), PathBuf::from("/abs")]
        );
        assert_eq!(c.tools.len(), 2);
        assert_eq!(c.tools[0].source, ToolSource::Plugin("coverage".into()));
        assert_eq!(c.tools[0].id, IdRequest::Fixed(ToolId::new(1).unwrap()));
        assert_eq!(c.tools[0].origin.line, Some(5));
        let settings: toml::Table = c.tools[0].settings.parse().unwrap();
        assert_eq!(settings["branch"].as_bool(), Some(true));
        assert_eq!(
            c.tools[1].source,
            ToolSource::Path("/cfg/lib/libx.so".into())
        );
        assert_eq!(c.tools[1].id, IdRequest::Auto);
        assert_eq!(c.tools[1].settings, "");
    }

    #[test]
    fn errors_name_file_line_and_key() {
        let errs =
            parse("[session]\nplugin_dir = []\n\n[[tool]]\nplugin = 3\nid = 9\ncolour = 1\n")
                .unwrap_err();
        assert_eq!(
            errs,
            [
                "/cfg/s.toml:2: `session.plugin_dir`: unknown key in [session] (valid keys: plugin_dirs)",
                "/cfg/s.toml:5: `tool.plugin`: expected a string (the plugin's name), found an integer",
                "/cfg/s.toml:6: `tool.id`: tool id 9 is out of range (must be between 0 and 5, or \"auto\")",
                "/cfg/s.toml:7: `tool.colour`: unknown key in [[tool]] (valid keys: plugin, path, id, settings)",
            ]
        );
        let errs = parse("[[tool]]\nplugin = \"a\"\nid = 2\n[[tool]]\nplugin = \"b\"\nid = 2\n")
            .unwrap_err();
        assert_eq!(
            errs,
            [
                "/cfg/s.toml:4: `tool.id`: tool id 2 is given to both plugin `a` (/cfg/s.toml:1) and plugin `b`"
            ]
        );
        let errs = parse("[[tool]]\nid = 1\n").unwrap_err();
        assert!(
            errs[0].starts_with("/cfg/s.toml:1: `tool`: a [[tool]] needs"),
            "{errs:?}"
        );
        let errs = parse("[[tool]\n").unwrap_err();
        assert!(
            errs[0].starts_with("/cfg/s.toml:1: invalid TOML"),
            "{errs:?}"
        );
        let errs = parse("[[tool]]\nplugin = \"a\"\nsettings = 1\n").unwrap_err();
        assert_eq!(
            errs,
            [
                "/cfg/s.toml:3: `tool.settings`: expected a table ([tool.settings]), found an integer"
            ]
        );
    }

    #[test]
    fn tool_flags_and_auto_ids() {
        let a = parse_tool_flag("coverage").unwrap();
        let b = parse_tool_flag("tracer=0").unwrap();
        let c = parse_tool_flag("x=auto").unwrap();
        assert_eq!(b.id, IdRequest::Fixed(ToolId::new(0).unwrap()));
        let ids = assign_ids(&[a, b, c]).unwrap();
        assert_eq!(ids.iter().map(|i| i.index()).collect::<Vec<_>>(), [1, 0, 2]);
        let err = parse_tool_flag("x=6").unwrap_err().to_string();
        assert!(err.contains("tool id 6 is out of range"), "{err}");
        let many: Vec<ToolSpec> = (0..7).map(|_| parse_tool_flag("t").unwrap()).collect();
        let err = assign_ids(&many).unwrap_err().to_string();
        assert_eq!(
            err,
            "<command line>: `--tool`: no free tool id is left for plugin `t` (there are only 6)"
        );
    }
}

#[cfg(test)]
mod robustness {
    use super::*;

    /// A small deterministic generator (xorshift), so failures reproduce.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
    }

    /// Mangled sessions (bytes dropped, duplicated, replaced by TOML punctuation) must give
    /// errors or configs, never panics, and every error must carry a line within the file.
    #[test]
    fn mangled_sessions_never_panic() {
        let base = "[session]\nplugin_dirs = [\"a\", \"b\"]\n\n[[tool]]\nplugin = \"x\"\nid = 1\n[tool.settings]\nk = [1, {a = 2}]\n\n[[tool]]\npath = \"é/lib.so\"\nid = \"auto\"\n";
        let pieces = [
            "[", "]", "=", "\"", "\n", "[[tool]]", "id", "{", "}", ",", "é", "#", "'",
        ];
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for _ in 0..3000 {
            let mut s: Vec<char> = base.chars().collect();
            for _ in 0..(rng.next() % 4 + 1) {
                let at = (rng.next() as usize) % (s.len() + 1);
                match rng.next() % 3 {
                    0 if at < s.len() => {
                        s.remove(at);
                    }
                    1 => {
                        let p = pieces[(rng.next() as usize) % pieces.len()];
                        for (i, c) in p.chars().enumerate() {
                            s.insert(at + i, c);
                        }
                    }
                    _ if at < s.len() => s[at] = '=',
                    _ => {}
                }
            }
            let text: String = s.into_iter().collect();
            let lines = text.lines().count().max(1);
            if let Err(errors) = parse_session(Path::new("f.toml"), &text) {
                assert!(!errors.is_empty());
                for e in errors {
                    if let Some(line) = e.line {
                        assert!(line >= 1 && line <= lines + 1, "{e} in {text:?}");
                    }
                }
            }
        }
    }
}
