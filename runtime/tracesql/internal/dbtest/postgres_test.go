package dbtest

import (
	"context"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	tracegen "github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/internal/testenv"
	"github.com/tracegen/tracegen/runtime/mocktracer"
	"github.com/tracegen/tracegen/runtime/tracesql"
)

// TestPostgreSQL runs real statements against PostgreSQL through pgx's
// database/sql driver and checks the spans they produce.
func TestPostgreSQL(t *testing.T) {
	dsn := testenv.Server(t, "TRACEGEN_POSTGRES_DSN", "PostgreSQL")
	tr := mocktracer.New()
	db, err := tracesql.Open("pgx", dsn, tracesql.WithTracer(tr), tracesql.WithInstance("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	root := tr.StartSpan("test")
	ctx := tracegen.ContextWithSpan(context.Background(), root)
	if _, err := db.ExecContext(ctx, "CREATE TEMP TABLE items (id int PRIMARY KEY, name text)"); err != nil {
		t.Fatal(err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO items VALUES ($1, $2)", 1, "apple"); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM pg_class WHERE relname = $1", "pg_class").Scan(&n); err != nil || n != 1 {
		t.Fatalf("count = %d, %v", n, err)
	}
	if _, err := db.ExecContext(ctx, "SELECT * FROM no_such_table"); err == nil {
		t.Fatal("query of a missing table succeeded")
	}
	root.Finish()

	rootID := root.(*mocktracer.Span).SpanID()
	var errors, selects int
	names := map[string]bool{}
	for _, s := range tr.FinishedSpans() {
		if s.SpanID() == rootID {
			continue
		}
		names[s.OperationName()] = true
		if s.ParentID() != rootID {
			t.Errorf("%s: parent %d, want the test span %d", s.OperationName(), s.ParentID(), rootID)
		}
		if s.Tag("error") == true {
			errors++
		}
		if s.OperationName() == "SELECT" {
			selects++
		}
	}
	for _, want := range []string{"CREATE", "BEGIN", "INSERT", "ROLLBACK", "SELECT"} {
		if !names[want] {
			t.Errorf("no %s span; got %v", want, names)
		}
	}
	if errors != 1 {
		t.Errorf("%d spans tagged error, want 1 (the missing table)", errors)
	}
}
