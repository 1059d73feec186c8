package tracesql_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	tracegen "github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/mocktracer"
	"github.com/tracegen/tracegen/runtime/tracesql"
)

func openFake(t *testing.T, legacy bool, opts ...tracesql.Option) *sql.DB {
	t.Helper()
	name := "fake"
	if legacy {
		name = "fake-legacy"
	}
	db := sql.OpenDB(connector{tracesql.Wrap(fakeDriver{legacy: legacy}, opts...), name})
	t.Cleanup(func() { db.Close() })
	return db
}

// connector opens connections of a (wrapped) driver with a fixed name.
type connector struct {
	d   driver.Driver
	dsn string
}

func (c connector) Connect(context.Context) (driver.Conn, error) { return c.d.Open(c.dsn) }
func (c connector) Driver() driver.Driver                        { return c.d }

func TestQueryExecTx(t *testing.T) {
	for _, legacy := range []bool{false, true} {
		t.Run(map[bool]string{false: "context", true: "legacy"}[legacy], func(t *testing.T) {
			tr := mocktracer.New()
			db := openFake(t, legacy, tracesql.WithTracer(tr), tracesql.WithInstance("shop"))
			parent := tr.StartSpan("handler")
			ctx := tracegen.ContextWithSpan(context.Background(), parent)

			var got string
			if err := db.QueryRowContext(ctx, "select q from t where id = $1", 7).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if _, err := db.ExecContext(ctx, "  INSERT INTO t VALUES (1)"); err != nil {
				t.Fatal(err)
			}
			if _, err := db.ExecContext(ctx, "UPDATE FAIL"); !errors.Is(err, errFake) {
				t.Fatalf("err = %v, want errFake", err)
			}
			tx, err := db.BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := tx.Commit(); err != nil {
				t.Fatal(err)
			}
			parent.Finish()

			var names []string
			byName := map[string]*mocktracer.Span{}
			for _, s := range tr.FinishedSpans() {
				if s == nil || s.OperationName() == "handler" {
					continue
				}
				if s.OperationName() == "prepare" {
					continue // the legacy path prepares each statement first
				}
				names = append(names, s.OperationName())
				byName[s.OperationName()] = s
				if s.ParentID() != parent.(*mocktracer.Span).SpanID() {
					t.Errorf("%s: parent %d, want the handler span", s.OperationName(), s.ParentID())
				}
				if s.Tag("db.type") != "sql" || s.Tag("db.instance") != "shop" || s.Tag("span.kind") != "client" {
					t.Errorf("%s: tags %v", s.OperationName(), s.Tags())
				}
			}
			want := []string{"SELECT", "INSERT", "UPDATE", "BEGIN", "COMMIT"}
			if len(names) != len(want) {
				t.Fatalf("spans %v, want %v", names, want)
			}
			for i := range want {
				if names[i] != want[i] {
					t.Fatalf("spans %v, want %v", names, want)
				}
			}
			if got := byName["SELECT"].Tag("db.statement"); got != "select q from t where id = $1" {
				t.Errorf("db.statement = %v", got)
			}
			if byName["UPDATE"].Tag("error") != true {
				t.Error("the failed statement's span has no error tag")
			}
			if byName["SELECT"].Tag("error") != nil {
				t.Error("io.EOF at the end of rows was recorded as an error")
			}
		})
	}
}

func TestRequireParentAndStatementLength(t *testing.T) {
	tr := mocktracer.New()
	db := openFake(t, false, tracesql.WithTracer(tr), tracesql.WithRequireParent(), tracesql.WithMaxStatementLength(6))
	if _, err := db.Exec("DELETE FROM t"); err != nil {
		t.Fatal(err)
	}
	if n := len(tr.FinishedSpans()); n != 0 {
		t.Fatalf("a call without a parent span was traced (%d spans)", n)
	}
	parent := tr.StartSpan("p")
	if _, err := db.ExecContext(tracegen.ContextWithSpan(context.Background(), parent), "DELETE FROM t"); err != nil {
		t.Fatal(err)
	}
	spans := tr.FinishedSpans()
	if len(spans) != 1 || spans[0].Tag("db.statement") != "DELETE" {
		t.Fatalf("want one span with the statement cut to 6 bytes, got %v", spans)
	}
}

// registerFake registers the fake driver once per process, so that the
// test may run more than once (go test -count).
var registerFake = sync.OnceFunc(func() { sql.Register("tracesql-fake", fakeDriver{}) })

func TestOpenRegisteredDriver(t *testing.T) {
	registerFake()
	tr := mocktracer.New()
	db, err := tracesql.Open("tracesql-fake", "dsn", tracesql.WithTracer(tr))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("VACUUM"); err != nil {
		t.Fatal(err)
	}
	spans := tr.FinishedSpans()
	if len(spans) != 1 || spans[0].OperationName() != "VACUUM" || spans[0].ParentID() != 0 {
		t.Fatalf("want one root VACUUM span, got %v", spans)
	}
	if _, err := tracesql.Open("no-such-driver", ""); err == nil {
		t.Error("Open of an unknown driver succeeded")
	}
}

// TestNoSecrets: the data source name's password and the bind arguments
// reach no span; db.user and db.instance come from the name; with
// WithObfuscatedStatements, literals written into the SQL do not either.
func TestNoSecrets(t *testing.T) {
	registerFake()
	const password, bound, literal = "pw-5ecr3t-dsn", "bound-s3cret-value", "literal-s3cret"
	tr := mocktracer.New()
	db, err := tracesql.Open("tracesql-fake", "postgres://app:"+password+"@db.local:5432/shop?sslmode=disable",
		tracesql.WithTracer(tr), tracesql.WithObfuscatedStatements())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, "UPDATE users SET token = $1 WHERE name = '"+literal+"' AND id IN (1, 2)", bound); err != nil {
		t.Fatal(err)
	}
	spans := tr.FinishedSpans()
	if len(spans) == 0 {
		t.Fatal("no spans")
	}
	for _, s := range spans {
		for k, v := range s.Tags() {
			if str := fmt.Sprint(v); strings.Contains(str, password) || strings.Contains(str, bound) || strings.Contains(str, literal) {
				t.Errorf("span %s tag %s = %q holds a secret", s.OperationName(), k, str)
			}
		}
		if s.Tag("db.user") != "app" || s.Tag("db.instance") != "shop" {
			t.Errorf("span %s: db.user %v, db.instance %v; want app, shop", s.OperationName(), s.Tag("db.user"), s.Tag("db.instance"))
		}
	}
	if got, want := spans[len(spans)-1].Tag("db.statement"), "UPDATE users SET token = $1 WHERE name = ? AND id IN (?)"; got != want {
		t.Errorf("db.statement = %v, want %s", got, want)
	}
}
