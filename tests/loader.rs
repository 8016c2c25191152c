use event_atlas::io::*;
fn show(name: &str, s: &[u8]) {
    println!("=== {name}");
    let r = std::panic::catch_unwind(|| parse_dataset(s, "t.json"));
    match r {
        Err(_) => println!("PANIC"),
        Ok(Ok(l)) => {
            println!("OK {}", l.dataset.summary_line());
            for w in l.warnings {
                println!("  W {w}");
            }
        }
        Ok(Err(LoadError::Invalid { diagnostics, .. })) => {
            for d in diagnostics {
                println!("  {d}   [{:?}]", (d.line, d.column, &d.event_id, &d.field));
            }
        }
        Ok(Err(e)) => println!("  {e}"),
    }
}
#[test]
fn probe() {
    let ev = |body: &str| format!("{{\"title\": \"T\", \"events\": [\n  {{{body}}}\n]}}");
    show(
        "big year",
        ev(r#""id":"a","title":"t","when":"9999-12/..""#).as_bytes(),
    );
    show(
        "neg year",
        ev(r#""id":"a","title":"t","when":"-9999""#).as_bytes(),
    );
    show(
        "title null",
        ev(r#""id":"a","title":null,"when":"2024""#).as_bytes(),
    );
    show(
        "when null",
        ev(r#""id":"a","title":"t","when":null"#).as_bytes(),
    );
    show(
        "id null",
        ev(r#""id":null,"title":"t","when":"2024""#).as_bytes(),
    );
    show(
        "when blank",
        ev(r#""id":"a","title":"t","when":"  ""#).as_bytes(),
    );
    show(
        "link no to",
        ev(r#""id":"a","title":"t","when":"2024","links":[{"kind":"x"}]"#).as_bytes(),
    );
    show(
        "link to null",
        ev(r#""id":"a","title":"t","when":"2024","links":[{"to":null}]"#).as_bytes(),
    );
    show("cat empty", br#"{"title":"x","categories":[],"events":[{"id":"a","title":"t","when":"2024","category":"zz"}]}"#);
    show(
        "place lat null",
        br#"{"title":"x","places":[{"id":"p","name":"P","lat":null,"lon":1}],"events":[]}"#,
    );
    show(
        "place name null",
        br#"{"title":"x","places":[{"id":"p","name":null,"lat":1,"lon":1}],"events":[]}"#,
    );
    show(
        "source title null",
        br#"{"title":"x","sources":[{"title":null}],"events":[]}"#,
    );
    show(
        "where str null place",
        br#"{"title":"x","events":[{"id":"a","title":"t","when":"2024","where":""}]}"#,
    );
    show(
        "open end",
        br#"{"title":"x","events":[{"id":"a","title":"t","when":"2024-03/"}]}"#,
    );
    show("unknown end only", br#"{"title":"x","events":[{"id":"a","title":"t","when":"../2024-03"},{"id":"b","title":"t","when":"2024-05/.."}]}"#);
    show("fmt num", br#"{"format": 1, "title":"x","events":[]}"#);
    show(
        "link self",
        ev(r#""id":"a","title":"t","when":"2024","links":[{"to":"a"}]"#).as_bytes(),
    );
    show("events null", b"{\"title\":\"x\",\"events\":null}");
    show("top null", b"null");
    show("crlf", b"{\r\n  \"title\": \"x\",\r\n  \"events\": [\r\n    {\"id\": \"a\", \"title\": \"t\", \"when\": \"2024-02-30\"}\r\n  ]\r\n}\r\n");
    show("crlf syntax", b"{\r\n  \"title\": \"x\",\r\n  \"events\": [\r\n    {\"id\": \"a\", \"title\" \"t\"}\r\n  ]\r\n}\r\n");
    show("nonascii", "{\"title\": \"Ёлка\", \"events\": [\n  {\"id\": \"ёж\", \"title\": \"Ёжик в тумане\", \"when\": \"2024-13\"}\n]}".as_bytes());
    show(
        "escape key",
        ev(r#""\u0069d":"a","title":"t","when":"2024""#).as_bytes(),
    );
    show(
        "lone surrogate",
        ev(r#""id":"a","title":"\ud800","when":"2024""#).as_bytes(),
    );
    show(
        "deep",
        format!(
            "{{\"title\":\"x\",\"events\":[{}{}]}}",
            "[".repeat(200),
            "]".repeat(200)
        )
        .as_bytes(),
    );
    show(
        "dup title",
        b"{\"title\":\"x\",\"title\":\"y\",\"events\":[]}",
    );
}
#[test]
fn probe3() {
    let s =
        "{\"title\": \"T\", \"events\": [\n  {\"id\":\"a\",\"title\":\"t\",\"when\":\"-9999\"}\n]}";
    let r = parse_dataset(s.as_bytes(), "t.json");
    println!(
        "P3 {:?}",
        r.as_ref()
            .map(|l| l.dataset.summary_line())
            .map_err(|e| e.lines())
    );
    let s =
        "{\"title\": \"T\", \"events\": [\n  {\"id\":\"a\",\"title\":\"t\",\"when\":\"-2024\"}\n]}";
    let r = parse_dataset(s.as_bytes(), "t.json");
    println!(
        "P3 {:?}",
        r.as_ref()
            .map(|l| l.dataset.summary_line())
            .map_err(|e| e.lines())
    );
    let v: Result<serde_json::Value, _> = serde_json::from_str(s);
    println!("P3 serde {:?}", v.is_ok());
}
#[test]
fn probe_mut() {
    let base = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/crocus.json")).unwrap();
    let mut nolines = std::collections::BTreeMap::new();
    let mut panics = 0;
    for pos in (0..base.len()).step_by(7) {
        for b in [b'x', b'"', b'{', b'}', b',', b'9', b'-', 0xff, b' '] {
            let mut m = base.clone();
            m[pos] = b;
            match std::panic::catch_unwind(|| parse_dataset(&m, "m.json")) {
                Err(_) => panics += 1,
                Ok(Err(LoadError::Invalid { diagnostics, .. })) => {
                    for d in diagnostics {
                        if d.severity == Severity::Error && d.line.is_none() {
                            *nolines.entry(d.message.clone()).or_insert(0) += 1;
                        }
                    }
                }
                _ => {}
            }
        }
    }
    println!("MUT panics={panics} nolines={nolines:?}");
}
