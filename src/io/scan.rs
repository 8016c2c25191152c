//! A pass over JSON text for what serde does not say clearly: nesting deeper than its limit
//! (serde stops there with "recursion limit exceeded", or, inside a raw value, with a wrong
//! type), and keys written twice in one object (serde keeps the last one without a word).
//!
//! One loop with an explicit stack: no recursion, so no depth overflows it.

use std::collections::HashMap;

use super::diagnostic::{Diagnostic, Severity};

/// How deep JSON may nest (serde_json's own limit).
pub(super) const MAX_DEPTH: usize = 128;

/// Duplicate keys listed at most; a file with more is shown the first ones.
const LISTED_DUPLICATES: usize = 100;

/// The message for text nested past [`MAX_DEPTH`].
pub(super) fn too_deep_message() -> String {
    format!(
        "the JSON is nested deeper than {MAX_DEPTH} levels here: no Event Atlas field needs that; the file is refused (it may be made to crash readers)"
    )
}

/// A key written a second time in the same object, by byte offsets of the two keys.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct DuplicateKey {
    pub key: String,
    pub first: usize,
    pub second: usize,
}

/// What the pass found.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Structure {
    /// The byte offset of the bracket that goes past [`MAX_DEPTH`].
    pub too_deep_at: Option<usize>,
    pub duplicates: Vec<DuplicateKey>,
}

enum Frame {
    Object {
        keys: HashMap<String, usize>,
        expect_key: bool,
    },
    Array,
}

/// Scans `text` (JSON) for nesting past [`MAX_DEPTH`] (it stops there) and duplicate keys.
pub(super) fn scan(text: &[u8]) -> Structure {
    let mut structure = Structure::default();
    let mut stack: Vec<Frame> = Vec::new();
    let mut at = 0;
    while let Some(&byte) = text.get(at) {
        match byte {
            b'"' => {
                let end = string_end(text, at);
                if let Some(Frame::Object { keys, expect_key }) = stack.last_mut()
                    && *expect_key
                {
                    *expect_key = false;
                    let key = key_text(text.get(at..=end).unwrap_or_default());
                    match keys.get(&key) {
                        Some(&first) if structure.duplicates.len() < LISTED_DUPLICATES => {
                            structure.duplicates.push(DuplicateKey {
                                key,
                                first,
                                second: at,
                            });
                        }
                        Some(_) => {}
                        None => {
                            keys.insert(key, at);
                        }
                    }
                }
                at = end;
            }
            b'{' | b'[' => {
                if stack.len() >= MAX_DEPTH {
                    structure.too_deep_at = Some(at);
                    return structure;
                }
                stack.push(if byte == b'{' {
                    Frame::Object {
                        keys: HashMap::new(),
                        expect_key: true,
                    }
                } else {
                    Frame::Array
                });
            }
            b'}' | b']' => {
                stack.pop();
            }
            b',' => {
                if let Some(Frame::Object { expect_key, .. }) = stack.last_mut() {
                    *expect_key = true;
                }
            }
            _ => {}
        }
        at += 1;
    }
    structure
}

/// The byte offset of the first bracket of `text` (JSON) nested past [`MAX_DEPTH`]: a
/// lighter pass than [`scan`] (no keys kept), for readers that take whole files.
pub(super) fn too_deep_at(text: &[u8]) -> Option<usize> {
    let mut depth = 0usize;
    let mut at = 0;
    while let Some(&byte) = text.get(at) {
        match byte {
            b'"' => at = string_end(text, at),
            b'{' | b'[' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(at);
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
        at += 1;
    }
    None
}

/// The error for JSON nested past [`MAX_DEPTH`], placed, if `text` is.
pub(super) fn refuse_too_deep(text: &[u8], file: &str) -> Result<(), super::LoadError> {
    match too_deep_at(text) {
        Some(at) => Err(too_deep_error(text, at, file)),
        None => Ok(()),
    }
}

fn too_deep_error(text: &[u8], at: usize, file: &str) -> super::LoadError {
    super::LoadError::Invalid {
        file: file.to_owned(),
        diagnostics: vec![Diagnostic::at_position(
            Severity::Error,
            file,
            line_column(text, at),
            too_deep_message(),
        )],
    }
}

/// The offset of the quote that closes the string opening at `start` (or the text's end).
fn string_end(text: &[u8], start: usize) -> usize {
    let mut at = start + 1;
    while let Some(&byte) = text.get(at) {
        match byte {
            b'\\' => at += 2,
            b'"' => return at,
            _ => at += 1,
        }
    }
    text.len()
}

/// A key's text with its escapes decoded (`quoted` includes the quotes).
fn key_text(quoted: &[u8]) -> String {
    if quoted.contains(&b'\\')
        && let Ok(key) = serde_json::from_slice::<String>(quoted)
    {
        return key;
    }
    let inner = quoted
        .strip_prefix(b"\"")
        .and_then(|rest| rest.strip_suffix(b"\""))
        .unwrap_or(quoted);
    String::from_utf8_lossy(inner).into_owned()
}

/// The warnings for `duplicates`, placed by `position` (byte offset → line, column).
pub(super) fn duplicate_warnings(
    duplicates: &[DuplicateKey],
    file: &str,
    position: impl Fn(usize) -> (usize, usize),
) -> Vec<Diagnostic> {
    duplicates
        .iter()
        .map(|duplicate| {
            let (first_line, first_column) = position(duplicate.first);
            Diagnostic::at_position(
                Severity::Warning,
                file,
                position(duplicate.second),
                format!(
                    "duplicate key \"{}\" (also at {first_line}:{first_column}): the last one is used; remove one of them",
                    duplicate.key
                ),
            )
        })
        .collect()
}

/// 1-based line and character column of byte `offset` in `text`.
pub(super) fn line_column(text: &[u8], offset: usize) -> (usize, usize) {
    let before = text.get(..offset.min(text.len())).unwrap_or_default();
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |newline| newline + 1);
    let column = String::from_utf8_lossy(before.get(line_start..).unwrap_or_default())
        .chars()
        .count()
        + 1;
    (line, column)
}

/// The error for JSON text nested too deep, or the warnings for its duplicate keys.
pub(super) fn check(text: &[u8], file: &str) -> Result<Vec<Diagnostic>, super::LoadError> {
    let structure = scan(text);
    if let Some(at) = structure.too_deep_at {
        return Err(too_deep_error(text, at, file));
    }
    Ok(duplicate_warnings(&structure.duplicates, file, |offset| {
        line_column(text, offset)
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_keys_are_found_in_each_object_with_both_places() {
        let text = br#"{"a":1,"b":{"a":2,"c":[{"x":1},{"x":2}],"c":3},"a":4}"#;
        let structure = scan(text);
        assert_eq!(structure.too_deep_at, None);
        let found: Vec<(&str, usize, usize)> = structure
            .duplicates
            .iter()
            .map(|d| (d.key.as_str(), d.first, d.second))
            .collect();
        // "c" twice inside "b", then "a" twice at the top (objects in a list are separate).
        assert_eq!(found, [("c", 18, 40), ("a", 1, 47)]);
        // Escapes are decoded: "\u0061" is "a". Strings that are values are not keys.
        let escaped = br#"{"a":"a","\u0061":"x,\"a\":"}"#;
        assert_eq!(scan(escaped).duplicates.len(), 1);
    }

    #[test]
    fn nesting_past_the_limit_stops_at_the_first_bracket_too_deep() {
        let mut text = String::from("{\"x\":");
        text.push_str(&"[".repeat(100_000));
        let structure = scan(text.as_bytes());
        // The object is level 1: the 128th bracket is level 128, the next one too deep.
        assert_eq!(structure.too_deep_at, Some(5 + 127));
        let error = check(text.as_bytes(), "deep.json").unwrap_err();
        assert_eq!(
            error.lines(),
            [format!("deep.json:1:133: {}", too_deep_message())]
        );
        assert_eq!(too_deep_at(text.as_bytes()), Some(5 + 127));
        let ok = format!("{}{}", "[".repeat(128), "]".repeat(128));
        assert_eq!(scan(ok.as_bytes()).too_deep_at, None);
        assert_eq!(too_deep_at(ok.as_bytes()), None);
    }
}
