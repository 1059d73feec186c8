package rewrite

import (
	"fmt"
	"go/ast"
	"go/token"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/tracegen/tracegen/rewrite/rules"
)

// directive is a parsed //trace:span or //trace:ignore comment.
type directive struct {
	pos      token.Pos // of the comment
	ignore   bool
	name     string // explicit span name, "" for the default
	tags     []tagOpt
	kind     string
	ifActive bool
	noError  bool
	root     bool

	// rule, when set, selected the function and gave the options the
	// directive (if any) does not.
	rule     *rules.Rule
	ruleOnly bool // no directive: the rule's options are all there is
}

type tagOpt struct {
	param string
	pos   token.Pos

	// rule is the rule's tag, for tags a rule gives: a function without
	// such a parameter (of a type that can be recorded) goes without it.
	rule *rules.Tag
}

const directivePrefix = "//trace:"

// parseDirective parses the text of a comment that starts with //trace:.
// Errors are positioned at the offending word.
func parseDirective(c *ast.Comment) (*directive, *posError) {
	text := c.Text
	body := text[len(directivePrefix):]
	verb, rest := body, ""
	if i := strings.IndexAny(body, " \t"); i >= 0 {
		verb, rest = body[:i], body[i+1:]
	}
	d := &directive{pos: c.Slash}
	at := func(off int, format string, args ...any) *posError {
		return &posError{pos: c.Slash + token.Pos(off), msg: fmt.Sprintf(format, args...)}
	}
	switch verb {
	case "span":
	case "ignore":
		d.ignore = true
		if strings.TrimSpace(rest) != "" {
			return nil, at(len(directivePrefix)+len(verb)+1, "//trace:ignore takes no options")
		}
		return d, nil
	default:
		return nil, at(0, "unknown directive //trace:%s (want //trace:span or //trace:ignore)", verb)
	}
	off := len(directivePrefix) + len(verb)
	seen := map[string]bool{}
	for off < len(text) {
		for off < len(text) && (text[off] == ' ' || text[off] == '\t') {
			off++
		}
		if off == len(text) {
			break
		}
		start := off
		key, value, hasValue, end, err := scanOption(text, off)
		if err != "" {
			return nil, at(start, "%s", err)
		}
		off = end
		if seen[key] {
			return nil, at(start, "option %s given twice", key)
		}
		seen[key] = true
		needValue := key == "name" || key == "tags" || key == "kind"
		switch {
		case needValue && !hasValue:
			return nil, at(start, "option %s needs a value (%s=...)", key, key)
		case !needValue && hasValue && knownFlag(key):
			return nil, at(start, "option %s takes no value", key)
		}
		switch key {
		case "name":
			if value == "" {
				return nil, at(start, "empty span name")
			}
			if err := rules.CheckSpanName(value); err != nil {
				return nil, at(start, "name: %v", err)
			}
			d.name = value
		case "tags":
			valOff := start + len("tags=")
			for _, p := range strings.Split(value, ",") {
				if !token.IsIdentifier(p) || p == "_" {
					return nil, at(valOff, "tags: %q is not a parameter name", p)
				}
				d.tags = append(d.tags, tagOpt{param: p, pos: c.Slash + token.Pos(valOff)})
				valOff += len(p) + 1
			}
		case "kind":
			if !slices.Contains(rules.SpanKinds, value) {
				return nil, at(start, "unknown span kind %q (want internal, server, client, producer or consumer)", value)
			}
			d.kind = value
		case "ifactive":
			d.ifActive = true
		case "noerror":
			d.noError = true
		case "root":
			d.root = true
		default:
			return nil, at(start, "unknown option %q (want name=, tags=, kind=, ifactive, noerror or root)", key)
		}
	}
	return d, nil
}

func knownFlag(key string) bool { return key == "ifactive" || key == "noerror" || key == "root" }

// scanOption reads key or key=value (value possibly a Go quoted string)
// starting at off.
func scanOption(text string, off int) (key, value string, hasValue bool, end int, err string) {
	i := off
	for i < len(text) && text[i] != '=' && text[i] != ' ' && text[i] != '\t' {
		i++
	}
	key = text[off:i]
	if i == len(text) || text[i] != '=' {
		return key, "", false, i, ""
	}
	i++
	if i < len(text) && text[i] == '"' {
		j := i + 1
		for j < len(text) && text[j] != '"' {
			if text[j] == '\\' {
				j++
			}
			j++
		}
		if j >= len(text) {
			return key, "", true, j, "unterminated quoted value"
		}
		v, uerr := strconv.Unquote(text[i : j+1])
		if uerr != nil {
			return key, "", true, j, "bad quoted value " + text[i:j+1]
		}
		return key, v, true, j + 1, ""
	}
	j := i
	for j < len(text) && text[j] != ' ' && text[j] != '\t' {
		j++
	}
	return key, text[i:j], true, j, ""
}

// posError is an error at a position in the file being rewritten.
type posError struct {
	pos token.Pos
	msg string
}

// isDirective reports whether a comment is in the //trace: namespace.
func isDirective(c *ast.Comment) bool {
	return strings.HasPrefix(c.Text, directivePrefix) && !nearMissRE.MatchString(c.Text)
}

// nearMissWords are in the text of every comment nearMisses reports.
var nearMissWords = []string{"trace:span", "trace:ignore", "trace: span", "trace: ignore", "tracespan", "traceignore"}

// nearMissRE matches comments that look meant as a directive but are not
// one: a space after the slashes or the colon, no colon, a block comment.
// Prose ("// a trace span is ...") is not matched.
var nearMissRE = regexp.MustCompile(`^(?://\s+trace\s*:\s*|//trace:\s+|//\s*trace|/\*\s*trace\s*:\s*)(span|ignore)\b`)

// nearMisses reports the comments of f that look like a directive and
// are not, so are ignored: they get a warning that says how to write it.
func nearMisses(f *ast.File) []posError {
	var out []posError
	for _, cg := range f.Comments {
		for _, c := range cg.List {
			if isDirective(c) {
				continue
			}
			m := nearMissRE.FindStringSubmatch(c.Text)
			if m == nil {
				continue
			}
			out = append(out, posError{c.Slash, fmt.Sprintf("%s is not a directive and is ignored; write //trace:%s, a line comment without spaces", m[0], m[1])})
		}
	}
	return out
}
