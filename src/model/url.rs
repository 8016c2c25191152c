//! Which addresses in a dataset may become links the user can click: only absolute `http:` and
//! `https:` addresses with a plain host. Everything else (`javascript:`, `data:`, `file:`,
//! relative paths, addresses hiding control or invisible characters…) is shown as text, with
//! the reason ([`NotWebLink`]), and never opened.

/// An address that may be opened in the browser when the user clicks it: an absolute `http:`
/// or `https:` URL with a host, nothing hidden in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebLink {
    /// The address as written, without the blank space around it.
    url: String,
}

/// Why an address is not a [`WebLink`]: shown in the tooltip of the address shown as text.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NotWebLink {
    /// Another scheme than `http:`/`https:` (lower-cased), e.g. `javascript:`, `file:`.
    #[error("not a web link ({0}:)")]
    Scheme(String),
    /// No scheme at all: a relative path, `//host/…`, or plain text.
    #[error("not a web link (no http: or https: in front)")]
    Relative,
    /// Nothing after the scheme, or no `//host`.
    #[error("not a web link (no host after {0}:)")]
    NoHost(String),
    /// Control characters, blank space, or characters that cannot be seen or that turn text
    /// around (bidirectional controls, zero-width characters) inside the address.
    #[error("not a web link (it hides a control, blank or invisible character)")]
    Hidden,
    /// `user@host`: what is before the `@` looks like the host and is not.
    #[error("not a web link (a name before @ in the host disguises the real host)")]
    UserInHost,
    /// A host with other characters than ASCII letters, digits, `-` and `.` (look-alike
    /// letters from other scripts are written `xn--…` by honest sources), or a bad port.
    #[error("not a web link (the host \"{0}\" is not a plain host name)")]
    OddHost(String),
}

/// Longest address accepted as a link (browsers cut long ones; a longer one is shown as text).
const MAX_LENGTH: usize = 8192;

impl WebLink {
    /// The link, when `text` is an absolute `http:`/`https:` address (see [`WebLink::check`]).
    pub fn parse(text: &str) -> Option<Self> {
        Self::check(text).ok()
    }

    /// The link, or why `text` is not one. The scheme is compared without case; blank space
    /// around the address is trimmed.
    pub fn check(text: &str) -> Result<Self, NotWebLink> {
        Self::check_address(text).map(|url| Self {
            url: url.to_owned(),
        })
    }

    /// [`WebLink::check`] without keeping the address (the loader checks every source's):
    /// the address as it would be opened, trimmed.
    pub fn check_address(text: &str) -> Result<&str, NotWebLink> {
        let url = text.trim();
        // Printable ASCII hides nothing: the character classes are asked only of the rest.
        let plain = url.bytes().all(|b| b.is_ascii_graphic());
        if url.len() > MAX_LENGTH || (!plain && url.chars().any(is_hidden)) {
            return Err(NotWebLink::Hidden);
        }
        let Some((scheme, rest)) = url.split_once(':').filter(|(s, _)| is_scheme(s)) else {
            return Err(NotWebLink::Relative);
        };
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "http" && scheme != "https" {
            return Err(NotWebLink::Scheme(scheme));
        }
        // Browsers read `\` as `/`: `https:\\host` and `https:/\host` are refused outright.
        let Some(after) = rest.strip_prefix("//").filter(|_| !rest.contains('\\')) else {
            return Err(NotWebLink::NoHost(scheme));
        };
        let authority = after.split(['/', '?', '#']).next().unwrap_or_default();
        if authority.contains('@') {
            return Err(NotWebLink::UserInHost);
        }
        if authority.is_empty() {
            return Err(NotWebLink::NoHost(scheme));
        }
        if !is_plain_host(authority) {
            return Err(NotWebLink::OddHost(authority.to_owned()));
        }
        Ok(url)
    }

    /// Whether the address is `https:` (an `http:` one can be read or changed on the way).
    pub fn is_secure(&self) -> bool {
        is_secure_address(&self.url)
    }

    /// The address to open (and to show on hover): exactly what was checked.
    pub fn as_str(&self) -> &str {
        &self.url
    }
}

impl std::fmt::Display for WebLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.url)
    }
}

/// Whether a checked address ([`WebLink::check_address`]) is `https:`.
pub fn is_secure_address(url: &str) -> bool {
    url.get(..6)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("https:"))
}

/// RFC 3986: a letter, then letters, digits, `+`, `-`, `.`.
fn is_scheme(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && text.len() <= 32
}

/// Characters that have no place in an address: control characters, blank space of any kind,
/// and the invisible ones that change how it reads (zero-width, bidirectional controls, the
/// soft hyphen, the byte-order mark, tag characters).
fn is_hidden(c: char) -> bool {
    c.is_control()
        || c.is_whitespace()
        || matches!(c,
            '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}'
            | '\u{17B5}' | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}' | '\u{FFF0}'..='\u{FFFB}'
            | '\u{E0000}'..='\u{E0FFF}')
}

/// `host`, `host:port` or `[IPv6]:port`, the host in ASCII letters, digits, `-` and `.`.
fn is_plain_host(authority: &str) -> bool {
    let (host, port) = match authority.strip_prefix('[') {
        Some(bracketed) => {
            let Some((address, after)) = bracketed.split_once(']') else {
                return false;
            };
            let valid = !address.is_empty()
                && address
                    .chars()
                    .all(|c| c.is_ascii_hexdigit() || matches!(c, ':' | '.'));
            if !valid {
                return false;
            }
            (
                None,
                after
                    .strip_prefix(':')
                    .or(Some(after).filter(|a| a.is_empty())),
            )
        }
        None => match authority.split_once(':') {
            Some((host, port)) => (Some(host), Some(port)),
            None => (Some(authority), Some("")),
        },
    };
    let host_ok = host.is_none_or(|host| {
        !host.is_empty()
            && !host.starts_with(['.', '-'])
            && host.chars().any(|c| c.is_ascii_alphanumeric())
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.'))
    });
    let port_ok = port.is_some_and(|port| {
        port.is_empty() || (port.len() <= 5 && port.parse::<u16>().is_ok_and(|p| p > 0))
    });
    host_ok && port_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_addresses_are_links() {
        for (text, link) in [
            ("https://example.org", "https://example.org"),
            (
                "http://example.org/a/b?c=1#d",
                "http://example.org/a/b?c=1#d",
            ),
            ("  https://example.org/x  ", "https://example.org/x"),
            ("HTTPS://Example.ORG/", "HTTPS://Example.ORG/"),
            ("hTtP://example.org", "hTtP://example.org"),
            ("https://example.org:8443/p", "https://example.org:8443/p"),
            ("https://[2001:db8::1]:443/", "https://[2001:db8::1]:443/"),
            ("https://127.0.0.1/", "https://127.0.0.1/"),
            ("https://xn--80ak6aa92e.com/", "https://xn--80ak6aa92e.com/"),
            (
                "https://ru.wikipedia.org/wiki/Крокус",
                "https://ru.wikipedia.org/wiki/Крокус",
            ),
            ("https://example.org?q=a@b", "https://example.org?q=a@b"),
        ] {
            assert_eq!(
                WebLink::parse(text).map(|l| l.as_str().to_owned()),
                Some(link.to_owned()),
                "{text:?}"
            );
        }
    }

    #[test]
    fn everything_else_is_text_with_the_reason() {
        use NotWebLink::*;
        let scheme = |s: &str| Scheme(s.to_owned());
        let no_host = |s: &str| NoHost(s.to_owned());
        let odd = |s: &str| OddHost(s.to_owned());
        for (text, why) in [
            ("javascript:alert(1)", scheme("javascript")),
            ("JavaScript:alert(document.cookie)", scheme("javascript")),
            ("data:text/html;base64,PHNjcmlwdD4=", scheme("data")),
            ("file:///etc/passwd", scheme("file")),
            ("vbscript:msgbox(1)", scheme("vbscript")),
            ("mailto:a@example.org", scheme("mailto")),
            ("ftp://example.org/", scheme("ftp")),
            ("smb://host/share", scheme("smb")),
            ("c:\\Windows\\calc.exe", scheme("c")),
            ("/etc/passwd", Relative),
            ("../report.html", Relative),
            ("//evil.example/x", Relative),
            ("example.org/page", Relative),
            ("", Relative),
            ("ｈttps://example.org", Relative),
            ("https:example.org", no_host("https")),
            ("https:/example.org", no_host("https")),
            ("https://", no_host("https")),
            ("https:///path", no_host("https")),
            ("https:\\\\evil.example", no_host("https")),
            ("https://evil.example\\@good.example", no_host("https")),
            ("java\tscript:alert(1)", Hidden),
            ("https://exa mple.org", Hidden),
            ("https://example.org/a\r\nb", Hidden),
            ("https://example.org/a\u{0}b", Hidden),
            ("https://example.org/\u{202E}fdp.exe", Hidden),
            ("https://exam\u{200B}ple.org", Hidden),
            ("\u{FEFF}https://example.org", Hidden),
            ("https://good.example@evil.example/", UserInHost),
            ("https://user:pass@example.org/", UserInHost),
            ("https://аpple.com/", odd("аpple.com")),
            ("https://example.org:99999/", odd("example.org:99999")),
            ("https://example.org:0/", odd("example.org:0")),
            ("https://example.org:x/", odd("example.org:x")),
            ("https://.example.org/", odd(".example.org")),
            ("https://-/", odd("-")),
            ("https://[zz]/", odd("[zz]")),
            ("https://%65vil.example/", odd("%65vil.example")),
        ] {
            assert_eq!(WebLink::check(text), Err(why), "{text:?}");
        }
        assert!(WebLink::parse(&format!("https://example.org/{}", "a".repeat(9000))).is_none());
    }

    #[test]
    fn reasons_read_as_tooltips() {
        let why = |text: &str| WebLink::check(text).unwrap_err().to_string();
        assert_eq!(why("file:///etc/passwd"), "not a web link (file:)");
        assert_eq!(why("javascript:alert(1)"), "not a web link (javascript:)");
        assert!(WebLink::parse("HTTPS://x.org").unwrap().is_secure());
        assert!(!WebLink::parse("http://x.org").unwrap().is_secure());
        assert_eq!(
            why("reports/a.pdf"),
            "not a web link (no http: or https: in front)"
        );
    }
}
