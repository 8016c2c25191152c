//! Text as imported formats carry it: HTML (TimelineJS, StoryMapJS, KML descriptions) shown as
//! readable plain text. Nothing is rendered as markup and nothing it points to is loaded.

/// Plain text from an HTML fragment: tags dropped (block tags and `<br>` become line breaks,
/// list items get a bullet), `<script>`/`<style>` contents dropped, character references
/// decoded, runs of blank space collapsed. Link targets are kept in brackets after their text so
/// that nothing the source said is lost.
pub(super) fn html_to_text(html: &str) -> String {
    if !html.contains(['<', '&']) {
        return html.trim().to_owned();
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        push_decoded(&mut out, &rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('>') else {
            // A lone `<` is text.
            push_decoded(&mut out, &rest[open..]);
            rest = "";
            break;
        };
        let tag = &after[..close];
        rest = &after[close + 1..];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        let closing = tag.starts_with('/');
        match name.as_str() {
            "script" | "style" if !closing => {
                let end = format!("</{name}");
                let lower = rest.to_ascii_lowercase();
                rest = match lower.find(&end) {
                    Some(at) => rest.get(at..).unwrap_or(""),
                    None => "",
                };
            }
            "br" => out.push('\n'),
            "li" if !closing => out.push_str("\n• "),
            "p" | "div" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "ul" | "ol" | "tr"
            | "blockquote" => out.push('\n'),
            "a" if !closing => {
                if let Some(href) = attribute(tag, "href") {
                    // Written after the link's text, when the closing tag comes.
                    pending_links_push(&mut out, &href);
                }
            }
            "a" => pending_links_flush(&mut out),
            _ => {}
        }
    }
    push_decoded(&mut out, rest);
    tidy(&out)
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
}
