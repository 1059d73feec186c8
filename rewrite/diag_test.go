package rewrite

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tracegen/tracegen/templates"
)

func TestDirectiveErrors(t *testing.T) {
	t.Parallel()
	const head = "package p\n\nimport \"context\"\n\n"
	tests := []struct {
		name, src string
		want      []string // file:line:col: message
	}{
		{"misspelt", "//trace:spna\nfunc F(ctx context.Context) {}\n",
			[]string{"p.go:5:1: unknown directive //trace:spna (want //trace:span or //trace:ignore)"}},
		{"unknown option", "//trace:span nmae=x\nfunc F(ctx context.Context) {}\n",
			[]string{`p.go:5:14: unknown option "nmae" (want name=, tags=, kind=, ifactive, noerror or root)`}},
		{"repeated option", "//trace:span noerror noerror\nfunc F(ctx context.Context) {}\n",
			[]string{"p.go:5:22: option noerror given twice"}},
		{"missing value", "//trace:span name\nfunc F(ctx context.Context) {}\n",
			[]string{"p.go:5:14: option name needs a value (name=...)"}},
		{"flag with value", "//trace:span root=yes\nfunc F() {}\n",
			[]string{"p.go:5:14: option root takes no value"}},
		{"bad kind", "//trace:span kind=sideways\nfunc F(ctx context.Context) {}\n",
			[]string{`p.go:5:14: unknown span kind "sideways" (want internal, server, client, producer or consumer)`}},
		{"unterminated name", "//trace:span name=\"x\nfunc F(ctx context.Context) {}\n",
			[]string{"p.go:5:14: unterminated quoted value"}},
		{"tags missing param", "//trace:span tags=id,nope\nfunc F(ctx context.Context, id string) {}\n",
			[]string{"p.go:5:22: tags: p.F has no parameter named nope"}},
		{"tags unsupported type", "//trace:span tags=m\nfunc F(ctx context.Context, m map[string]int) {}\n",
			[]string{"p.go:5:19: tags: parameter m has type map[string]int, which cannot be recorded without type information (file excluded by build constraints?)"}},
		{"root with context", "//trace:span root\nfunc F(ctx context.Context) {}\n",
			[]string{"p.go:5:1: root: p.F already has a context.Context parameter"}},
		{"not above a func", "var _ = context.Background\n\n//trace:span\n\nfunc F(ctx context.Context) {}\n",
			[]string{"p.go:7:1: //trace: directive must be directly above a function declaration"}},
		{"on a closure", "func F(ctx context.Context) {\n\t//trace:span\n\tf := func(ctx context.Context) {}\n\tf(ctx)\n}\n",
			[]string{"p.go:6:2: //trace: directive must be directly above a function declaration"}},
		{"on a type", "//trace:span\ntype T struct{ ctx context.Context }\n",
			[]string{"p.go:5:1: //trace: directive must be directly above a function declaration"}},
		{"bodyless", "//trace:span\nfunc F(ctx context.Context)\n",
			[]string{"p.go:5:1: //trace:span on p.F, which has no body"}},
		{"two directives", "//trace:span\n//trace:ignore\nfunc F(ctx context.Context) {}\n",
			[]string{"p.go:6:1: more than one //trace: directive on F"}},
		{"ignore with options", "//trace:ignore root\nfunc F() {}\n",
			[]string{"p.go:5:16: //trace:ignore takes no options"}},
		{"no context is a warning", "//trace:span\nfunc F() {}\n\nvar _ context.Context\n",
			[]string{"p.go:5:1: p.F has no context.Context parameter; add root to start a root span"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			src := []byte(head + tc.src)
			out, diags, err := Source("p.go", src, Apply, nil)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, d := range diags {
				got = append(got, d.String())
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
			if string(out) != string(src) {
				t.Errorf("source changed despite the diagnostic:\n%s", out)
			}
		})
	}
}

func TestUnsupportedOptionInTemplate(t *testing.T) {
	t.Parallel()
	tmpl, err := templates.Builtin("otel")
	if err != nil {
		t.Fatal(err)
	}
	src := "package p\n\nimport \"context\"\n\n//trace:span ifactive\nfunc F(ctx context.Context) {}\n"
	_, diags, err := Source("p.go", []byte(src), Apply, tmpl)
	if err != nil {
		t.Fatal(err)
	}
	if len(diags) != 1 || !strings.Contains(diags[0].String(), "p.go:5:1: template otel: ") ||
		!strings.Contains(diags[0].Message, "option ifactive is not supported by template otel") {
		t.Errorf("diagnostics = %v, want one about ifactive and otel", diags)
	}
}

// TestStates follows one file through the target states: missing, current,
// stale after the directive changes or the function is renamed, orphan
// after the directive is deleted.
func TestStates(t *testing.T) {
	t.Parallel()
	tmpl, err := templates.Builtin("")
	if err != nil {
		t.Fatal(err)
	}
	run := func(src string) fileResult {
		return rewriteFile(fileJob{path: "p.go", src: []byte(src), pkgPath: "p", facts: syntaxFacts{}}, tmpl, Apply)
	}
	orig := "package p\n\nimport \"context\"\n\n//trace:span\nfunc F(ctx context.Context) error {\n\treturn nil\n}\n"
	r := run(orig)
	checkState(t, "new", r, Missing)
	applied := string(r.out)
	checkState(t, "applied", run(applied), Current)

	renamed := strings.Replace(applied, "func F(", "func G(", 1)
	r = run(renamed)
	checkState(t, "renamed", r, Stale)
	if want := string(run(strings.Replace(orig, "func F(", "func G(", 1)).out); string(r.out) != want {
		t.Errorf("renamed: got\n%s\nwant\n%s", r.out, want)
	}

	changed := strings.Replace(applied, "//trace:span", "//trace:span kind=server noerror", 1)
	r = run(changed)
	checkState(t, "options changed", r, Stale)
	if !strings.Contains(string(r.out), `tracegen.Start(&ctx, "p.F", tracegen.KindServer).End(nil)`) {
		t.Errorf("options changed: got\n%s", r.out)
	}

	deleted := strings.Replace(applied, "//trace:span\n", "", 1)
	r = run(deleted)
	checkState(t, "directive deleted", r, Orphan)
	if want := strings.Replace(orig, "//trace:span\n", "", 1); string(r.out) != want {
		t.Errorf("directive deleted: got\n%s\nwant\n%s", r.out, want)
	}
}

func checkState(t *testing.T, what string, r fileResult, want TargetState) {
	t.Helper()
	if len(r.diags) > 0 {
		t.Fatalf("%s: diagnostics %v", what, r.diags)
	}
	if len(r.targets) != 1 || r.targets[0].state != want {
		t.Fatalf("%s: targets %+v, want one %v", what, r.targets, want)
	}
}

// TestRunPackageErrors checks that a package whose declarations do not
// type-check is reported and not rewritten, while others are, and that typed checks
// (tags of unsupported types) report at the directive.
func TestRunPackageErrors(t *testing.T) {
	dir := t.TempDir()
	root, _ := filepath.Abs("..")
	writeTree(t, dir, map[string][]byte{
		"go.mod":            []byte("module example.com/m\n\ngo 1.26\n\nrequire github.com/tracegen/tracegen/runtime v0.0.0\n\nreplace github.com/tracegen/tracegen/runtime => " + filepath.Join(root, "runtime") + "\n"),
		"bad/bad.go":        []byte("package bad\n\nimport \"context\"\n\n//trace:span\nfunc F(ctx context.Context) Undefined { return nil }\n\n// G's body is not checked: its error is the compiler's to report.\nfunc G() int { return undefined }\n"),
		"tags/tags.go":      []byte("package tags\n\nimport \"context\"\n\ntype S struct{}\n\n//trace:span tags=s\nfunc F(ctx context.Context, s S) {}\n"),
		"good/good.go":      []byte("package good\n\nimport \"context\"\n\n//trace:span\nfunc F(ctx context.Context) {}\n"),
		"good/untouched.go": []byte("package good\n\n// G's body is dropped before type checking: no missing return.\nfunc G() int { return 1 }\n"),
		// The body uses a name the marker says tracegen gave: stripping it
		// would break the function.
		"given/given.go": []byte("package given\n\nimport (\n\t\"context\"\n\n\ttracegen \"github.com/tracegen/tracegen/runtime\" //tracegen:generated\n)\n\n//trace:span\nfunc F(ctx context.Context) (err error) {\n\tdefer tracegen.Start(&ctx, \"given.F\").End(&err) //tracegen:generated err=unnamed\n\terr = ctx.Err()\n\treturn err\n}\n"),
	})
	res, err := Run(Config{Dir: dir, Patterns: []string{"./..."}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range res.Diagnostics {
		got = append(got, strings.TrimPrefix(d.String(), dir+string(filepath.Separator)))
	}
	want := []string{
		"bad/bad.go:6:29: undefined: Undefined",
		"given/given.go:12:2: given.F uses err, which the marker says tracegen named (err=unnamed): name it in the signature and take err=unnamed out of the marker",
		"tags/tags.go:7:19: tags: parameter s has type tags.S, which cannot be recorded (want a string, number, bool, fmt.Stringer or error)",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	if len(res.Files) != 1 || res.Files[0].Path != filepath.Join(dir, "good", "good.go") {
		t.Errorf("files = %v, want only good/good.go", res.Files)
	}
	if _, err := Run(Config{Dir: dir, Template: 42}); err == nil {
		t.Error("Run with a bad Template: no error")
	}
}

func TestInModule(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		path string
		want bool
	}{
		{"/m/a.go", true},
		{"/m/p/a.go", true},
		{"/m/vendor/x/a.go", false},
		{"/m/p/testdata/a.go", false},
		{"/other/a.go", false},
		{"/m2/a.go", false},
		{"/m/vendorish/a.go", true},
	} {
		if got := inModule("/m", tc.path); got != tc.want {
			t.Errorf("inModule(/m, %s) = %v, want %v", tc.path, got, tc.want)
		}
	}
}

// TestUnusedNamesNotGiven: a template that does not use the error (or the
// context) leaves the results (or parameters) as they are.
func TestUnusedNamesNotGiven(t *testing.T) {
	t.Parallel()
	src := "package p\n\nimport \"context\"\n\n//trace:span\nfunc F(context.Context, int) (int, error) {\n\treturn 0, nil\n}\n"
	for _, tc := range []struct {
		name, tmpl, want string
	}{
		{"no error", `defer {{.Import.tracegen}}.Start({{if .Ctx}}&{{.Ctx}}{{else}}nil{{end}}, {{quote .SpanName}}).End(nil)`,
			"func F(ctx context.Context, _ int) (int, error) {"},
		{"no context", `defer {{.Import.tracegen}}.Start(nil, {{quote .SpanName}}).End({{if .Err}}&{{.Err}}{{else}}nil{{end}})`,
			"func F(context.Context, int) (_ int, err error) {"},
	} {
		tmpl, err := templates.Parse(tc.name, []byte("//import tracegen \"github.com/tracegen/tracegen/runtime\"\n"+tc.tmpl+"\n"))
		if err != nil {
			t.Fatal(err)
		}
		out, diags, err := Source("p.go", []byte(src), Apply, tmpl)
		if err != nil || hasError(diags) {
			t.Fatalf("%s: %v %v", tc.name, err, diags)
		}
		if !strings.Contains(string(out), tc.want) {
			t.Errorf("%s: want %q in\n%s", tc.name, tc.want, out)
		}
		back, _, _ := Source("p.go", out, Strip, tmpl)
		if string(back) != src {
			t.Errorf("%s: strip gives\n%s", tc.name, back)
		}
	}
}

// TestNearMisses checks which comments are taken for misspelt directives.
func TestNearMisses(t *testing.T) {
	t.Parallel()
	src := "package p\n\n// trace:span\n//trace: ignore\n//tracespan\n/* trace:span */\n// A trace span is what a function makes.\n// Stack trace: span of the panic.\nfunc F() {}\n"
	f, err := parser.ParseFile(token.NewFileSet(), "p.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range nearMisses(f) {
		got = append(got, strings.SplitN(e.msg, " is not", 2)[0])
	}
	want := []string{"// trace:span", "//trace: ignore", "//tracespan", "/* trace:span"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("near misses (-want +got):\n%s", diff)
	}
}

// TestRecompiledTestDependency: p's external tests import q, which imports
// p, so go recompiles q against p's tests (q [p.test]); the loader checks
// that variant from source, not from export data it cannot have.
func TestRecompiledTestDependency(t *testing.T) {
	dir := t.TempDir()
	root, _ := filepath.Abs("..")
	writeTree(t, dir, map[string][]byte{
		"go.mod":             []byte("module example.com/m\n\ngo 1.26\n\nrequire github.com/tracegen/tracegen/runtime v0.0.0\n\nreplace github.com/tracegen/tracegen/runtime => " + filepath.Join(root, "runtime") + "\n"),
		"p/p.go":             []byte("package p\n\nimport \"context\"\n\ntype T struct{}\n\n//trace:span\nfunc F(ctx context.Context) T { return T{} }\n"),
		"p/internal_test.go": []byte("package p\n\nfunc helper() int { return 1 }\n"),
		"p/p_test.go":        []byte("package p_test\n\nimport (\n\t\"context\"\n\t\"testing\"\n\n\t\"example.com/m/p\"\n\t\"example.com/m/q\"\n)\n\n//trace:span\nfunc use(ctx context.Context) p.T { return q.G(ctx) }\n\nfunc TestG(t *testing.T) { _ = use(context.Background()) }\n"),
		"q/q.go":             []byte("package q\n\nimport (\n\t\"context\"\n\n\t\"example.com/m/p\"\n)\n\nfunc G(ctx context.Context) p.T { return p.F(ctx) }\n"),
	})
	res, err := Run(Config{Dir: dir, Patterns: []string{"./p"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Diagnostics) != 0 {
		t.Fatalf("diagnostics: %v", res.Diagnostics)
	}
	if len(res.Files) != 2 {
		t.Errorf("%d files changed, want p.go and p_test.go: %v", len(res.Files), res.Files)
	}
}
