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
        write!(f, "{}", self.file)?;
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
            (Some(id), Some(field)) => write!(f, "event \"{id}\", field \"{field}\": ")?,
            (Some(id), None) => write!(f, "event \"{id}\": ")?,
            (None, Some(field)) => write!(f, "field \"{field}\": ")?,
            (None, None) => {}
        }
        write!(f, "{}", self.message)
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
