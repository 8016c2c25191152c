use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

/// Whether a problem stops the file from loading.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem found in a file, with where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub file: String,
    /// 1-based line and column, when known.
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub event_id: Option<String>,
    /// Dotted path of the field, e.g. `where.lat`.
    pub field: Option<String>,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    /// `file:line:column: event "id", field "where.lat": message`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", inert(&self.file))?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": ")?;
        if self.severity == Severity::Warning {
            write!(f, "warning: ")?;
        }
        match (&self.event_id, &self.field) {
            (Some(id), Some(field)) => {
                write!(f, "event \"{}\", field \"{}\": ", inert(id), inert(field))?;
            }
            (Some(id), None) => write!(f, "event \"{}\": ", inert(id))?,
            (None, Some(field)) => write!(f, "field \"{}\": ", inert(field))?,
            (None, None) => {}
        }
        // Messages quote the file's text: it must not reach a terminal or a label raw, nor
        // fill it (a damaged file can hold a cell of megabytes).
        match self.message.char_indices().nth(LONGEST_MESSAGE) {
            Some((cut, _)) => write!(
                f,
                "{}… (cut: {} characters in all)",
                inert(self.message.get(..cut).unwrap_or_default()),
                self.message.chars().count()
            ),
            None => write!(f, "{}", inert(&self.message)),
        }
    }
}

/// Characters of a message shown; a longer one is cut, saying so.
pub const LONGEST_MESSAGE: usize = 2000;

/// Whether `c` would act rather than show: a control character (C0, DEL, C1) or a bidi
/// embedding, override or isolate (which reorder the text around them).
pub fn is_active_char(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// How many [active characters](is_active_char) `text` holds, leaving out those in `keep`.
pub fn active_count(text: &str, keep: &[char]) -> usize {
    // Printable ASCII (most text, every id) has none: the character classes are asked only
    // of the rest. Every title of a file passes here at load.
    if text.bytes().all(|b| (b' '..=b'~').contains(&b)) {
        return 0;
    }
    text.chars()
        .filter(|&c| is_active_char(c) && !keep.contains(&c))
        .count()
}

/// `text` with every [active character](is_active_char) written as a visible escape such as
/// `\u{202E}`; tabs and newlines too (a message is one line).
pub fn inert(text: &str) -> Cow<'_, str> {
    inert_keeping(text, &[])
}

/// [`inert`], keeping the characters in `keep` (e.g. newlines in multi-line text).
pub fn inert_keeping<'a>(text: &'a str, keep: &[char]) -> Cow<'a, str> {
    if active_count(text, keep) == 0 {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_active_char(c) && !keep.contains(&c) {
            out.push_str(&format!("\\u{{{:X}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Errors listed one by one; past this many the rest are counted in one closing line.
pub const LISTED_ERRORS: usize = 100;
/// Warnings listed one by one; past this many the rest are counted in one closing line.
pub const LISTED_WARNINGS: usize = 100;

const OMITTED_START: &str = "… and ";

/// Problems as they are found, the first [`LISTED_ERRORS`] errors and [`LISTED_WARNINGS`]
/// warnings kept, the rest only counted (by field), so that memory stays bounded.
#[derive(Debug, Default)]
pub struct CappedDiagnostics {
    listed: Vec<Diagnostic>,
    errors: usize,
    warnings: usize,
    omitted_errors: BTreeMap<String, usize>,
    omitted_warnings: BTreeMap<String, usize>,
    file: String,
}

impl CappedDiagnostics {
    /// Adds one problem: listed while under the cap, counted past it.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        let (count, cap, omitted) = match diagnostic.severity {
            Severity::Error => (&mut self.errors, LISTED_ERRORS, &mut self.omitted_errors),
            Severity::Warning => (
                &mut self.warnings,
                LISTED_WARNINGS,
                &mut self.omitted_warnings,
            ),
        };
        *count += 1;
        if *count <= cap {
            self.listed.push(diagnostic);
        } else {
            if self.file.is_empty() {
                self.file.clone_from(&diagnostic.file);
            }
            let field = diagnostic.field.unwrap_or_default();
            *omitted.entry(field).or_insert(0) += 1;
        }
    }

    /// How many errors were found, listed or not.
    pub fn error_count(&self) -> usize {
        self.errors
    }

    /// The listed problems, sorted by `order`, errors first, each kind closed by a line that
    /// counts the ones not listed.
    pub fn finish<K: Ord>(self, order: impl FnMut(&Diagnostic) -> K + Copy) -> Vec<Diagnostic> {
        let (mut errors, mut warnings): (Vec<_>, Vec<_>) = self
            .listed
            .into_iter()
            .partition(|d| d.severity == Severity::Error);
        errors.sort_by_key(order);
        warnings.sort_by_key(order);
        if let Some(line) = omitted_line(&self.file, Severity::Error, &self.omitted_errors) {
            errors.push(line);
        }
        if let Some(line) = omitted_line(&self.file, Severity::Warning, &self.omitted_warnings) {
            warnings.push(line);
        }
        errors.extend(warnings);
        errors
    }
}

/// Caps an already gathered list of problems (errors first, then warnings) as
/// [`CappedDiagnostics`] does.
pub fn capped(diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    // Short enough, or capped already (a closing line counts the rest).
    if diagnostics.len() <= LISTED_ERRORS.min(LISTED_WARNINGS)
        || diagnostics.iter().any(|d| d.omitted_count().is_some())
    {
        return diagnostics;
    }
    let mut capped = CappedDiagnostics::default();
    for diagnostic in diagnostics {
        capped.push(diagnostic);
    }
    // A stable sort on one key keeps the order given.
    capped.finish(|_| 0u8)
}

/// `… and 4,900 more errors (4,900 in field "when")`.
fn omitted_line(
    file: &str,
    severity: Severity,
    omitted: &BTreeMap<String, usize>,
) -> Option<Diagnostic> {
    let total: usize = omitted.values().sum();
    if total == 0 {
        return None;
    }
    let noun = match (severity, total) {
        (Severity::Error, 1) => "error",
        (Severity::Error, _) => "errors",
        (Severity::Warning, 1) => "warning",
        (Severity::Warning, _) => "warnings",
    };
    let mut by_field: Vec<(&String, &usize)> = omitted.iter().collect();
    by_field.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let parts: Vec<String> = by_field
        .iter()
        .take(3)
        .map(|(field, count)| {
            if field.is_empty() {
                format!("{} about the whole file", thousands(**count))
            } else {
                format!("{} in field \"{field}\"", thousands(**count))
            }
        })
        .collect();
    let more = if by_field.len() > 3 { ", …" } else { "" };
    Some(Diagnostic {
        severity,
        file: file.to_owned(),
        line: None,
        column: None,
        event_id: None,
        field: None,
        message: format!(
            "{OMITTED_START}{} more {noun} ({}{more}), not listed: fix the ones above and check again",
            thousands(total),
            parts.join(", ")
        ),
    })
}

/// `4900` as `4,900`.
pub fn thousands(count: usize) -> String {
    let digits = count.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

impl Diagnostic {
    /// A problem of the whole file (no event, no field) at `line`:`column`.
    pub fn at_position(
        severity: Severity,
        file: &str,
        (line, column): (usize, usize),
        message: String,
    ) -> Self {
        Self {
            severity,
            file: file.to_owned(),
            line: Some(line),
            column: Some(column),
            event_id: None,
            field: None,
            message,
        }
    }

    /// For the closing line of a capped list: how many problems it stands for.
    pub fn omitted_count(&self) -> Option<usize> {
        if self.line.is_some() || self.field.is_some() || self.event_id.is_some() {
            return None;
        }
        let rest = self.message.strip_prefix(OMITTED_START)?;
        let number: String = rest
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == ',')
            .filter(char::is_ascii_digit)
            .collect();
        number.parse().ok()
    }
}

/// Why a dataset could not be loaded.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LoadError {
    #[error("{file}: cannot read the file: {message}")]
    Io { file: String, message: String },
    #[error("{file}: opening was cancelled")]
    Cancelled { file: String },
    #[error("{file}: {} problem(s), the first: {}", diagnostics.len(), first(diagnostics))]
    Invalid {
        file: String,
        /// Every error found, then the warnings.
        diagnostics: Vec<Diagnostic>,
    },
    /// A table whose date or place columns were not recognised: the user picks them (in the
    /// import dialog, or with `--time`, `--lat`, `--lon` on the command line).
    #[error("{file}: {message}")]
    NeedsColumns {
        file: String,
        /// What was missing and which columns were found.
        message: String,
        preview: Box<super::TablePreview>,
    },
}

fn first(diagnostics: &[Diagnostic]) -> String {
    debug_assert!(!diagnostics.is_empty(), "an invalid file has a problem");
    diagnostics
        .first()
        .map(ToString::to_string)
        .unwrap_or_default()
}

impl LoadError {
    /// A file that cannot be read, with the one problem (about the whole file, or at `line`)
    /// saying why.
    pub fn whole_file(file: &str, line: Option<usize>, message: String) -> Self {
        LoadError::Invalid {
            file: file.to_owned(),
            diagnostics: vec![Diagnostic {
                severity: Severity::Error,
                file: file.to_owned(),
                line,
                column: None,
                event_id: None,
                field: None,
                message,
            }],
        }
    }

    /// How many errors were found (those counted in a closing line included).
    pub fn error_count(&self) -> usize {
        match self {
            LoadError::Invalid { diagnostics, .. } => diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .map(|d| d.omitted_count().unwrap_or(1))
                .sum(),
            _ => 1,
        }
    }

    /// The file that failed.
    pub fn file(&self) -> &str {
        match self {
            LoadError::Io { file, .. }
            | LoadError::Cancelled { file }
            | LoadError::Invalid { file, .. }
            | LoadError::NeedsColumns { file, .. } => file,
        }
    }

    /// Every message, one a line, for printing or showing.
    pub fn lines(&self) -> Vec<String> {
        match self {
            LoadError::Io { .. } | LoadError::Cancelled { .. } | LoadError::NeedsColumns { .. } => {
                vec![self.to_string()]
            }
            LoadError::Invalid { diagnostics, .. } => {
                diagnostics.iter().map(ToString::to_string).collect()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(field: &str, line: usize) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            file: "f.json".to_owned(),
            line: Some(line),
            column: Some(1),
            event_id: Some(format!("e{line}")),
            field: Some(field.to_owned()),
            message: "bad".to_owned(),
        }
    }

    #[test]
    fn quoted_text_is_shown_inert() {
        assert_eq!(inert("plain, é 日本"), "plain, é 日本");
        assert_eq!(
            inert("a\u{202E}b\u{1B}[31m\tc\n\u{85}\u{2067}"),
            r"a\u{202E}b\u{1B}[31m\u{9}c\u{A}\u{85}\u{2067}"
        );
        assert_eq!(inert_keeping("a\nb\u{7}", &['\n']), "a\nb\\u{7}");
        let mut diagnostic = error("title", 3);
        diagnostic.event_id = Some("x\u{202E}y".to_owned());
        diagnostic.message = "title \"\u{1B}[31m\" is odd".to_owned();
        assert_eq!(
            diagnostic.to_string(),
            r#"f.json:3:1: event "x\u{202E}y", field "title": title "\u{1B}[31m" is odd"#
        );
    }

    #[test]
    fn past_a_hundred_errors_the_rest_are_counted_by_field() {
        let mut capped = CappedDiagnostics::default();
        for line in (1..=250).rev() {
            capped.push(error(if line % 5 == 0 { "where" } else { "when" }, line));
        }
        assert_eq!(capped.error_count(), 250);
        let listed = capped.finish(|d| d.line);
        assert_eq!(listed.len(), 101);
        // The first hundred found are listed, in order of position.
        assert_eq!(listed.first().and_then(|d| d.line), Some(151));
        let last = listed.last().unwrap();
        assert_eq!(
            last.to_string(),
            "f.json: … and 150 more errors (120 in field \"when\", 30 in field \"where\"), not listed: fix the ones above and check again"
        );
        assert_eq!(last.omitted_count(), Some(150));
        let error = LoadError::Invalid {
            file: "f.json".to_owned(),
            diagnostics: listed.clone(),
        };
        assert_eq!(error.error_count(), 250);
        // Capping a capped list changes nothing.
        assert_eq!(super::capped(listed.clone()), listed);
        assert_eq!(thousands(4900), "4,900");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(999), "999");
    }
}
