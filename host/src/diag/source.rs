//! The line index: byte offsets → 1-based line and column, computed once per
//! source (spans stay byte offsets everywhere else, as in ruff's
//! `ruff_source_file::LineIndex`).

/// Start offsets of every line of a source text.
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Byte offset where each line starts; `starts[0] == 0`.
    starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    /// Indexes `source`. Lines end at `\n`; a `\r` before it is not part of
    /// the line's text.
    pub fn new(source: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            source
                .bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex {
            starts,
            len: source.len(),
        }
    }

    /// Number of lines (a trailing newline does not start an extra line
    /// unless text follows it).
    pub fn line_count(&self) -> usize {
        match self.starts.last() {
            Some(&s) if s == self.len && self.starts.len() > 1 => self.starts.len() - 1,
            _ => self.starts.len(),
        }
    }

    /// The 1-based line containing byte `offset` (clamped to the text).
    pub fn line(&self, offset: usize) -> usize {
        let offset = offset.min(self.len);
        self.starts.partition_point(|&s| s <= offset)
    }

    /// The byte range of 1-based `line`, without its line ending.
    pub fn line_range(&self, source: &str, line: usize) -> std::ops::Range<usize> {
        let start = self
            .starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(self.len);
        let mut end = self.starts.get(line).map_or(self.len, |&s| s - 1);
        if end > start && source.as_bytes().get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        start..end.max(start)
    }

    /// The 1-based line and 1-based column (in characters) of `offset`.
    pub fn line_col(&self, source: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.len);
        let line = self.line(offset);
        let start = self.starts[line - 1];
        let col = source
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (line, col + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_offsets_to_lines_and_columns() {
        let src = "a = 1\n  bé = 2\r\nc\n";
        let idx = LineIndex::new(src);
        assert_eq!(idx.line_col(src, 0), (1, 1));
        assert_eq!(idx.line_col(src, 4), (1, 5));
        assert_eq!(idx.line_col(src, 6), (2, 1));
        // column counts characters, not bytes: 'é' is two bytes.
        assert_eq!(idx.line_col(src, 11), (2, 5));
        assert_eq!(&src[idx.line_range(src, 2)], "  bé = 2");
        assert_eq!(&src[idx.line_range(src, 3)], "c");
        assert_eq!(idx.line_count(), 3);
        assert_eq!(idx.line(src.len()), 4);
    }
}
