package rebind

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
)

// These tests hold with and without a tracer installed: the instrumented
// functions do to their callers exactly what they did before.

func TestSetHost(t *testing.T) {
	r := httptest.NewRequest(http.MethodGet, "http://example.com/", nil)
	SetHost(r)
	if r.Host != "signed.example" {
		t.Errorf("Host = %q, want the caller's request changed", r.Host)
	}
}

func TestSign(t *testing.T) {
	r := httptest.NewRequest(http.MethodGet, "http://example.com/", nil)
	if err := Sign(r, "k"); err != nil {
		t.Fatal(err)
	}
	if got := r.Header.Get("Signature"); got != "k" {
		t.Errorf("Signature = %q, want the caller's request signed", got)
	}
}

func TestServe(t *testing.T) {
	w := httptest.NewRecorder()
	Serve(w, httptest.NewRequest(http.MethodGet, "http://example.com/", nil))
	if got := w.Header().Get("X-Host"); got != "example.com" {
		t.Errorf("X-Host = %q", got)
	}
}

func TestKeep(t *testing.T) {
	r := httptest.NewRequest(http.MethodGet, "http://example.com/", nil)
	var rec Recorder
	rec.Keep(httptest.NewRecorder(), r)
	if rec.Last != r {
		t.Error("Keep stored another request than it was given")
	}
}

func TestCheck(t *testing.T) {
	if err := Check(nil); err != errNilContext {
		t.Errorf("Check(nil) = %v, want errNilContext", err)
	}
	if err := Check(context.Background()); err != nil {
		t.Errorf("Check(Background) = %v", err)
	}
}

func TestContextsLeave(t *testing.T) {
	ctx := context.WithValue(context.Background(), userKey{}, "ada")
	if Same(ctx) != ctx {
		t.Error("Same returned another context")
	}
	u := WithUser(ctx, "bob")
	if User(u) != "bob" || u.(interface{ Value(any) any }).Value(userKey{}) != "bob" {
		t.Error("WithUser lost its value")
	}
	req, err := NewRequest(ctx, "http://example.com/")
	if err != nil || req.Context() != ctx {
		t.Errorf("NewRequest's request has another context (err %v)", err)
	}
	var j Job
	j.Start(ctx)
	if j.Context() != ctx {
		t.Error("Start stored another context")
	}
	if !IsBackground(context.Background()) || IsBackground(ctx) {
		t.Error("IsBackground is wrong")
	}
	if !Matches(ctx, req) {
		t.Error("Matches is false for the request's own context")
	}
	if out, err := Derive(ctx); out != ctx || err != nil {
		t.Error("Derive returned another context")
	}
	ch := make(chan context.Context, 1)
	Send(ctx, ch)
	if <-ch != ctx {
		t.Error("Send sent another context")
	}
	if !Index(ctx, map[context.Context]bool{ctx: true}) {
		t.Error("Index did not find its context")
	}
	if KindOf(kindCtx{ctx}) != "kind" {
		t.Error("KindOf lost the context's type")
	}
	if Later(ctx)() != ctx {
		t.Error("Later's closure has another context")
	}
	if p := MakePair(ctx, "x"); p.Ctx != ctx || p.Name != "x" {
		t.Error("MakePair stored another context")
	}
}

type kindCtx struct{ context.Context }

func (kindCtx) Kind() string { return "kind" }

func TestRebound(t *testing.T) {
	if v, err := Fetch(context.Background(), 2); v != 4 || err != nil {
		t.Errorf("Fetch = %d, %v", v, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Fetch(ctx, 2); err != context.Canceled {
		t.Errorf("Fetch on a canceled context = %v", err)
	}
	if n, err := Count(context.Background(), []string{"a", "b"}); n != 2 || err != nil {
		t.Errorf("Count = %d, %v", n, err)
	}
	if Shadow(context.Background()) != context.Background() {
		t.Error("Shadow")
	}
}
