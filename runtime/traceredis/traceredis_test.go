package traceredis_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	tracegen "github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/internal/testenv"
	"github.com/tracegen/tracegen/runtime/mocktracer"
	"github.com/tracegen/tracegen/runtime/traceredis"
)

func newClient(t *testing.T, opts ...traceredis.Option) (*redis.Client, *mocktracer.Tracer) {
	t.Helper()
	addr := testenv.Server(t, "TRACEGEN_REDIS_ADDR", "Redis")
	tr := mocktracer.New()
	rdb := redis.NewClient(&redis.Options{Addr: addr, DB: 0, PoolSize: 1})
	t.Cleanup(func() { rdb.Close() })
	// Open the connection before tracing: a new connection's handshake
	// (HELLO, CLIENT SETINFO) would otherwise show up as spans too.
	if err := rdb.Ping(context.Background()).Err(); err != nil {
		t.Fatal(err)
	}
	rdb.AddHook(traceredis.NewHook(append([]traceredis.Option{traceredis.WithTracer(tr), traceredis.WithAddr(addr, 0)}, opts...)...))
	return rdb, tr
}

// TestCommands runs commands against a real Redis and checks their spans.
func TestCommands(t *testing.T) {
	rdb, tr := newClient(t)
	root := tr.StartSpan("test")
	ctx := tracegen.ContextWithSpan(context.Background(), root)
	key := "tracegen:test:" + t.Name()

	if err := rdb.Set(ctx, key, "v1", 0).Err(); err != nil {
		t.Fatal(err)
	}
	if v, err := rdb.Get(ctx, key).Result(); err != nil || v != "v1" {
		t.Fatalf("GET = %q, %v", v, err)
	}
	if err := rdb.Get(ctx, key+":missing").Err(); !errors.Is(err, redis.Nil) {
		t.Fatalf("GET missing = %v, want redis.Nil", err)
	}
	if err := rdb.Do(ctx, "NOSUCHCOMMAND").Err(); err == nil {
		t.Fatal("an unknown command succeeded")
	}
	if _, err := rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		p.Incr(ctx, key+":n")
		p.Del(ctx, key, key+":n")
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	root.Finish()

	spans := tr.FinishedSpans()
	rootID := root.(*mocktracer.Span).SpanID()
	type want struct {
		name, statement string
		err             bool
	}
	wants := []want{
		{"SET", "set " + key + " ?", false},
		{"GET", "get " + key, false},
		{"GET", "get " + key + ":missing", false},
		{"NOSUCHCOMMAND", "NOSUCHCOMMAND", true},
		{"PIPELINE", "INCR DEL", false},
	}
	var got []*mocktracer.Span
	for _, s := range spans {
		if s.SpanID() == rootID || isHandshake(s) {
			continue
		}
		got = append(got, s)
	}
	if len(got) != len(wants) {
		t.Fatalf("got %d spans, want %d: %v", len(got), len(wants), got)
	}
	for i, w := range wants {
		s := got[i]
		name := s.OperationName()
		if name == "pipeline" {
			name = "PIPELINE"
		}
		if name != w.name || s.Tag("db.statement") != w.statement || (s.Tag("error") == true) != w.err {
			t.Errorf("span %d: %s %q error=%v, want %s %q error=%v", i, s.OperationName(), s.Tag("db.statement"), s.Tag("error"), w.name, w.statement, w.err)
		}
		if s.ParentID() != rootID || s.Tag("db.type") != "redis" || s.Tag("peer.address") == nil {
			t.Errorf("span %d: parent %d tags %v", i, s.ParentID(), s.Tags())
		}
	}
	if n := got[4].Tag("db.redis.num_cmd"); n != 2 {
		t.Errorf("pipeline num_cmd = %v, want 2", n)
	}
}

// isHandshake reports whether s traces a connection's setup, which go-redis
// runs again whenever it replaces a connection (after an error reply, say).
func isHandshake(s *mocktracer.Span) bool {
	stmt, _ := s.Tag("db.statement").(string)
	return s.OperationName() == "HELLO" || strings.HasPrefix(stmt, "CLIENT") || strings.HasPrefix(stmt, "client")
}

// TestNoSecrets runs a client with a password against a real Redis with
// requirepass, from its first connection, so that the handshake (HELLO
// with AUTH) is traced too, and checks that neither the password nor a
// stored value reaches any span, by default and with full arguments.
func TestNoSecrets(t *testing.T) {
	addr := testenv.Server(t, "TRACEGEN_REDIS_AUTH_ADDR", "Redis with requirepass")
	password := testenv.Server(t, "TRACEGEN_REDIS_PASSWORD", "Redis with requirepass")
	const token = "tok-9f8e7d6c5b4a-secret"
	for _, full := range []bool{false, true} {
		tr := mocktracer.New()
		opts := []traceredis.Option{traceredis.WithTracer(tr), traceredis.WithAddr(addr, 0)}
		if full {
			opts = append(opts, traceredis.WithFullArguments())
		}
		rdb := redis.NewClient(&redis.Options{Addr: addr, Password: password, PoolSize: 1})
		rdb.AddHook(traceredis.NewHook(opts...))
		root := tr.StartSpan("test")
		ctx := tracegen.ContextWithSpan(context.Background(), root)
		key := "session:42:" + t.Name()
		if err := rdb.Set(ctx, key, token, 0).Err(); err != nil {
			t.Fatal(err)
		}
		if v, err := rdb.Get(ctx, key).Result(); err != nil || v != token {
			t.Fatalf("GET = %q, %v", v, err)
		}
		if err := rdb.Do(ctx, "AUTH", password).Err(); err != nil {
			t.Fatal(err)
		}
		root.Finish()
		rdb.Close()
		var hello, set bool
		for _, s := range tr.FinishedSpans() {
			for k, v := range s.Tags() {
				if str := fmt.Sprint(v); strings.Contains(str, password) || !full && strings.Contains(str, token) {
					t.Errorf("full=%v: span %s tag %s = %q holds a secret", full, s.OperationName(), k, str)
				}
			}
			stmt, _ := s.Tag("db.statement").(string)
			hello = hello || s.OperationName() == "HELLO"
			if s.OperationName() == "SET" {
				set = true
				want := "set " + key + " ?"
				if full {
					want = "set " + key + " " + token
				}
				if stmt != want {
					t.Errorf("full=%v: SET statement %q, want %q", full, stmt, want)
				}
			}
		}
		if !hello || !set {
			t.Errorf("full=%v: the handshake or SET was not traced (hello %v, set %v)", full, hello, set)
		}
	}
}

func TestRequireParent(t *testing.T) {
	rdb, tr := newClient(t, traceredis.WithRequireParent(), traceredis.WithMaxStatementLength(0))
	if err := rdb.Ping(context.Background()).Err(); err != nil {
		t.Fatal(err)
	}
	if n := len(tr.FinishedSpans()); n != 0 {
		t.Fatalf("a command without a parent span was traced (%d spans)", n)
	}
	root := tr.StartSpan("test")
	if err := rdb.Ping(tracegen.ContextWithSpan(context.Background(), root)).Err(); err != nil {
		t.Fatal(err)
	}
	spans := tr.FinishedSpans()
	if len(spans) != 1 || spans[0].Tag("db.statement") != nil {
		t.Fatalf("want one span without db.statement, got %v", spans)
	}
}

// TestTransaction: a MULTI/EXEC transaction is one span with its command
// count, and redis.Nil inside it is not an error.
func TestTransaction(t *testing.T) {
	rdb, tr := newClient(t)
	root := tr.StartSpan("test")
	ctx := tracegen.ContextWithSpan(context.Background(), root)
	key := "tracegen:test:" + t.Name()
	if _, err := rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Set(ctx, key, "v", 0)
		p.Get(ctx, key+":missing")
		p.Del(ctx, key)
		return nil
	}); err != nil && !errors.Is(err, redis.Nil) {
		t.Fatal(err)
	}
	root.Finish()
	var multi []*mocktracer.Span
	for _, s := range tr.FinishedSpans() {
		if s.OperationName() == "multi" {
			multi = append(multi, s)
		}
	}
	if len(multi) != 1 {
		t.Fatalf("%d multi spans, want 1: %v", len(multi), tr.FinishedSpans())
	}
	s := multi[0]
	if n := s.Tag("db.redis.num_cmd"); n != 5 { // MULTI, SET, GET, DEL, EXEC
		t.Errorf("num_cmd = %v, want 5", n)
	}
	if s.Tag("error") != nil {
		t.Errorf("redis.Nil in a transaction made the span an error: %v", s.Tags())
	}
	if st := s.Tag("db.statement"); st != "MULTI SET GET DEL EXEC" {
		t.Errorf("db.statement = %v", st)
	}
}
