package dbtest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib"

	tracegen "github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/internal/testenv"
	"github.com/tracegen/tracegen/runtime/mocktracer"
	"github.com/tracegen/tracegen/runtime/tracesql"
)

// dialect is what differs between the databases for the same statements.
type dialect struct {
	driver, dsn string
	param       func(i int) string // the i-th placeholder, from 1
	tempTable   string
	password    string // in dsn; must reach no span
}

// TestMariaDB and TestDatabases run one set of statements against each
// real database through its database/sql driver.
func TestMariaDB(t *testing.T) {
	dsn := testenv.Server(t, "TRACEGEN_MARIADB_DSN", "MariaDB")
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	runStatements(t, dialect{driver: "mysql", dsn: dsn, param: func(int) string { return "?" },
		tempTable: "CREATE TEMPORARY TABLE", password: cfg.Passwd})
}

func TestPostgreSQLStatements(t *testing.T) {
	dsn := testenv.Server(t, "TRACEGEN_POSTGRES_DSN", "PostgreSQL")
	pw := ""
	if u, err := url.Parse(dsn); err == nil && u.User != nil {
		pw, _ = u.User.Password()
	}
	runStatements(t, dialect{driver: "pgx", dsn: dsn, param: func(i int) string { return fmt.Sprintf("$%d", i) },
		tempTable: "CREATE TEMP TABLE", password: pw})
}

func runStatements(t *testing.T, d dialect) {
	tr := mocktracer.New()
	db, err := tracesql.Open(d.driver, d.dsn, tracesql.WithTracer(tr), tracesql.WithObfuscatedStatements())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // the temporary table lives in one session
	root := tr.StartSpan("test")
	ctx := tracegen.ContextWithSpan(context.Background(), root)
	p1, p2 := d.param(1), d.param(2)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(db.PingContext(ctx))
	_, err = db.ExecContext(ctx, d.tempTable+" items (id int PRIMARY KEY, name varchar(40))")
	must(err)
	tx, err := db.BeginTx(ctx, nil)
	must(err)
	_, err = tx.ExecContext(ctx, "INSERT INTO items VALUES ("+p1+", "+p2+")", 1, "bound-secret-apple")
	must(err)
	must(tx.Commit())
	tx, err = db.BeginTx(ctx, nil)
	must(err)
	_, err = tx.ExecContext(ctx, "INSERT INTO items VALUES (2, 'literal-secret-pear')")
	must(err)
	must(tx.Rollback())
	stmt, err := db.PrepareContext(ctx, "INSERT INTO items VALUES ("+p1+", "+p2+")")
	must(err)
	for i := 3; i <= 5; i++ {
		_, err = stmt.ExecContext(ctx, i, "bound-secret-fig")
		must(err)
	}
	must(stmt.Close())
	rows, err := db.QueryContext(ctx, "SELECT id, name FROM items WHERE id IN (1, 3, 4, 5) ORDER BY id")
	must(err)
	n := 0
	for rows.Next() {
		n++
	}
	must(rows.Err())
	must(rows.Close())
	if n != 4 {
		t.Fatalf("read %d rows, want 4", n)
	}
	var name string
	if err := db.QueryRowContext(ctx, "SELECT name FROM items WHERE id = "+p1, 99).Scan(&name); !errors.Is(err, sql.ErrNoRows) {
		t.Fatalf("QueryRow of a missing id = %v, want sql.ErrNoRows", err)
	}
	if _, err := db.ExecContext(ctx, "SELECT * FROM no_such_table"); err == nil {
		t.Fatal("query of a missing table succeeded")
	}
	root.Finish()

	rootID := root.(*mocktracer.Span).SpanID()
	byName := map[string][]*mocktracer.Span{}
	errored := 0
	for _, s := range tr.FinishedSpans() {
		if s.SpanID() == rootID {
			continue
		}
		byName[s.OperationName()] = append(byName[s.OperationName()], s)
		if s.ParentID() != rootID {
			t.Errorf("%s: parent %d, want the test span %d", s.OperationName(), s.ParentID(), rootID)
		}
		if s.Tag("error") == true {
			errored++
		}
		for k, v := range s.Tags() {
			str := fmt.Sprint(v)
			for _, secret := range []string{d.password, "bound-secret", "literal-secret"} {
				if secret != "" && strings.Contains(str, secret) {
					t.Errorf("%s: tag %s = %q holds %q", s.OperationName(), k, str, secret)
				}
			}
		}
	}
	for _, want := range []string{"PING", "CREATE", "BEGIN", "INSERT", "COMMIT", "ROLLBACK", "prepare", "SELECT"} {
		if len(byName[want]) == 0 {
			t.Errorf("no %s span; got %v", want, keys(byName))
		}
	}
	if got := len(byName["INSERT"]); got != 5 {
		t.Errorf("%d INSERT spans, want 5 (one in each transaction, three prepared)", got)
	}
	if errored != 1 {
		t.Errorf("%d spans tagged error, want 1 (the missing table): sql.ErrNoRows is not one", errored)
	}
	var counted bool
	for _, s := range byName["SELECT"] {
		if s.Tag("db.rows") == 4 {
			counted = true
			if got, want := s.Tag("db.statement"), "SELECT id, name FROM items WHERE id IN (?) ORDER BY id"; got != want {
				t.Errorf("db.statement = %v, want %s", got, want)
			}
		}
	}
	if !counted {
		t.Errorf("no SELECT span has db.rows = 4: %v", byName["SELECT"])
	}
	if s := byName["PING"]; len(s) > 0 && s[0].Tag("db.user") == nil {
		t.Errorf("db.user missing: %v", s[0].Tags())
	}
}

func keys(m map[string][]*mocktracer.Span) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
