package templates

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBuiltin(t *testing.T) {
	t.Parallel()
	for _, name := range append([]string{""}, Names...) {
		tm, err := Builtin(name)
		if err != nil {
			t.Fatalf("Builtin(%q): %v", name, err)
		}
		d := Data{SpanName: "p.F", PkgPath: "example.com/p", Ctx: "ctx", Err: "err", Kind: "client",
			Import: map[string]string{}}
		for _, imp := range tm.Imports {
			d.Import[imp.Name] = imp.Name
		}
		if _, err := tm.Render(d); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := Builtin("nope"); err == nil || !strings.Contains(err.Error(), "unknown template") {
		t.Errorf("Builtin(nope) = %v, want unknown template error", err)
	}
}

func TestDefaultRender(t *testing.T) {
	t.Parallel()
	tm, err := Builtin("")
	if err != nil {
		t.Fatal(err)
	}
	tags := []Tag{{Key: "key", Kind: "string", Value: "key"}, {Key: "n", Kind: "int", Value: "int64(n)"}}
	for _, tc := range []struct {
		d    Data
		want string
	}{
		{Data{Ctx: "ctx", Err: "err", Kind: "client", IfActive: true, Tags: tags, Rebind: true},
			`defer tg.Start(&ctx, "store.(*Store).Get", tg.IfActive, tg.KindClient).TagString("key", key).TagInt("n", int64(n)).End(&err)`},
		{Data{Ctx: "ctx", Err: "err"},
			`defer tg.StartFrom(ctx, "store.(*Store).Get").End(&err)`},
		{Data{Req: "r", Rebind: true},
			`defer tg.StartRequest(&r, "store.(*Store).Get").End(nil)`},
		{Data{Req: "r"},
			`defer tg.StartFromRequest(r, "store.(*Store).Get").End(nil)`},
		{Data{Rebind: true},
			`defer tg.Start(nil, "store.(*Store).Get").End(nil)`},
	} {
		tc.d.SpanName, tc.d.Import = "store.(*Store).Get", map[string]string{"tracegen": "tg"}
		got, err := tm.Render(tc.d)
		if err != nil {
			t.Fatal(err)
		}
		if got != tc.want {
			t.Errorf("got\n%s\nwant\n%s", got, tc.want)
		}
	}
}

func TestParseFileErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, tc := range []struct{ name, src, want string }{
		{"syntax", "{{.Ctx", "unclosed action"},
		{"field", "defer f({{.Nope}})", "can't evaluate field Nope"},
		{"notgo", "this is not go", "invalid Go"},
		{"import", "//import bad\nx()", "bad import line"},
		{"empty", "{{/* nothing */}}", "renders no statements"},
	} {
		path := filepath.Join(dir, tc.name+".tmpl")
		if err := os.WriteFile(path, []byte(tc.src), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := ParseFile(path)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
	}
	if _, err := ParseFile(filepath.Join(dir, "missing.tmpl")); err == nil {
		t.Error("missing file: no error")
	}
}

// TestParseErrorLines checks that a parse error names the template file's own
// line, counting the //import header, and says "template:" once.
func TestParseErrorLines(t *testing.T) {
	src := "//import tracegen \"github.com/tracegen/tracegen/runtime\"\n//import fmt \"fmt\"\ndefer {{if}}\n"
	_, err := Parse("my.tmpl", []byte(src))
	if err == nil {
		t.Fatal("Parse accepted a template with a broken action")
	}
	if got, want := err.Error(), "template: my.tmpl:3: missing value for if"; got != want {
		t.Errorf("error = %q, want %q", got, want)
	}
}
