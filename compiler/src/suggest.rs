//! Suggestions for misspelt names: the closest name in scope by edit
//! distance, and what C's type names are called in LC.

/// The candidate closest to `name`, if it is close enough to be a likely
/// misspelling: at most one edit for names of up to five characters, and one
/// more for every three after that (a swap of two neighbours is one edit).
pub fn closest<'c>(name: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let limit = 1 + name.chars().count().saturating_sub(3) / 3;
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        if c == name || c.len().abs_diff(name.len()) > limit {
            continue;
        }
        let d = distance(name, c);
        // Ties go to the alphabetically first, so the answer never
        // depends on the candidates' order.
        if d <= limit && best.is_none_or(|(b, bc)| d < b || (d == b && c < bc)) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// Optimal string alignment distance: insertions, deletions, substitutions
/// and swaps of neighbours, each one edit; letters differing only in case
/// count as equal.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().map(|c| c.to_ascii_lowercase()).collect();
    let b: Vec<char> = b.chars().map(|c| c.to_ascii_lowercase()).collect();
    // Three rows of the dynamic-programming table: i-2, i-1 and i.
    let mut prev2: Vec<usize> = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut row: Vec<usize> = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        row[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (prev[j] + 1).min(row[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(prev2[j - 2] + 1);
            }
            row[j] = d;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut row);
    }
    prev[b.len()]
}

/// The LC type for a C type name (`int` is `i32`), as a note.
pub fn c_type(name: &str) -> Option<&'static str> {
    Some(match name {
        "int" | "int32_t" => "C's `int` is `i32` in LC",
        "long" | "int64_t" | "ssize_t" => "C's `long` is `i64` in LC",
        "short" | "int16_t" => "C's `short` is `i16` in LC",
        "char" => "C's `char` is `u8` in LC (strings are `*u8`)",
        "unsigned" | "uint32_t" => "C's `unsigned` is `u32` in LC",
        "size_t" | "uint64_t" => "C's `size_t` is `u64` in LC",
        "uint8_t" => "C's `uint8_t` is `u8` in LC",
        "float" => "C's `float` is `f32` in LC",
        "double" => "C's `double` is `f64` in LC",
        "void" => "a function that returns nothing has no `-> T`; C's `void*` is `*u8`",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_names_are_suggested() {
        let names = ["count", "counter", "total", "i"];
        assert_eq!(closest("cout", names), Some("count"));
        assert_eq!(closest("cuont", names), Some("count"));
        assert_eq!(closest("Count", names), Some("count"));
        assert_eq!(closest("totl", names), Some("total"));
        assert_eq!(closest("countre", names), Some("counter"));
        assert_eq!(closest("j", names), Some("i"));
        assert_eq!(closest("xyz", names), None);
        assert_eq!(closest("count", names), None);
    }
}
