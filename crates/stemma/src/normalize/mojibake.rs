//! Repair of mojibake: UTF-8 text that was once decoded as Windows-1252 or Latin-1
//! (`Â£80m` for `£80m`, `doesnâ€™t` for `doesn’t`, `cafÃ©` for `café`).
//!
//! This is the `fix_encoding` path of Python's ftfy, reduced to the one confusion that
//! dominates news on the web. A run of characters that Windows-1252 can encode is encoded
//! back to bytes; if those bytes are valid UTF-8 that uses multi-byte sequences, the run was
//! mojibake and the decoded text replaces it. Correct text is left alone because real
//! accented prose ("naïve café", "São Paulo") almost never re-encodes to valid multi-byte
//! UTF-8: `é` alone is the byte 0xE9, a lead byte with no continuation.
//!
//! We do not use the `plsfix` crate (a full ftfy port): it measured ≈ 5 MB/s, pulls ICU, and
//! its defaults also rewrite quotes and widths, which we must not do to quoted text.

use std::borrow::Cow;

/// The Windows-1252 bytes 0x80–0x9F, as Unicode. Undefined bytes (0x81, 0x8D, 0x8F, 0x90,
/// 0x9D) are `None`: decoders map them to the C1 control of the same number, handled below.
const CP1252_HIGH: [Option<char>; 32] = [
    Some('€'),
    None,
    Some('‚'),
    Some('ƒ'),
    Some('„'),
    Some('…'),
    Some('†'),
    Some('‡'),
    Some('ˆ'),
    Some('‰'),
    Some('Š'),
    Some('‹'),
    Some('Œ'),
    None,
    Some('Ž'),
    None,
    None,
    Some('‘'),
    Some('’'),
    Some('“'),
    Some('”'),
    Some('•'),
    Some('–'),
    Some('—'),
    Some('˜'),
    Some('™'),
    Some('š'),
    Some('›'),
    Some('œ'),
    None,
    Some('ž'),
    Some('Ÿ'),
];

/// The byte Windows-1252 (or Latin-1, for the C1 controls) encodes `c` as, if any.
fn cp1252_byte(c: char) -> Option<u8> {
    let code = c as u32;
    if code < 0x80 || (0xA0..=0xFF).contains(&code) || (0x80..=0x9F).contains(&code) {
        // ASCII, Latin-1 and the C1 controls (which decoders produce for the undefined
        // Windows-1252 bytes) map to themselves.
        return u8::try_from(code).ok();
    }
    CP1252_HIGH
        .iter()
        .position(|&high| high == Some(c))
        .and_then(|i| u8::try_from(0x80 + i).ok())
}

/// Characters that start a mojibake sequence: the Windows-1252 readings of the UTF-8 lead
/// bytes 0xC2–0xF4. A cheap test before the real work.
fn is_suspicious(c: char) -> bool {
    matches!(c as u32, 0xC2..=0xF4)
}

/// Whether any character [`is_suspicious`], on bytes: U+00C2–U+00F4 are written 0xC3 then
/// 0x82–0xB4 in UTF-8, and a byte search skips the rest of the text at memory speed.
fn has_suspicious(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr_iter(0xC3, bytes).any(|at| matches!(bytes.get(at + 1), Some(0x82..=0xB4)))
}

/// Repairs mojibake in `text`; borrowed and unchanged when there is none.
///
/// ```
/// use stemma::normalize::fix_mojibake;
/// assert_eq!(fix_mojibake("worth $105m (Â£80m)"), "worth $105m (£80m)");
/// assert_eq!(fix_mojibake("doesnâ€™t"), "doesn’t");
/// assert_eq!(fix_mojibake("naïve café in São Paulo"), "naïve café in São Paulo");
/// ```
pub fn fix_mojibake(text: &str) -> Cow<'_, str> {
    if !has_suspicious(text) {
        return Cow::Borrowed(text);
    }
    // Characters are pushed one by one, and each time the last two to four pushed are
    // tried as one mangled UTF-8 sequence. A repaired character may itself complete an
    // older sequence ("ÂÂº" is "Âº" mangled once more), so the check repeats on what the
    // repair left: text mangled many times over is repaired in one pass, in linear time.
    let mut out: Vec<char> = Vec::with_capacity(text.len());
    let mut changed = false;
    for c in text.chars() {
        out.push(c);
        while let Some((fixed, len)) = repair_end(&out) {
            out.truncate(out.len() - len);
            out.push(fixed);
            changed = true;
        }
    }
    if changed {
        Cow::Owned(out.into_iter().collect())
    } else {
        Cow::Borrowed(text)
    }
}

/// The character that the last two to four of `chars` are the mangled UTF-8 of, and how
/// many they are: a lead byte's reading then continuation bytes' readings.
fn repair_end(chars: &[char]) -> Option<(char, usize)> {
    for len in 2..=4.min(chars.len()) {
        let tail = &chars[chars.len() - len..];
        if !is_suspicious(tail[0]) {
            continue;
        }
        let mut bytes = [0u8; 4];
        let mut ok = true;
        for (k, &ch) in tail.iter().enumerate() {
            match cp1252_byte(ch) {
                Some(b) if k == 0 || (0x80..=0xBF).contains(&b) => bytes[k] = b,
                _ => {
                    ok = false;
                    break;
                }
            }
        }
        if !ok {
            continue;
        }
        if let Ok(decoded) = std::str::from_utf8(&bytes[..len]) {
            let mut decoded = decoded.chars();
            if let (Some(fixed), None) = (decoded.next(), decoded.next()) {
                return Some((fixed, len));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::fix_mojibake;

    #[test]
    fn repairs_the_common_cases() {
        let cases = [
            ("Â£80m", "£80m"),
            ("â‚¬1.2bn", "€1.2bn"),
            ("doesnâ€™t", "doesn’t"),
            ("cafÃ©", "café"),
            ("â€œquotedâ€\u{9d}", "“quoted”"),
            ("Zelenskyâ€™s â€“ plan", "Zelensky’s – plan"),
            ("naÃ¯ve", "naïve"),
            ("Å\u{81}Ã³dÅº", "Łódź"),
        ];
        for (broken, fixed) in cases {
            assert_eq!(fix_mojibake(broken), fixed, "{broken}");
        }
    }

    #[test]
    fn leaves_correct_text_alone() {
        for text in [
            "naïve café, Zoë, São Paulo, Łódź",
            "£80m and €1.2bn",
            "“Quoted” — and ‘single’",
            "Ã alone",
            "Größe, Müller, François, Ångström",
            "plain ASCII",
        ] {
            assert_eq!(fix_mojibake(text), text);
        }
    }
}
