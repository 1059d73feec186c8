package rules

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"unknown top key", "rule: []\n", "tracegen.yaml:1:1: unknown key \"rule\" (did you mean rules?)"},
		{"unknown key, far", "version: 2\n", "tracegen.yaml:1:1: unknown key \"version\" (want rules)"},
		{"rules not a list", "rules: 3\n", "tracegen.yaml:1:8: rules must be a list"},
		{"unknown rule key", "rules:\n  - packges: ./...\n", `tracegen.yaml:2:5: unknown key "packges" in a rule (did you mean packages?)`},
		{"bad glob", "rules:\n  - funcs: \"Get[\"\n", `tracegen.yaml:2:12: "Get[": bad glob: syntax error in pattern`},
		{"bad regexp", "rules:\n  - funcs: [\"re:(\"]\n", "tracegen.yaml:2:13: \"re:(\": bad regular expression: missing closing ): `(`"},
		{"bad receiver", "rules:\n  - receivers: \"(*T\"\n", `tracegen.yaml:2:16: "(*T": unbalanced parentheses`},
		{"bad package", "rules:\n  - packages: ../x\n", `tracegen.yaml:2:15: "../x": package pattern must start with ./ or be an import path`},
		{"bad kind", "rules:\n  - kind: sever\n", `tracegen.yaml:2:11: unknown span kind "sever"`},
		{"bad only", "rules:\n  - only: method\n", `tracegen.yaml:2:11: only: "method" is neither methods nor functions`},
		{"bad bool", "rules:\n  - exported: yes please\n", "tracegen.yaml:2:15: want true or false"},
		{"bad count", "rules:\n  - min_statements: -1\n", "tracegen.yaml:2:21: want a number of statements (0 or more)"},
		{"bad tag", "rules:\n  - tags: [id, 2x]\n", `tracegen.yaml:2:16: tags: "2x" is not a parameter name`},
		{"bad span", "rules:\n  - span: \"{pkg}.{method}\"\n", "tracegen.yaml:2:11: span: unknown placeholder {method}"},
		{"root with context", "rules:\n  - signature: {context: true}\n    root: true\n", "tracegen.yaml:3:11: root cannot apply: signature.context selects functions that have a context"},
		{"nothing to start from", "rules:\n  - signature: {context: false, request: false}\n", "tracegen.yaml:2:16: signature: a function with neither a context nor a request is selected only with root"},
		{"unknown signature key", "rules:\n  - signature: {err: true}\n", `tracegen.yaml:2:17: unknown key "err" in signature (did you mean error?)`},
		{"unknown exclude key", "rules:\n  - exclude: {test: true}\n", `tracegen.yaml:2:15: unknown key "test" in exclude (did you mean tests?)`},
		{"repeated key", "rules:\n  - name: a\n    name: b\n", "tracegen.yaml:3:5: name given twice"},
		{"rule not a mapping", "rules:\n  - ./...\n", "tracegen.yaml:2:5: a rule must be a mapping of keys to values"},
		{"yaml syntax", "rules:\n  - name: a\n\tb", "tracegen.yaml:3:1: found a tab character that violates indentation"},
		{"yaml flow", "rules:\n  - name: [a\n", "tracegen.yaml:2:1: did not find expected ',' or ']'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("tracegen.yaml", []byte(tt.src))
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			if got := err.Error(); !strings.HasPrefix(got, tt.want) {
				t.Errorf("error\n%s\nwant it to start with\n%s", got, tt.want)
			}
		})
	}
}

func TestParseAllErrors(t *testing.T) {
	_, err := Parse("r.yaml", []byte("rules:\n  - kind: x\n  - only: y\n"))
	list, ok := err.(ErrorList)
	if !ok || len(list) != 2 {
		t.Fatalf("got %v, want both errors", err)
	}
}

func TestEmpty(t *testing.T) {
	for _, src := range []string{"", "# nothing\n", "rules: []\n"} {
		s, err := Parse("tracegen.yaml", []byte(src))
		if err != nil || len(s.Rules) != 0 {
			t.Errorf("Parse(%q) = %v, %v; want no rules", src, s, err)
		}
	}
}

func TestMatch(t *testing.T) {
	dir := t.TempDir()
	src := `
rules:
  - name: store
    packages: [./internal/store/...]
    receivers: "(*Store)"
    exported: true
  - name: svc
    packages: example.com/app/svc
    funcs: ["re:^(Get|List)", "Find*"]
    only: functions
    signature: {error: true}
  - name: value
    receivers: "(Value)"
  - name: handlers
    signature: {request: true}
    files: "*_handler.go"
  - name: long
    min_statements: 5
    exclude:
      tests: true
      files: "gen/*.go"
      funcs: String
      receivers: "*Mock"
  - name: roots
    packages: ./cmd/...
    root: true
`
	s, err := Parse(filepath.Join(dir, "tracegen.yaml"), []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	at := func(rel string) (string, string) {
		file := filepath.Join(dir, filepath.FromSlash(rel))
		return filepath.Dir(file), file
	}
	fn := func(rel, pkgPath, recv string, pointer bool, name string, stmts int, ctx, req, errRes bool) *Func {
		d, file := at(rel)
		return &Func{PkgDir: d, PkgPath: pkgPath, File: file, Name: name, Recv: recv, Pointer: pointer, Stmts: stmts, Context: ctx, Request: req, Error: errRes}
	}
	tests := []struct {
		name string
		f    *Func
		want string
	}{
		{"pointer method", fn("internal/store/s.go", "example.com/app/internal/store", "Store", true, "Get", 1, true, false, true), "store"},
		{"subpackage", fn("internal/store/sql/s.go", "example.com/app/internal/store/sql", "Store", true, "Get", 1, true, false, false), "store"},
		{"value method", fn("internal/store/s.go", "example.com/app/internal/store", "Store", false, "Get", 1, true, false, true), ""},
		{"unexported", fn("internal/store/s.go", "example.com/app/internal/store", "Store", true, "get", 1, true, false, true), ""},
		{"other package", fn("internal/storex/s.go", "example.com/app/internal/storex", "Store", true, "Get", 1, true, false, true), ""},
		{"no context", fn("internal/store/s.go", "example.com/app/internal/store", "Store", true, "Get", 1, false, false, true), ""},
		{"import path", fn("svc/s.go", "example.com/app/svc", "", false, "GetUser", 1, true, false, true), "svc"},
		{"external test package", fn("svc/s_test.go", "example.com/app/svc_test", "", false, "FindUser", 1, true, false, true), "svc"},
		{"regexp misses", fn("svc/s.go", "example.com/app/svc", "", false, "PutUser", 1, true, false, true), ""},
		{"no error", fn("svc/s.go", "example.com/app/svc", "", false, "GetUser", 1, true, false, false), ""},
		{"method, functions only", fn("svc/s.go", "example.com/app/svc", "T", true, "GetUser", 1, true, false, true), ""},
		{"value receiver only", fn("x/s.go", "example.com/app/x", "Value", false, "String", 1, true, false, false), "value"},
		{"pointer, value only", fn("x/s.go", "example.com/app/x", "Value", true, "String", 1, true, false, false), ""},
		{"request", fn("web/user_handler.go", "example.com/app/web", "", false, "Serve", 1, false, true, false), "handlers"},
		{"request, other file", fn("web/user.go", "example.com/app/web", "", false, "Serve", 1, false, true, false), ""},
		{"long", fn("x/s.go", "example.com/app/x", "", false, "Work", 5, true, false, false), "long"},
		{"short", fn("x/s.go", "example.com/app/x", "", false, "Work", 4, true, false, false), ""},
		{"long in a test", fn("x/s_test.go", "example.com/app/x", "", false, "Work", 5, true, false, false), ""},
		{"long, generated dir", fn("gen/s.go", "example.com/app/gen", "", false, "Work", 5, true, false, false), ""},
		{"long, excluded name", fn("x/s.go", "example.com/app/x", "T", true, "String", 5, true, false, false), ""},
		{"long, excluded receiver", fn("x/s.go", "example.com/app/x", "ClockMock", true, "Now", 5, true, false, false), ""},
		{"root", fn("cmd/app/main.go", "example.com/app/cmd/app", "", false, "run", 1, false, false, false), "roots"},
		{"root rule, with context", fn("cmd/app/main.go", "example.com/app/cmd/app", "", false, "run", 1, true, false, false), "roots"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ""
			if r := s.Match(tt.f); r != nil {
				got = r.Label()
			}
			if got != tt.want {
				t.Errorf("Match = %q, want %q", got, tt.want)
			}
			if tt.want != "" && !s.MayMatch(tt.f) {
				t.Error("MayMatch = false for a function Match selects")
			}
			if tt.want != "" && !s.MayMatchFile(tt.f.PkgDir, tt.f.PkgPath, tt.f.File) {
				t.Error("MayMatchFile = false for a function Match selects")
			}
		})
	}
}

func TestPackagePatterns(t *testing.T) {
	tests := []struct {
		pattern, rel string
		want         bool
	}{
		{"./...", ".", true},
		{"./...", "a/b", true},
		{".", ".", true},
		{".", "a", false},
		{"./a/...", "a", true},
		{"./a/...", "a/b", true},
		{"./a/...", "ab", false},
		{"./a", "a/b", false},
		{"./.../mock", "a/b/mock", true},
		{"./...", "../x", false},
	}
	for _, tt := range tests {
		m, err := packagePattern(tt.pattern)
		if err != nil {
			t.Fatal(err)
		}
		if got := m.matchPackage(tt.rel, ""); got != tt.want {
			t.Errorf("%s matches %s = %v, want %v", tt.pattern, tt.rel, got, tt.want)
		}
	}
}

func TestSpanName(t *testing.T) {
	tests := []struct{ tmpl, recv, want string }{
		{"{pkg}.{recv}.{func}", "Store", "store.Store.Get"},
		{"{pkg}.{recv}.{func}", "", "store.Get"},
		{"{path}:{func}", "", "example.com/store:Get"},
		{"db {func}", "T", "db Get"},
	}
	for _, tt := range tests {
		if got := SpanName(tt.tmpl, "store", "example.com/store", tt.recv, "Get"); got != tt.want {
			t.Errorf("SpanName(%q, recv %q) = %q, want %q", tt.tmpl, tt.recv, got, tt.want)
		}
	}
}

func TestDirective(t *testing.T) {
	s, err := Parse("t.yaml", []byte("rules:\n  - span: \"a b\"\n    tags: [x, y]\n    kind: client\n    noerror: true\n"))
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(s.Rules[0].Options.Directive(), " ")
	if want := `name="a b" tags=x,y kind=client noerror`; got != want {
		t.Errorf("Directive() = %s, want %s", got, want)
	}
}

// BenchmarkMatch matches a function against N rules, none of which
// selects it until the last: ns/rule (ns/op divided by N) is the cost per
// function per rule, and its staying flat as N grows shows matching is
// linear in functions x rules.
func BenchmarkMatch(b *testing.B) {
	for _, n := range []int{10, 100, 1000} {
		b.Run(fmt.Sprintf("rules=%d", n), func(b *testing.B) {
			var src strings.Builder
			src.WriteString("rules:\n")
			for i := range n - 1 {
				fmt.Fprintf(&src, "  - packages: ./internal/layer%d/...\n    receivers: \"(*Store%d)\"\n    funcs: [\"Get*\", \"re:^List\"]\n    exported: true\n", i, i)
			}
			src.WriteString("  - packages: ./internal/...\n    funcs: \"re:^F\"\n")
			dir := b.TempDir()
			s, err := Parse(filepath.Join(dir, "tracegen.yaml"), []byte(src.String()))
			if err != nil {
				b.Fatal(err)
			}
			pkgDir := filepath.Join(dir, "internal", "pkg7")
			f := &Func{PkgDir: pkgDir, PkgPath: "example.com/app/internal/pkg7", File: filepath.Join(pkgDir, "f.go"), Name: "F12", Recv: "Store3", Pointer: true, Stmts: 3, Context: true}
			b.ReportAllocs()
			for b.Loop() {
				if s.Match(f) == nil {
					b.Fatal("no match")
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(s.Rules)), "ns/rule")
		})
	}
}
