package templates

import (
	"bytes"
	"embed"
	"fmt"
	"go/parser"
	"go/token"
	"os"
	"regexp"
	"strconv"
	"strings"
	"text/template"
	"unicode"
	"unicode/utf8"
)

//go:embed tracegen.tmpl opentracing.tmpl otel.tmpl
var builtinFS embed.FS

// Names lists the built-in templates; the first is the default.
var Names = []string{"tracegen", "opentracing", "otel"}

// Default is the name of the default template.
const Default = "tracegen"

// Template renders the statements injected into a traced function.
type Template struct {
	// Name is the built-in name or the file's path.
	Name string

	// Imports are the packages the injected code may use, in file order.
	Imports []Import

	tmpl *template.Template
}

// Import is one package a template uses.
type Import struct {
	Name string // the identifier the template refers to it by (key in Data.Import)
	Path string // import path
}

// Data is what a template renders; see the package documentation.
type Data struct {
	SpanName string
	PkgPath  string
	PkgName  string
	Func     string
	Ctx      string
	Req      string
	Err      string
	Tags     []Tag
	Kind     string
	IfActive bool
	Rebind   bool
	Import   map[string]string
}

// Tag is one parameter recorded as a tag.
type Tag struct {
	Key   string // tag key: the parameter's name
	Expr  string // the parameter
	Kind  string // string, int, uint, float, bool, stringer or error
	Value string // Expr converted to the Go type Kind stands for
}

// Builtin returns the built-in template called name ("" means the default).
func Builtin(name string) (*Template, error) {
	if name == "" {
		name = Default
	}
	src, err := builtinFS.ReadFile(name + ".tmpl")
	if err != nil {
		return nil, fmt.Errorf("unknown template %q (built-in templates: %s)", name, strings.Join(Names, ", "))
	}
	return Parse(name, src)
}

// ParseFile reads and checks a user-supplied template file.
func ParseFile(path string) (*Template, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("template: %w", err)
	}
	return Parse(path, src)
}

var importLine = regexp.MustCompile(`^//import ([\p{L}_][\p{L}\p{N}_]*) ("[^"]+")\s*$`)

// Parse parses a template named name from src. It renders sample data and
// checks that the result is Go statements, so that a broken template fails
// here rather than in the files it would be applied to.
func Parse(name string, src []byte) (*Template, error) {
	t := &Template{Name: name}
	rest := string(src)
	line := 1
	for strings.HasPrefix(rest, "//import") {
		l, tail, _ := strings.Cut(rest, "\n")
		m := importLine.FindStringSubmatch(strings.TrimRight(l, "\r"))
		if m == nil {
			return nil, fmt.Errorf("%s:%d: bad import line %q: want //import NAME \"PATH\"", name, line, l)
		}
		path, err := strconv.Unquote(m[2])
		if err != nil {
			return nil, fmt.Errorf("%s:%d: bad import path %s", name, line, m[2])
		}
		t.Imports = append(t.Imports, Import{Name: m[1], Path: path})
		rest = tail
		line++
	}
	// Each import line becomes an empty comment action that trims the
	// newline after it, so that text/template's line numbers in errors are
	// the file's own.
	rest = strings.Repeat("{{- /* //import */ -}}\n", line-1) + rest
	tmpl, err := template.New(name).Funcs(funcs(name)).Option("missingkey=error").Parse(rest)
	if err != nil {
		return nil, err // text/template's errors read "template: name:line: ..."
	}
	t.tmpl = tmpl
	if err := t.check(); err != nil {
		return nil, err
	}
	return t, nil
}

func funcs(name string) template.FuncMap {
	return template.FuncMap{
		"quote": strconv.Quote,
		"title": func(s string) string {
			r, n := utf8.DecodeRuneInString(s)
			return string(unicode.ToUpper(r)) + s[n:]
		},
		"unsupported": func(option string) (string, error) {
			return "", fmt.Errorf("option %s is not supported by template %s", option, name)
		},
	}
}

// check renders sample data the way the rewriter will and parses it.
func (t *Template) check() error {
	samples := []Data{
		{SpanName: "p.F", PkgPath: "example.com/p", PkgName: "p", Func: "p.F", Ctx: "ctx", Err: "err", Rebind: true,
			Tags: []Tag{{Key: "s", Expr: "s", Kind: "string", Value: "s"}, {Key: "n", Expr: "n", Kind: "int", Value: "int64(n)"}}, Kind: "client"},
		{SpanName: "p.F", PkgPath: "example.com/p", PkgName: "p", Func: "p.F", Ctx: "ctx"},
		{SpanName: "p.F", PkgPath: "example.com/p", PkgName: "p", Func: "p.F"},
		{SpanName: "p.F", PkgPath: "example.com/p", PkgName: "p", Func: "p.F", Req: "r", Rebind: true},
		{SpanName: "p.F", PkgPath: "example.com/p", PkgName: "p", Func: "p.F", Req: "r"},
	}
	for _, d := range samples {
		d.Import = map[string]string{}
		for _, imp := range t.Imports {
			d.Import[imp.Name] = imp.Name
		}
		out, err := t.Render(d)
		if err != nil {
			return err
		}
		if strings.TrimSpace(out) == "" {
			return fmt.Errorf("template %s renders no statements", t.Name)
		}
		if err := parseStmts(out); err != nil {
			return fmt.Errorf("template %s renders invalid Go: %v\n%s", t.Name, err, out)
		}
	}
	return nil
}

// Render executes the template with d and returns the statements with
// surrounding blank space trimmed.
func (t *Template) Render(d Data) (string, error) {
	var buf bytes.Buffer
	if err := t.tmpl.Execute(&buf, d); err != nil {
		return "", fmt.Errorf("template %s: %w", t.Name, err)
	}
	return strings.Trim(buf.String(), " \t\r\n"), nil
}

func parseStmts(stmts string) error {
	src := "package p\nfunc _() {\n" + stmts + "\n}\n"
	_, err := parser.ParseFile(token.NewFileSet(), "template", src, parser.SkipObjectResolution)
	return err
}
