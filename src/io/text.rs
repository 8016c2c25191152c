//! Text as imported formats carry it: HTML (TimelineJS, StoryMapJS, KML descriptions) shown as
//! readable plain text. Nothing is rendered as markup and nothing it points to is loaded.

use crate::model::url::{NotWebLink, WebLink};

/// Plain text from an HTML fragment: tags dropped (block tags and `<br>` become line breaks,
/// list items get a bullet; `<img>` and the like leave nothing), the contents of `<script>`,
/// `<style>`, `<iframe>`, `<object>`, `<template>`, `<noscript>` and `<svg>` dropped, character
/// references decoded (a `&lt;b&gt;` stays the text `<b>`), runs of blank space collapsed. Link
/// targets are kept as text in brackets after their words so that nothing the source said is
/// lost — except `javascript:`, `vbscript:` and `data:` targets (code, not references) and those
/// hiding invisible characters. Time is linear in the text, whatever its markup.
pub(super) fn html_to_text(html: &str) -> String {
    if !html.contains(['<', '&']) {
        return html.trim().to_owned();
    }
    let mut out = String::with_capacity(html.len());
    let mut links = 0;
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        push_decoded(&mut out, rest.get(..open).unwrap_or_default());
        let after = rest.get(open + 1..).unwrap_or_default();
        let Some(close) = after.find('>') else {
            // A lone `<` is text.
            push_decoded(&mut out, rest.get(open..).unwrap_or_default());
            rest = "";
            break;
        };
        let tag = after.get(..close).unwrap_or_default();
        rest = after.get(close + 1..).unwrap_or_default();
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        let closing = tag.starts_with('/');
        match name.as_str() {
            // Their contents are code or markup, never text: dropped up to their end tag.
            "script" | "style" | "iframe" | "object" | "template" | "noscript" | "svg"
                if !closing =>
            {
                rest = rest.get(closing_tag_at(rest, &name)..).unwrap_or_default();
            }
            "br" => out.push('\n'),
            "li" if !closing => out.push_str("\n• "),
            "p" | "div" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "ul" | "ol" | "tr"
            | "blockquote" => out.push('\n'),
            "a" if !closing && links < MAX_OPEN_LINKS => {
                if let Some(href) = attribute(tag, "href").filter(|href| worth_keeping(href)) {
                    // Written after the link's text, when the closing tag comes.
                    pending_links_push(&mut out, &href);
                    links += 1;
                }
            }
            "a" if closing && links > 0 => {
                pending_links_flush(&mut out);
                links -= 1;
            }
            _ => {}
        }
    }
    push_decoded(&mut out, rest);
    tidy(&out)
}

/// Links inside links kept at most (their targets waiting for their text); deeper ones keep
/// only their text, so that hostile nesting costs no more than this many passes over the text.
const MAX_OPEN_LINKS: usize = 16;

/// Where the end tag `</name` starts in `rest` (its length when there is none), found without
/// copying `rest` (a text of many short elements stays linear).
fn closing_tag_at(rest: &str, name: &str) -> usize {
    rest.match_indices("</")
        .map(|(at, _)| at)
        .find(|&at| {
            rest.get(at + 2..at + 2 + name.len())
                .is_some_and(|found| found.eq_ignore_ascii_case(name))
        })
        .unwrap_or(rest.len())
}

/// Whether a link's target is kept (as text) after its words: a `javascript:`, `vbscript:` or
/// `data:` target is code or an embedded file, not a reference, and is dropped; so is one that
/// hides control or invisible characters.
fn worth_keeping(href: &str) -> bool {
    match WebLink::check(href) {
        Ok(_) => true,
        Err(NotWebLink::Hidden) => false,
        Err(NotWebLink::Scheme(scheme)) => {
            !matches!(scheme.as_str(), "javascript" | "vbscript" | "data")
        }
        Err(_) => true,
    }
}

/// Marker around a link target waiting for the end of its link text (a private-use character
/// that cannot come from the decoded text: it is stripped from text as it is pushed).
const LINK_MARK: char = '\u{E000}';

fn pending_links_push(out: &mut String, href: &str) {
    out.push(LINK_MARK);
    out.push_str(href);
    out.push(LINK_MARK);
}

/// Moves the pending link target (`MARK href MARK text`) after its text: `text (href)`.
fn pending_links_flush(out: &mut String) {
    let Some(end) = out.rfind(LINK_MARK) else {
        return;
    };
    let Some(start) = out[..end].rfind(LINK_MARK) else {
        return;
    };
    let href = out[start + LINK_MARK.len_utf8()..end].to_owned();
    let text = out[end + LINK_MARK.len_utf8()..].to_owned();
    out.truncate(start);
    out.push_str(&text);
    if !href.is_empty() && text.trim() != href {
        out.push_str(&format!(" ({href})"));
    }
}

/// The value of `name="…"` (or `'…'`) in a tag's text.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let at = lower.find(&format!("{name}="))? + name.len() + 1;
    let value = tag.get(at..)?;
    let quote = value.chars().next()?;
    let inner = if quote == '"' || quote == '\'' {
        let body = value.get(1..)?;
        &body[..body.find(quote)?]
    } else {
        value.split_whitespace().next()?
    };
    let mut decoded = String::new();
    push_decoded(&mut decoded, inner);
    Some(decoded)
}

/// Appends `text` with its character references decoded.
fn push_decoded(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        push_plain(out, &rest[..amp]);
        let after = &rest[amp + 1..];
        let end = after.find(';').filter(|&end| end <= 10);
        let decoded = end.and_then(|end| entity(&after[..end]));
        match (end, decoded) {
            (Some(end), Some(c)) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            _ => {
                out.push('&');
                rest = after;
            }
        }
    }
    push_plain(out, rest);
}

fn push_plain(out: &mut String, text: &str) {
    out.extend(text.chars().filter(|&c| c != LINK_MARK));
}

fn entity(name: &str) -> Option<char> {
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        return char::from_u32(code).filter(|&c| c != LINK_MARK && c != '\0');
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "laquo" => '«',
        "raquo" => '»',
        "copy" => '©',
        "deg" => '°',
        _ => return None,
    })
}

/// Spaces collapsed within lines, at most one blank line in a row, no blank edges.
fn tidy(text: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    for line in text.lines() {
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if line.is_empty() && lines.last().is_none_or(String::is_empty) {
            continue;
        }
        lines.push(line);
    }
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_becomes_readable_text_and_loads_nothing() {
        assert_eq!(html_to_text("plain text"), "plain text");
        assert_eq!(
            html_to_text("<p>First &amp; <b>bold</b></p><p>Second<br>line</p>"),
            "First & bold\n\nSecond\nline"
        );
        assert_eq!(
            html_to_text("<ul><li>one</li><li>two</li></ul>"),
            "• one\n• two"
        );
        assert_eq!(
            html_to_text(r#"See <a href="https://example.org/a?b=1&amp;c=2">the report</a>."#),
            "See the report (https://example.org/a?b=1&c=2)."
        );
        assert_eq!(
            html_to_text("<script>alert(1)</script><img src=x onerror=alert(1)>Safe"),
            "Safe"
        );
        assert_eq!(
            html_to_text("1 < 2 &unknown; &#233;&#xE9;"),
            "1 < 2 &unknown; éé"
        );
        assert_eq!(html_to_text("<b>a\u{E000}b</b>"), "ab");
    }

    #[test]
    fn hostile_markup_is_text_and_nothing_it_points_to_is_kept_as_code() {
        assert_eq!(
            html_to_text(
                r#"<a href="javascript:alert(1)">one</a> <a href="data:text/html,x">two</a> <a href="file:///etc/passwd">three</a> <a href="https://example.org/">four</a>"#
            ),
            "one two three (file:///etc/passwd) four (https://example.org/)"
        );
        assert_eq!(
            html_to_text(
                "A<iframe src=\"https://evil.example\">inside</IFRAME>B<SCRIPT>x()</Script>C<svg><script>y()</script></svg>D"
            ),
            "ABCD"
        );
        assert_eq!(
            html_to_text(
                "<img src=\"https://tracker.example/p.gif\">&lt;script&gt;shown&lt;/script&gt;"
            ),
            "<script>shown</script>"
        );
        assert_eq!(html_to_text("<script>never closed"), "");
    }

    #[test]
    fn many_elements_take_linear_time() {
        let started = std::time::Instant::now();
        for hostile in [
            "<script></script>x".repeat(200_000),
            "<a href=\"https://e.org\">".repeat(100_000) + &"x</a>".repeat(100_000),
            "y</a>".repeat(200_000),
            "<style>".repeat(200_000),
        ] {
            let text = html_to_text(&hostile);
            assert!(text.len() <= hostile.len() * 2, "{}", text.len());
        }
        // Quadratic work on these would take minutes.
        assert!(started.elapsed() < std::time::Duration::from_secs(10));
    }
}
