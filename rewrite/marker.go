package rewrite

import (
	"go/ast"
	"go/token"
	"sort"
	"strings"
)

// The marker ends every line tracegen generates. On the generated code of a
// function it also records what strip must undo besides removing the code:
//
//	//tracegen:generated [oneline] [NAME=_ | NAME=unnamed]...
//
// oneline says the body was on one line; NAME=_ says the parameter or
// result now called NAME was "_"; NAME=unnamed says it had no name, and
// neither had the others of its list (they are "_" now). On an import,
// "joined" says the import block was made from a single import declaration.
const (
	marker        = "//tracegen:generated"
	onelineOpt    = "oneline"
	joinedOpt     = "joined"
	wasBlank      = "_"
	wasUnnamed    = "unnamed"
	markerKeyword = "//tracegen:"
)

// markerInfo is what a marker records.
type markerInfo struct {
	oneline bool
	joined  bool
	renamed map[string]string // name now -> wasBlank or wasUnnamed
}

func isMarker(c *ast.Comment) bool { return isMarkerText(c.Text) }

func isMarkerText(text string) bool {
	return text == marker || strings.HasPrefix(text, marker+" ")
}

func parseMarker(text string) markerInfo {
	var m markerInfo
	for _, f := range strings.Fields(strings.TrimPrefix(text, marker)) {
		switch name, was, ok := strings.Cut(f, "="); {
		case f == onelineOpt:
			m.oneline = true
		case f == joinedOpt:
			m.joined = true
		case ok && token.IsIdentifier(name) && (was == wasBlank || was == wasUnnamed):
			if m.renamed == nil {
				m.renamed = map[string]string{}
			}
			m.renamed[name] = was
		}
	}
	return m
}

func (m markerInfo) String() string {
	var b strings.Builder
	b.WriteString(marker)
	if m.oneline {
		b.WriteString(" " + onelineOpt)
	}
	if m.joined {
		b.WriteString(" " + joinedOpt)
	}
	names := make([]string, 0, len(m.renamed))
	for name := range m.renamed {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		b.WriteString(" " + name + "=" + m.renamed[name])
	}
	return b.String()
}
