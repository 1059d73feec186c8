package rewrite

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/token"
	"sort"
)

// edit replaces src[start:end] with text.
type edit struct {
	start, end int
	text       string
}

// Edit replaces the bytes Start:End of a file's old contents with New.
type Edit struct {
	Start, End int
	New        string
}

func exportEdits(edits []edit) []Edit {
	if len(edits) == 0 {
		return nil
	}
	out := make([]Edit, len(edits))
	for i, e := range edits {
		out[i] = Edit{Start: e.start, End: e.end, New: e.text}
	}
	return out
}

// applyEdits sorts edits by position and applies them to src. Edits that
// overlap are an error: each is a whole change, and none may be dropped.
func applyEdits(src []byte, edits []edit) ([]byte, error) {
	sort.SliceStable(edits, func(i, j int) bool {
		if edits[i].start != edits[j].start {
			return edits[i].start < edits[j].start
		}
		return edits[i].end < edits[j].end
	})
	size := len(src)
	last := 0
	for i, e := range edits {
		if e.start > e.end || e.end > len(src) {
			return nil, fmt.Errorf("edit %d:%d is outside the file", e.start, e.end)
		}
		if e.start < last {
			return nil, fmt.Errorf("edit %d:%d overlaps edit %d:%d", e.start, e.end, edits[i-1].start, edits[i-1].end)
		}
		size += len(e.text) - (e.end - e.start)
		last = e.end
	}
	out := make([]byte, 0, size)
	last = 0
	for _, e := range edits {
		out = append(out, src[last:e.start]...)
		out = append(out, e.text...)
		last = e.end
	}
	return append(out, src[last:]...), nil
}

// source couples a parsed file with its bytes.
type source struct {
	fset *token.FileSet
	file *ast.File
	tf   *token.File
	src  []byte

	exactFacts bool // facts come from type checking
}

func (s *source) off(p token.Pos) int { return s.tf.Offset(p) }

func (s *source) text(n ast.Node) string { return string(s.src[s.off(n.Pos()):s.off(n.End())]) }

func (s *source) line(p token.Pos) int { return s.tf.Line(p) }

// lineEnd is the offset of the newline ending the line that holds offset
// off, or len(src).
func (s *source) lineEnd(off int) int {
	if i := bytes.IndexByte(s.src[off:], '\n'); i >= 0 {
		return off + i
	}
	return len(s.src)
}

func (s *source) lineStart(off int) int {
	return bytes.LastIndexByte(s.src[:off], '\n') + 1
}
